/**
 * Where the deadlock lab's own child entries are: the lock worker thread (`lock-worker.ts`) and the
 * sync-call peer process (`sync-call-peer.ts`). From sources they sit beside this file and start
 * through tsx; a bundled lab host says once where its built files are (`useBuiltDeadlockEntries`,
 * from built-entries.ts), since inside a bundle this module's own folder is the bundle's.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface DeadlockLabEntries {
  /** The lock worker thread's entry (a `.ts` one starts through a tsx bootstrap). */
  readonly lockWorker: URL;
  /** The sync-call peer process's entry file (a `.ts` one starts with `--import tsx`). */
  readonly syncPeer: string;
}

let entries: DeadlockLabEntries = {
  // A path made into a URL rather than `new URL('./…', import.meta.url)`, which bundlers copy as an asset.
  lockWorker: pathToFileURL(path.join(import.meta.dirname, 'lock-worker.ts')),
  syncPeer: path.join(import.meta.dirname, 'sync-call-peer.ts'),
};

export function deadlockLabEntries(): DeadlockLabEntries {
  return entries;
}

export function useBuiltDeadlockEntries(built: DeadlockLabEntries): void {
  entries = built;
}
