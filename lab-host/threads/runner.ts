/**
 * Runs a Program on real worker threads over one SharedArrayBuffer: free (every thread at once, the
 * OS scheduler decides the interleaving) or as a replay of a schedule (each thread waits at its
 * Atomics gate, and the runner opens one gate per step, in the schedule's order). Workers are kept
 * in a pool across runs.
 */
import { Worker } from 'node:worker_threads';
import type { RealRun, ThreadEvent } from '../../protocol/labs/threads-result.ts';
import type { Program } from '../../protocol/labs/threads-model/program.ts';
import { load, seededRandom } from '../../protocol/labs/threads-model/machine.ts';
import type { ThreadStats } from './interpreter.ts';
import {
  CURRENT,
  DONE,
  GO,
  layoutFor,
  makeBuffer,
  MAX_OVERTAKEN,
  READY,
  START,
  Status,
  STOP,
  type Layout,
} from './layout.ts';
import { threadsLabEntries } from './entry-paths.ts';
import type { Job } from './thread-worker.ts';

export interface JobReply {
  readonly thread: number;
  readonly events: ThreadEvent[];
  readonly eventsDropped: number;
  readonly stats: ThreadStats;
  readonly error?: string;
}

export interface FreeRunOptions {
  /** Busy-spin iterations per `gap` (default 0): the preemption window between load and store. */
  readonly gapSpins?: number;
  /**
   * Seeds each thread's gap length, drawn from 0.5x to 1.5x `gapSpins` (default: all equal). The OS
   * scheduler is not seeded: a free run's interleaving is the machine's.
   */
  readonly seed?: number;
  /** Events kept per thread (default 250). */
  readonly maxEvents?: number;
  /** A run that has not ended by then is stopped and reported (default 60 s): a deadlock, a livelock. */
  readonly timeoutMs?: number;
  /** Spin loops nap now and then (default true; see ThreadOptions.napWhileSpinning). */
  readonly napWhileSpinning?: boolean;
  /** For the result only: the iterations the program was made with. */
  readonly iterations?: number;
  /** For the result only: where the program's gap is. */
  readonly gapAt?: RealRun['gapAt'];
  /** Ends the run (its threads are terminated) and reports it as aborted. */
  readonly signal?: AbortSignal;
}

export interface ReplayOutcome {
  /** Every step's event, in step order. */
  readonly events: ThreadEvent[];
  /** The variables' cells at the end (the model's `mem`). */
  readonly mem: number[];
  readonly counter: number | null;
  readonly error?: string;
}

/**
 * Starts a worker from its TypeScript source: a worker does not inherit the tsx loader, so a
 * one-line ESM bootstrap registers it first; a bundled lab host passes its built worker file.
 */
export function startThreadWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`));
}

/** Waits (without blocking the event loop) until `view[index]` satisfies `done`. */
async function waitFor(
  view: Int32Array,
  index: number,
  done: (value: number) => boolean,
  deadline: number,
  what: string,
) {
  for (;;) {
    const value = Atomics.load(view, index);
    if (done(value)) return value;
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`timed out waiting for ${what}`);
    const result = Atomics.waitAsync(view, index, value, Math.min(left, 500));
    if (result.async) await result.value;
  }
}

export class ThreadPool {
  private workers: Worker[] = [];
  private busy = false;

  constructor(private readonly entry = threadsLabEntries().threadWorker) {}

  /** Ends every worker (a run that timed out leaves them stuck: they are replaced on the next run). */
  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** The program on real threads, all at once: the OS decides the interleaving. */
  async runFree(program: Program, options: FreeRunOptions = {}): Promise<RealRun> {
    load(program);
    const layout = layoutFor(program);
    const buffer = makeBuffer(program, layout);
    const view = new Int32Array(buffer);
    const gapSpins = options.gapSpins ?? 0;
    const deadline = performance.now() + (options.timeoutMs ?? 60_000);
    const started = performance.now();
    const random = options.seed === undefined ? () => 0.5 : seededRandom(options.seed);
    const { replies, stop } = this.dispatch(buffer, program, () => ({
      gated: false,
      gapSpins: Math.round(gapSpins * (0.5 + random())),
      maxEvents: options.maxEvents ?? 250,
      napWhileSpinning: options.napWhileSpinning ?? true,
    }));
    let error: string | undefined;
    let results: JobReply[] = [];
    try {
      await waitFor(view, READY, (ready) => ready === program.threads.length, deadline, 'the threads to start');
      // Released together, so the threads overlap from their first instruction.
      Atomics.store(view, START, 1);
      Atomics.notify(view, START);
      // A thread that failed (a program's own mistake) may leave the others parked for good: stop at once.
      const failFast = replies.map((reply) =>
        reply.then((result) => {
          if (result.error) throw new Error(result.error);
          return result;
        }),
      );
      results = await withDeadline(
        Promise.all(failFast),
        deadline,
        'the threads to finish (a deadlock?)',
        options.signal,
      );
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      await stop();
    }
    const wallMs = performance.now() - started;
    error ??= results.find((reply) => reply.error)?.error;
    return summarize(program, layout, view, results, {
      gapSpins,
      wallMs,
      iterations: options.iterations ?? 0,
      error,
      gapAt: options.gapAt,
    });
  }

  /**
   * Replays `schedule` (a thread index per step) on real threads: the runner opens one thread's gate
   * per step and waits until that step is done. A step the real threads cannot take (the thread is
   * blocked or finished there) ends the replay with an error naming it.
   */
  async replay(
    program: Program,
    schedule: readonly number[],
    options: { timeoutMs?: number } = {},
  ): Promise<ReplayOutcome> {
    load(program);
    const layout = layoutFor(program);
    const buffer = makeBuffer(program, layout);
    const view = new Int32Array(buffer);
    const perStepMs = options.timeoutMs ?? 10_000;
    const { replies, stop } = this.dispatch(buffer, program, () => ({
      gated: true,
      gapSpins: 0,
      maxEvents: schedule.length + 1,
    }));
    let error: string | undefined;
    try {
      for (const [index, thread] of schedule.entries()) {
        if (!Number.isInteger(thread) || thread < 0 || thread >= program.threads.length)
          throw new Error(`step ${index}: no thread ${thread}`);
        Atomics.store(view, CURRENT, index);
        Atomics.store(view, layout.gate + thread, GO);
        Atomics.notify(view, layout.gate + thread);
        await waitFor(
          view,
          DONE,
          (done) => done > index,
          performance.now() + perStepMs,
          `step ${index} of thread ${thread}`,
        );
        const status = Atomics.load(view, layout.status + thread);
        if (status === Status.notRunnable)
          throw new Error(`step ${index}: thread ${thread} cannot step on the real threads (blocked or finished)`);
        if (status === Status.failed) break;
      }
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    for (let thread = 0; thread < program.threads.length; thread++) {
      Atomics.store(view, layout.gate + thread, STOP);
      Atomics.notify(view, layout.gate + thread);
    }
    let results: JobReply[] = [];
    try {
      results = await withDeadline(Promise.all(replies), performance.now() + perStepMs, 'the threads to stop');
    } catch (caught) {
      error ??= caught instanceof Error ? caught.message : String(caught);
      await stop();
    }
    error ??= results.find((reply) => reply.error)?.error;
    const mem = Array.from(view.subarray(layout.mem, layout.mem + layout.cells.cells));
    const counter = program.counter ? mem[layout.cells.base[program.counter.v]!]! : null;
    const events = results.flatMap((reply) => reply.events).sort((a, b) => a.step - b.step);
    return { events, mem, counter, ...(error ? { error } : {}) };
  }

  private dispatch(
    buffer: SharedArrayBuffer,
    program: Program,
    options: () => Job['options'],
  ): { replies: Promise<JobReply>[]; stop: () => Promise<void> } {
    if (this.busy) throw new Error('the pool runs one program at a time');
    this.busy = true;
    while (this.workers.length < program.threads.length) this.workers.push(startThreadWorker(this.entry));
    const workers = this.workers.slice(0, program.threads.length);
    const replies = workers.map(
      (worker, thread) =>
        new Promise<JobReply>((resolve, reject) => {
          const onMessage = (reply: JobReply) => {
            worker.off('error', onError);
            resolve(reply);
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(error);
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          const job: Job = { buffer, program, thread, options: options() };
          worker.postMessage(job);
        }),
    );
    const settled = Promise.allSettled(replies).then(() => {
      this.busy = false;
    });
    void settled;
    // A stuck run (threads parked for good) cannot be told to stop: its workers are ended instead.
    const stop = async () => {
      this.workers = this.workers.filter((worker) => !workers.includes(worker));
      await Promise.all(workers.map((worker) => worker.terminate()));
      this.busy = false;
    };
    return { replies, stop };
  }
}

async function withDeadline<T>(promise: Promise<T>, deadline: number, what: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${what}`)),
      Math.max(0, deadline - performance.now()),
    );
    onAbort = () => reject(new Error('aborted'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function summarize(
  program: Program,
  layout: Layout,
  view: Int32Array,
  replies: JobReply[],
  run: {
    gapSpins: number;
    wallMs: number;
    iterations: number;
    error: string | undefined;
    gapAt: RealRun['gapAt'] | undefined;
  },
): RealRun {
  const final = program.counter ? view[layout.mem + layout.cells.base[program.counter.v]!]! : 0;
  const expected = program.counter?.expected ?? 0;
  return {
    program: program.id,
    threads: program.threads.length,
    iterations: run.iterations,
    gapSpins: run.gapSpins,
    ...(run.gapAt ? { gapAt: run.gapAt } : {}),
    expected,
    final,
    lostUpdates: expected - final,
    regions: layout.regionNames.map((region, index) => ({
      region,
      maxInside: view[layout.regions + 2 * index + 1]!,
      limit: program.regions![region]!,
    })),
    perThread: replies.map((reply) => ({ ...reply.stats })),
    maxOvertaken: view[MAX_OVERTAKEN]!,
    events: replies
      .flatMap((reply) => reply.events)
      .sort((a, b) => a.step - b.step)
      .slice(0, 4000),
    eventsDropped: replies.reduce((sum, reply) => sum + reply.eventsDropped, 0),
    wallMs: Math.round(run.wallMs * 10) / 10,
    ...(run.error ? { error: run.error.slice(0, 2048) } : {}),
  };
}
