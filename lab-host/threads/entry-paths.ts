/**
 * Where the threads lab's worker thread entry is. From sources (the tests, `npm run lab:threads`) it
 * is `thread-worker.ts` beside this file, started through tsx; a bundled lab host has it built beside
 * itself (`lab-threads-worker`, built-entries.ts) and says so once (`useBuiltThreadsEntries`), since
 * inside a bundle this module's own folder is the bundle's.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ThreadsLabEntries {
  /** One thread of a program (thread-worker.ts); a `.ts` one starts through a tsx bootstrap. */
  readonly threadWorker: URL;
}

let entries: ThreadsLabEntries = {
  // A path made into a URL rather than `new URL('./…', import.meta.url)`: bundlers copy that
  // pattern's target as an asset, and a bundled host passes its built worker anyway.
  threadWorker: pathToFileURL(path.join(import.meta.dirname, 'thread-worker.ts')),
};

export function threadsLabEntries(): ThreadsLabEntries {
  return entries;
}

/** A bundled lab host's built worker, used from now on in this process. */
export function useBuiltThreadsEntries(built: ThreadsLabEntries): void {
  entries = built;
}
