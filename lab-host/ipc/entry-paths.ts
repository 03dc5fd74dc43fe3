/**
 * Where the IPC lab's own child entries are: the peer process (`peer.ts`) and the ring's thread
 * (`shm-threads-worker.ts`). From sources (the tests, `npm run lab:ipc`) they sit beside this file and
 * start through tsx; a bundled lab host (`lab-host/main.ts` built to one file, its children built
 * beside it) says once where its built files are (`useBuiltEntries`), since inside a bundle this
 * module's own folder is the bundle's.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface IpcLabEntries {
  /** The peer process's entry file (a `.ts` one starts with `--import tsx`). */
  readonly peer: string;
  /** The ring thread's entry (a `.ts` one starts through a tsx bootstrap). */
  readonly ringWorker: URL;
  /** The MessagePort channel's thread (app-port-worker.ts), started the same way. */
  readonly portWorker: URL;
}

let entries: IpcLabEntries = {
  peer: path.join(import.meta.dirname, 'peer.ts'),
  // A path made into a URL rather than `new URL('./…', import.meta.url)`: bundlers copy that
  // pattern's target as an asset, and a bundled host passes its built worker anyway.
  ringWorker: pathToFileURL(path.join(import.meta.dirname, 'shm-threads-worker.ts')),
  portWorker: pathToFileURL(path.join(import.meta.dirname, 'app-port-worker.ts')),
};

/** The entries in use now. */
export function ipcLabEntries(): IpcLabEntries {
  return entries;
}

/** A bundled lab host's built peer and ring thread, used from now on in this process. */
export function useBuiltEntries(built: IpcLabEntries): void {
  entries = built;
}
