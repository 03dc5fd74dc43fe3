/**
 * A Channel over a blocking endpoint: each wait is cut into short slices, and between two slices the
 * event loop gets a turn, so a peer's exit is noticed and the deadline kept. On the fast path (the
 * answer arrives within the first slice) no turn is taken.
 */
import { DeadlineError, turn, type Channel } from './channel.ts';
import type { SyncEndpoint } from './sync-endpoints.ts';

const SLICE_MS = 50;
const SEND_TIMEOUT_MS = 10_000;

export function syncChannel(options: {
  endpoint: SyncEndpoint;
  peerPid: number;
  /** Why the peer can no longer answer, or undefined while it can. */
  peerGone: (waitingFor: string) => Error | undefined;
  close: () => Promise<void>;
  killPeer: () => void;
}): Channel {
  const { endpoint, peerGone } = options;
  return {
    peerPid: options.peerPid,
    async send(frame) {
      const deadline = performance.now() + SEND_TIMEOUT_MS;
      while (!endpoint.trySend(frame, SLICE_MS)) {
        await turn();
        const gone = peerGone('the channel was full');
        if (gone) throw gone;
        if (performance.now() > deadline) throw new DeadlineError('the channel was full', SEND_TIMEOUT_MS);
      }
    },
    async receive(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const frame = endpoint.tryReceive(Math.min(SLICE_MS, timeoutMs));
        if (frame) return frame;
        await turn();
        const gone = peerGone('waiting for a frame');
        if (gone) throw gone;
        if (performance.now() > deadline) throw new DeadlineError('waiting for a frame', timeoutMs);
      }
    },
    close: options.close,
    killPeer: options.killPeer,
  };
}
