/** What a peer does with each frame, whatever carried it: echo, count, summarize, or stop. */
import { controlFrame, FrameType, frameType, SinkTally } from './frame.ts';

export type PeerAnswer = Buffer | null | 'close';

export class PeerLogic {
  private tally: SinkTally | undefined;

  /** Echoes `echo` frames (the same bytes), counts `sink` frames, answers `sinkEnd` with the tally. */
  handle(frame: Buffer): PeerAnswer {
    switch (frameType(frame)) {
      case FrameType.echo:
        return frame;
      case FrameType.sink:
        // The first sink frame of a run says whether to checksum (seq 0 carries the flag in byte 5).
        if (!this.tally) this.tally = new SinkTally(frame[5] === 1);
        this.tally.take(frame);
        return null;
      case FrameType.sinkEnd: {
        const summary = (this.tally ?? new SinkTally(false)).summary();
        this.tally = undefined;
        return controlFrame(FrameType.summary, Buffer.from(JSON.stringify(summary)));
      }
      case FrameType.close:
        return 'close';
      default:
        throw new Error(`peer: unexpected frame type ${frameType(frame)}`);
    }
  }
}
