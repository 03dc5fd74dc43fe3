/** A peer's loops over a blocking endpoint: answering (echo/sink), or tallying tears. */
import { controlFrame, FrameType, frameIntact, frameType } from './frame.ts';
import { PeerLogic } from './peer-logic.ts';
import type { SyncEndpoint } from './sync-endpoints.ts';
import { TearTally } from './unsynchronized-tally.ts';

const SLICE_MS = 200;
/** Unsynchronized, the end of a run may be lost: this long without a message also ends it. */
export const QUIET_MS = 300;

function sendAll(endpoint: SyncEndpoint, frame: Buffer, parentGone: () => boolean): boolean {
  while (!endpoint.trySend(frame, SLICE_MS)) if (parentGone()) return false;
  return true;
}

/** Answers frames until told to close or the parent is gone. */
export function runSyncPeer(endpoint: SyncEndpoint, parentGone: () => boolean): void {
  const logic = new PeerLogic();
  for (;;) {
    const frame = endpoint.tryReceive(SLICE_MS);
    if (!frame) {
      if (parentGone()) return;
      continue;
    }
    const answer = logic.handle(frame);
    if (answer === 'close') return;
    if (answer && !sendAll(endpoint, answer, parentGone)) return;
  }
}

/**
 * The unsynchronized reader: counts what arrives until a `sinkEnd` or QUIET_MS of silence, sends the
 * tally back (that direction keeps its handshake), and starts over; `close` ends it.
 */
export function runTearPeer(endpoint: SyncEndpoint, parentGone: () => boolean): void {
  let tally: TearTally | undefined;
  const report = () => {
    const summary = controlFrame(FrameType.summary, Buffer.from(JSON.stringify(tally!.summary())));
    tally = undefined;
    return sendAll(endpoint, summary, parentGone);
  };
  for (;;) {
    const frame = endpoint.tryReceive(tally ? QUIET_MS : SLICE_MS);
    if (!frame) {
      if (parentGone()) return;
      if (tally && !report()) return;
      continue;
    }
    const intact = frameIntact(frame);
    if (intact && frameType(frame) === FrameType.close) return;
    if (intact && frameType(frame) === FrameType.sinkEnd) {
      tally ??= new TearTally();
      if (!report()) return;
      continue;
    }
    (tally ??= new TearTally()).take(frame);
  }
}
