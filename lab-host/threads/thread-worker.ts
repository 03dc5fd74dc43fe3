/**
 * A worker thread of the threads lab: runs one thread of a Program per job, over the job's
 * SharedArrayBuffer, either free (all threads at once, the OS schedules) or gated (one step each
 * time the runner opens this thread's gate: a replay). Reused across jobs (a pool), so a property
 * test's many replays do not start a thread each.
 */
import { parentPort } from 'node:worker_threads';
import type { Program } from '../../protocol/labs/threads-model/program.ts';
import { DONE, layoutFor, READY, START, Status, STOP } from './layout.ts';
import { RealThread, type ThreadOptions } from './interpreter.ts';
import type { JobReply } from './runner.ts';

export interface Job {
  readonly buffer: SharedArrayBuffer;
  readonly program: Program;
  readonly thread: number;
  readonly options: ThreadOptions;
}

const port = parentPort!;

port.on('message', (job: Job) => {
  const view = new Int32Array(job.buffer);
  const layout = layoutFor(job.program);
  const real = new RealThread(view, layout, job.program, job.thread, job.options);
  let error: string | undefined;
  try {
    if (job.options.gated) runGated(view, layout.gate + job.thread, layout.status + job.thread, real);
    else {
      Atomics.add(view, READY, 1);
      Atomics.notify(view, READY);
      while (Atomics.load(view, START) === 0) Atomics.wait(view, START, 0);
      real.runFree();
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    Atomics.store(view, layout.status + job.thread, Status.failed);
  }
  const reply: JobReply = {
    thread: job.thread,
    events: real.events,
    eventsDropped: real.eventsDropped,
    stats: real.stats,
    ...(error ? { error } : {}),
  };
  port.postMessage(reply);
});

/** Each time the gate opens: one step, then the status and a count the runner waits on. */
function runGated(view: Int32Array, gate: number, status: number, real: RealThread): void {
  for (;;) {
    while (Atomics.load(view, gate) === 0) Atomics.wait(view, gate, 0);
    if (Atomics.exchange(view, gate, 0) === STOP) return;
    try {
      if (real.done || real.parked) Atomics.store(view, status, Status.notRunnable);
      else {
        real.step();
        Atomics.store(view, status, real.blocked ? Status.blocked : real.done ? Status.done : Status.ready);
      }
    } catch (error) {
      Atomics.store(view, status, Status.failed);
      throw error;
    } finally {
      Atomics.add(view, DONE, 1);
      Atomics.notify(view, DONE);
    }
  }
}
