/**
 * Process vs thread (프로세스 vs 스레드): the same counter loop in child processes and in worker
 * threads. Each child process has its own copy of the counter (the parent's stays 0); the worker
 * threads add to one counter in a SharedArrayBuffer they all see. Memory: each child's whole
 * resident set, against how much this process grows per worker thread.
 *
 * Node cannot fork(2) its own memory: each child is a new Node running the loop (its counter starts
 * from the value the parent had, passed in). A Node worker thread has its own JavaScript heap (an
 * isolate) and shares the process's address space: only SharedArrayBuffer memory is shared between
 * threads, which is what the counter uses. Both sides run the same few lines of plain JavaScript,
 * so neither pays for a TypeScript loader.
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { ProcessVsThread } from '../../protocol/labs/threads-result.ts';

export type { ProcessVsThread };

const CHILD = `
let counter = Number(process.env.LAB_COUNTER_START);
const iterations = Number(process.env.LAB_ITERATIONS);
for (let i = 0; i < iterations; i++) counter++;
process.stdout.write(JSON.stringify({ counter, rss: process.memoryUsage().rss }));
`;

const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const shared = new Int32Array(workerData.buffer);
for (let i = 0; i < workerData.iterations; i++) Atomics.add(shared, 0, 1);
parentPort.postMessage('counted');
// Kept alive until the parent has measured its memory with every thread running.
parentPort.once('message', () => process.exit(0));
`;

const MiB = 2 ** 20;
const round = (value: number) => Math.round(value * 10) / 10;

function runChild(iterations: number, start: number): Promise<{ counter: number; rss: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD], {
      // Under Electron's utility process execPath is Electron itself: run it as plain Node.
      env: {
        ...process.env,
        ELECTRON_RUN_AS_NODE: '1',
        LAB_ITERATIONS: String(iterations),
        LAB_COUNTER_START: String(start),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${err.slice(0, 500)}`));
      else resolve(JSON.parse(out) as { counter: number; rss: number });
    });
  });
}

export async function processVsThread(
  options: { workers?: number; iterations?: number } = {},
): Promise<ProcessVsThread> {
  const workers = options.workers ?? 4;
  const iterations = options.iterations ?? 1_000_000;
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new RangeError('workers must be 1 to 16');
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 100_000_000)
    throw new RangeError('iterations must be 1 to 100,000,000');

  const parentCounter = 0;
  const children = await Promise.all(Array.from({ length: workers }, () => runChild(iterations, parentCounter)));

  const buffer = new SharedArrayBuffer(4);
  const rssBefore = process.memoryUsage().rss;
  const threads = Array.from(
    { length: workers },
    () => new Worker(THREAD, { eval: true, workerData: { buffer, iterations } }),
  );
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            thread.once('message', () => resolve());
            thread.once('error', reject);
          }),
      ),
    );
    const rssWithThreads = process.memoryUsage().rss;
    return {
      workers,
      iterations,
      processes: {
        childCounters: children.map((child) => child.counter),
        parentCounter,
        childRssMiB: children.map((child) => round(child.rss / MiB)),
      },
      threads: {
        sharedCounter: Atomics.load(new Int32Array(buffer), 0),
        rssPerThreadMiB: round((rssWithThreads - rssBefore) / workers / MiB),
        rssBeforeMiB: round(rssBefore / MiB),
        rssWithThreadsMiB: round(rssWithThreads / MiB),
      },
      note: 'Each child is a new Node process (Node cannot fork(2) its memory): its counter is its own. Worker threads have their own JavaScript heaps and share only SharedArrayBuffer memory and the address space. Per-thread memory is this process growing with the threads running, divided by their number (RSS; GC timing moves it by a few MiB).',
    };
  } finally {
    for (const thread of threads) thread.postMessage('exit');
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}
