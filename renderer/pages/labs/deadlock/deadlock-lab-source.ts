/**
 * Where the deadlock lab page gets its runs: the view takes a source, so it does not depend on the
 * channel to the lab host (TEAM contract). `renderer/pages/deadlock.ts` makes the product's source
 * (lab-host-source.ts); a page without a lab host gets NotConnectedDeadlockSource.
 */
import type { DeadlockLabCalls } from '../../../tab-runtime/index.ts';
import { LabHostNotConnectedError } from '../ipc/ipc-lab-source.ts';

/** The lab host's word as the page hears it: which host answers, and when it ended or came back. */
export interface LabHostEvents {
  /** The lab host's pid on the current channel, once connected. */
  hostPid(): Promise<number>;
  /** `false` when the lab host ended, `true` when a new one is ready; returns the unsubscribe. */
  onHostChanged(listener: (running: boolean) => void): () => void;
}

export type DeadlockLabSource = DeadlockLabCalls & LabHostEvents;

export { LabHostNotConnectedError };

const refuse = () => Promise.reject(new LabHostNotConnectedError());

/** Every call fails with LabHostNotConnectedError: the page says the lab host is not connected. */
export class NotConnectedDeadlockSource implements DeadlockLabSource {
  run = refuse;
  recover = refuse;
  stop = () => Promise.resolve(false);
  banker = refuse;
  syncCall = refuse;
  starvation = refuse;
  stall = refuse;
  hostPid = refuse;
  onHostChanged = () => () => {};
}
