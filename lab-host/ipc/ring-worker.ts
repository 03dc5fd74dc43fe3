/**
 * Starts the SharedArrayBuffer ring's peer thread (shm-threads-worker.ts). From TypeScript sources a
 * worker does not inherit the tsx loader, so a one-line ESM bootstrap registers it first; a bundled
 * lab host's built worker file comes from entry-paths.ts.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { ipcLabEntries } from './entry-paths.ts';

export interface RingWorkerData {
  readonly buffer: SharedArrayBuffer;
  readonly slotCount: number;
  readonly slotSize: number;
  readonly synchronized: boolean;
  readonly tally: boolean;
}

export function startRingWorker(data: RingWorkerData, entry = ipcLabEntries().ringWorker): Worker {
  return startWorker(entry, { workerData: data });
}

/** A worker from a TypeScript source (through the tsx bootstrap) or a built file. */
export function startWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
