/**
 * Where everything of one run lives in its SharedArrayBuffer (an Int32Array over it): the control
 * words the runner and the threads share, each thread's gate and parking word, the program's
 * variables, and each primitive's words (a guard, its state, FIFO queues of waiting threads).
 */
import { cellLayout, type CellLayout, type Program } from '../../protocol/labs/threads-model/program.ts';

export const MAX_THREADS = 16;

/** Control words. */
export const CLOCK = 0; // global event sequence of a free run (Atomics.add)
export const START = 1; // 0 until every thread is ready, then 1: they start together
export const READY = 2; // threads ready to start
export const DONE = 3; // gated: steps finished so far
export const CURRENT = 4; // gated: the number of the step granted now
export const MAX_OVERTAKEN = 5;
export const NAP_WORD = 6; // always 0: a spinning thread naps on it with a timeout
const CONTROL_WORDS = 8;

/** Gate words: 0 idle, GO one step, STOP leave. */
export const GO = 1;
export const STOP = 2;

/** Status words, as a thread leaves them after a gated step. */
export const Status = { ready: 0, blocked: 1, done: 2, failed: 3, notRunnable: 4 } as const;

/** A FIFO of thread indices: head and tail count up; slot = count % MAX_THREADS. */
export const QUEUE_WORDS = 2 + MAX_THREADS;

export interface Layout {
  readonly cells: CellLayout;
  readonly words: number;
  readonly gate: number;
  readonly park: number;
  readonly status: number;
  /** Per thread: the region index + 1 it waits for (0: none), and how often it was overtaken meanwhile. */
  readonly waiting: number;
  readonly overtaken: number;
  readonly mem: number;
  /** Per region (in `regionNames` order): [inside now, most inside at once]. */
  readonly regions: number;
  readonly regionNames: readonly string[];
  /** Mutex: guard, owner + 1 (0: free), waiters queue. */
  readonly mutex: Readonly<Record<string, number>>;
  /** Semaphore: guard, count, waiters queue. */
  readonly semaphore: Readonly<Record<string, number>>;
  /** Monitor: guard, owner + 1, entry queue, then one queue per condition (in declaration order). */
  readonly monitor: Readonly<Record<string, number>>;
}

export function layoutFor(program: Program): Layout {
  let next = CONTROL_WORDS;
  const take = (words: number) => {
    const at = next;
    next += words;
    return at;
  };
  const gate = take(MAX_THREADS);
  const park = take(MAX_THREADS);
  const status = take(MAX_THREADS);
  const waiting = take(MAX_THREADS);
  const overtaken = take(MAX_THREADS);
  const cells = cellLayout(program);
  const mem = take(cells.cells);
  const regionNames = Object.keys(program.regions ?? {});
  const regions = take(2 * regionNames.length);
  const mutex = Object.fromEntries((program.mutexes ?? []).map((name) => [name, take(2 + QUEUE_WORDS)]));
  const semaphore = Object.fromEntries(
    Object.keys(program.semaphores ?? {}).map((name) => [name, take(2 + QUEUE_WORDS)]),
  );
  const monitor = Object.fromEntries(
    Object.entries(program.monitors ?? {}).map(([name, decl]) => [
      name,
      take(2 + QUEUE_WORDS * (1 + decl.conds.length)),
    ]),
  );
  return {
    cells,
    words: next,
    gate,
    park,
    status,
    waiting,
    overtaken,
    mem,
    regions,
    regionNames,
    mutex,
    semaphore,
    monitor,
  };
}

/** A fresh buffer for one run, with the variables and semaphores at their initial values. */
export function makeBuffer(program: Program, layout: Layout): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(layout.words * 4);
  const view = new Int32Array(buffer);
  layout.cells.init.forEach((value, cell) => (view[layout.mem + cell] = value));
  for (const [name, sem] of Object.entries(program.semaphores ?? {})) view[layout.semaphore[name]! + 1] = sem.init;
  return buffer;
}
