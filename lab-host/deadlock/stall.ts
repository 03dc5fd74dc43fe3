/**
 * "Ignoring it" (무시) with the lab host itself in the cycle: its own main thread takes lock A, a
 * worker thread takes lock B and then waits for A, and the main thread then waits for B with no
 * slice, no abort word and no timeout, as a program that ignores deadlock would. The main thread's
 * event loop stops with it: the host answers nothing more (not even the browser's `describe` pings),
 * so only the browser's lab-host watchdog, outside this process, can see it and end it.
 */
import type { Worker } from 'node:worker_threads';
import { LockTable, Phase } from './lock-table.ts';
import type { LockWorkerReply, LockWorkerRequest } from './lock-worker-messages.ts';
import { programFor, sceneSpec } from './model/programs.ts';
import { detectDeadlock, type Detection, type LockTableSnapshot } from './model/wait-for-graph.ts';
import { DEFAULT_TIMING } from './runner.ts';
import { deadlockLabEntries } from './entry-paths.ts';
import { startTsWorker } from './start-worker.ts';

/** Thread 0 of the table is this process's main thread; thread 1 the worker. */
export const STALL_MAIN_THREAD = 0;

export interface StallSetup {
  /** The cycle as the table shows it, before the main thread blocks. */
  readonly snapshot: LockTableSnapshot;
  readonly detection: Detection;
  /** Blocks the calling (main) thread for good. Never returns. */
  readonly block: () => never;
  /** Undoes the setup without blocking (for tests): aborts the worker. */
  readonly cancel: () => Promise<void>;
}

/**
 * Builds the cycle: main holds A and is about to wait for B, the worker holds B and waits for A.
 * Resolves once the table shows both (the worker really waiting), so the snapshot is the real one.
 */
export async function prepareStall(workerEntry = deadlockLabEntries().lockWorker): Promise<StallSetup> {
  const spec = sceneSpec('transfer');
  const shape = { resources: 2, threads: 2 };
  const table = LockTable.create(shape);
  const names = { resources: spec.resources.map((r) => r.name), threads: ['lab host main thread', 'lock worker'] };
  const flags = { shareable: [false, false], preemptible: false };
  const [a, b] = [0, 1];
  const worker: Worker = startTsWorker(workerEntry);
  const replies: LockWorkerReply[] = [];
  worker.on('message', (reply: LockWorkerReply) => replies.push(reply));
  worker.postMessage({
    buffer: table.buffer,
    shape,
    thread: 1,
    program: programFor(spec, 'none', 1), // B, pause, then A
    rounds: 1,
    seed: 1,
    strategy: 'none',
    claims: [
      [1, 1],
      [1, 1],
    ],
    timing: { ...DEFAULT_TIMING, gapMs: [5, 5] },
  } satisfies LockWorkerRequest);
  const until = async (check: () => boolean, what: string) => {
    for (const started = performance.now(); !check(); await new Promise((r) => setTimeout(r, 5)))
      if (performance.now() - started > 60_000) throw new Error(`stall setup: ${what} did not happen within 60 s`);
  };
  await until(() => replies.some((reply) => reply.type === 'ready'), 'the worker starting');
  if (!table.tryTake(a, STALL_MAIN_THREAD)) throw new Error('stall setup: lock A was not free');
  table.setPhase(STALL_MAIN_THREAD, Phase.running);
  table.openGate();
  await until(
    () => table.holders(b).includes(1) && table.waitingFor(1) === a,
    'the worker holding B and waiting for A',
  );
  // The main thread's intent, written before it blocks, so the table shows the whole cycle.
  table.setWaitingFor(STALL_MAIN_THREAD, b);
  table.setPhase(STALL_MAIN_THREAD, Phase.waiting);
  const snapshot = table.snapshot(names, flags);
  if (!snapshot) throw new Error('stall setup: no consistent snapshot of the table');
  return {
    snapshot,
    detection: detectDeadlock(snapshot),
    block: () => {
      // No slice, no abort, no timeout: ignoring the deadlock.
      for (;;) {
        if (table.tryTake(b, STALL_MAIN_THREAD)) throw new Error('lock B came free: there was no deadlock');
        table.waitOnResource(b, table.holderBits(b), Infinity);
      }
    },
    cancel: async () => {
      table.abort();
      await worker.terminate();
    },
  };
}
