/**
 * One channel's measurements: round-trip latency (echo) and one-way throughput (a stream of frames
 * the peer checks and counts, then one summary back), each checked message by message.
 */
import type { SinkSummary, StreamResult } from '../../protocol/labs/ipc-result.ts';
import { turn, type Channel } from './channel.ts';
import { controlFrame, fnv1a, frameBody, frameSeq, frameType, FrameType, FrameWriter } from './frame.ts';

const WAIT_MS = 15_000;

/** Round trips of `size`-byte frames, in microseconds each; throws on a wrong or missing echo. */
export async function roundTripLatencies(channel: Channel, size: number, count: number): Promise<number[]> {
  const writer = new FrameWriter(size);
  const samples: number[] = [];
  for (let seq = 0; seq < count; seq++) {
    const frame = writer.stamp(FrameType.echo, seq);
    const start = performance.now();
    await channel.send(frame);
    const echo = await channel.receive(WAIT_MS);
    const elapsed = performance.now() - start;
    if (frameType(echo) !== FrameType.echo || frameSeq(echo) !== seq || echo.length !== size) {
      throw new Error(`echo ${seq}: got type ${frameType(echo)}, seq ${frameSeq(echo)}, ${echo.length} B`);
    }
    samples.push(elapsed * 1000);
  }
  return samples;
}

export type { StreamResult };

/** Streams `count` frames one way, then waits for the peer's tally. `verify` checksums every byte. */
export async function streamThroughput(
  channel: Channel,
  size: number,
  count: number,
  verify = false,
): Promise<StreamResult> {
  const writer = new FrameWriter(size);
  writer.frame[5] = verify ? 1 : 0; // tells the peer to checksum
  let checksum = 0x811c9dc5;
  const start = performance.now();
  let lastTurn = start;
  for (let seq = 0; seq < count; seq++) {
    const frame = writer.stamp(FrameType.sink, seq);
    if (verify) checksum = fnv1a(frame, checksum);
    await channel.send(frame);
    // A send that never blocks (a file append, a queue with room) would starve the event loop, and
    // with it the news that the peer died: give it a turn now and then.
    if (performance.now() - lastTurn > 20) {
      await turn();
      lastTurn = performance.now();
    }
  }
  await channel.send(controlFrame(FrameType.sinkEnd));
  const answer = await channel.receive(WAIT_MS * 4);
  const seconds = (performance.now() - start) / 1000;
  if (frameType(answer) !== FrameType.summary)
    throw new Error(`expected the peer's summary, got type ${frameType(answer)}`);
  const peer = JSON.parse(frameBody(answer).toString('utf8')) as SinkSummary;
  const sentChecksum = verify ? checksum : null;
  const ok =
    peer.received === count &&
    peer.gaps === 0 &&
    peer.outOfOrder === 0 &&
    peer.torn === 0 &&
    peer.checksum === sentChecksum;
  return {
    messages: count,
    bytes: count * size,
    seconds,
    megabytesPerSecond: (count * size) / 2 ** 20 / seconds,
    messagesPerSecond: count / seconds,
    peer,
    sentChecksum,
    ok,
  };
}
