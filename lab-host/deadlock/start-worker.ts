/**
 * Starts a worker thread from a TypeScript source under tsx, or a built file as is. A worker does
 * not inherit the tsx loader, so a one-line ESM bootstrap registers it first (as ipc/ring-worker.ts).
 */
import { Worker } from 'node:worker_threads';

export function startTsWorker(entry: URL, workerData?: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData });
}
