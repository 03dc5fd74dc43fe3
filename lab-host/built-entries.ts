/**
 * The lab host's own children as built files: a bundled lab host (`lab-host.js` from `vite build`,
 * `lab-host.mjs` from the tests' esbuild bundles) has the IPC lab's peer process and ring thread
 * built beside it under fixed names, which the children builds use too (vite.config.ts,
 * main/chromium/child-bundles.ts). Run from its TypeScript source it uses the sources, through tsx.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { useBuiltDeadlockEntries } from './deadlock/entry-paths.ts';
import { useBuiltEntries } from './ipc/entry-paths.ts';
import { useBuiltThreadsEntries } from './threads/entry-paths.ts';

/** Names of the built entries beside the lab host's own (extension as the lab host's). */
export const LAB_HOST_BUILT_ENTRIES = {
  peer: 'lab-ipc-peer',
  ringWorker: 'lab-ipc-ring-worker',
  portWorker: 'lab-ipc-port-worker',
  threadsWorker: 'lab-threads-worker',
  deadlockLockWorker: 'lab-deadlock-lock-worker',
  deadlockSyncPeer: 'lab-deadlock-sync-peer',
} as const;

/** Points the IPC lab at the built files beside `hostFile` when it is a bundle; a `.ts` entry keeps the sources. */
export function useBundledEntries(hostFile: string): void {
  const extension = path.extname(hostFile);
  if (extension === '.ts') return;
  const beside = (name: string) => path.join(path.dirname(hostFile), `${name}${extension}`);
  useBuiltEntries({
    peer: beside(LAB_HOST_BUILT_ENTRIES.peer),
    ringWorker: pathToFileURL(beside(LAB_HOST_BUILT_ENTRIES.ringWorker)),
    portWorker: pathToFileURL(beside(LAB_HOST_BUILT_ENTRIES.portWorker)),
  });
  useBuiltThreadsEntries({ threadWorker: pathToFileURL(beside(LAB_HOST_BUILT_ENTRIES.threadsWorker)) });
  useBuiltDeadlockEntries({
    lockWorker: pathToFileURL(beside(LAB_HOST_BUILT_ENTRIES.deadlockLockWorker)),
    syncPeer: beside(LAB_HOST_BUILT_ENTRIES.deadlockSyncPeer),
  });
}
