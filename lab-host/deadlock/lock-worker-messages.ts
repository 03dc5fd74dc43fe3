/** What the runner (runner.ts) and a lock worker (lock-worker.ts) say to each other. */
import type { Step, Strategy } from './model/programs.ts';
import type { TableShape } from './lock-table.ts';

export interface RunTiming {
  /** The seeded pause between the first and second lock: [min, max] ms. */
  readonly gapMs: readonly [number, number];
  /** The critical section's length. */
  readonly workMs: number;
  /** The seeded back-off after a failed try or a preemption: [min, max] ms. */
  readonly backoffMs: readonly [number, number];
  /** Every wait is at most this long before the thread checks in again. */
  readonly sliceMs: number;
}

export interface LockWorkerRequest {
  readonly buffer: SharedArrayBuffer;
  readonly shape: TableShape;
  readonly thread: number;
  readonly program: readonly Step[];
  readonly rounds: number;
  readonly seed: number;
  readonly strategy: Strategy;
  /** The banker's Max, one row per thread. */
  readonly claims: readonly (readonly number[])[];
  readonly timing: RunTiming;
}

export type LockWorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'finished'; readonly work: number; readonly restarts: number }
  | { readonly type: 'aborted'; readonly work: number; readonly restarts: number }
  | { readonly type: 'error'; readonly message: string };
