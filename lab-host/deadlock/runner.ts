/**
 * The real runs: a scene's threads as worker threads taking real locks in the shared lock table
 * (lock-table.ts), under a strategy (no prevention, one of the four switches, or the banker's
 * gate). The supervisor (this module, on the caller's thread) takes consistent snapshots of the
 * table, builds the wait-for graph from them and runs the detector. A cycle is called a deadlock
 * once the table stayed the same while every thread on the cycle woke at least twice and did
 * nothing: no timing assumption, so a slow, loaded machine only makes it take longer.
 *
 * Then, with recovery (탐지·복구), a victim chosen by a stated policy is ended (its thread
 * terminated, its locks released by the supervisor) or rolled back (it gives its locks back and
 * starts its round over); without it the run is stopped and counted as deadlocked.
 */
import type { Worker } from 'node:worker_threads';
import { LockTable, Phase } from './lock-table.ts';
import type { LockWorkerReply, LockWorkerRequest, RunTiming } from './lock-worker-messages.ts';
import {
  applicable,
  claimsOf,
  programFor,
  sceneSpec,
  type Scene,
  type SceneSpec,
  type Strategy,
} from './model/programs.ts';
import { detectDeadlock, type Detection, type LockTableSnapshot } from './model/wait-for-graph.ts';
import { deadlockLabEntries } from './entry-paths.ts';
import { startTsWorker } from './start-worker.ts';
import { deriveSeed } from '../../protocol/experiments/stats.ts';

export const DEFAULT_TIMING: RunTiming = { gapMs: [30, 60], workMs: 2, backoffMs: [1, 15], sliceMs: 20 };

/** Whom recovery ends: the thread on the cycle holding the fewest locks (then the youngest), or the youngest. */
export type RecoveryPolicy = 'fewest-held' | 'youngest';
/** How: end its thread (its work is lost), or roll it back (it gives its locks back and redoes its round). */
export type RecoveryAction = 'terminate' | 'rollback';

export const RECOVERY_POLICIES: Record<RecoveryPolicy, string> = {
  'fewest-held':
    'the thread on the cycle holding the fewest locks (least to give back), the youngest (highest number) among equals',
  youngest: 'the youngest thread on the cycle (the highest number: started last, least done)',
};

export interface SceneRunOptions {
  readonly scene: Scene;
  readonly philosophers?: number;
  readonly strategy: Strategy;
  readonly runs: number;
  readonly seed: number;
  /** Times each thread runs its program per run. */
  readonly rounds?: number;
  readonly timing?: Partial<RunTiming>;
  readonly recovery?: {
    readonly policy: RecoveryPolicy;
    readonly action: RecoveryAction;
    readonly maxRecoveries?: number;
    /**
     * Recovery by hand (the lab page's Recover button): awaited after the deadlock is confirmed and
     * before the victim is chosen; the deadlocked threads stay blocked meanwhile. A rejection (the
     * page stopped) ends the run as deadlocked.
     */
    readonly decide?: (run: number, snapshot: LockTableSnapshot, detection: Detection) => Promise<void>;
  };
  /** How often the supervisor snapshots the table. */
  readonly pollMs?: number;
  /** A run that neither finishes nor deadlocks by then is stopped and counted as 'timeout'. */
  readonly runTimeoutMs?: number;
  /** Each new snapshot (the table changed) with its detection: the live graph. */
  readonly onSnapshot?: (run: number, snapshot: LockTableSnapshot, detection: Detection) => void;
  /** A deadlock confirmed (before any recovery). */
  readonly onDeadlock?: (run: number, snapshot: LockTableSnapshot, detection: Detection) => void;
  /** A recovery done, with its cost. */
  readonly onRecovery?: (run: number, record: RecoveryRecord) => void;
  readonly signal?: AbortSignal;
  /** A bundled lab host passes its built worker file. */
  readonly workerEntry?: URL;
}

export interface RecoveryRecord {
  readonly policy: RecoveryPolicy;
  readonly action: RecoveryAction;
  readonly victim: number;
  readonly victimName: string;
  readonly cycle: readonly number[];
  /** Locks taken from the victim. */
  readonly released: readonly number[];
  /** Critical sections the victim will now never do (terminate), or rounds it redoes (rollback). */
  readonly workLost: number;
  readonly roundsRedone: number;
}

export type RunOutcome = 'finished' | 'deadlocked' | 'recovered' | 'timeout' | 'aborted';

export interface SceneRun {
  readonly index: number;
  readonly seed: number;
  readonly outcome: RunOutcome;
  /** The first deadlock confirmed in this run: the table's snapshot and what the detector found. */
  readonly deadlock: { readonly snapshot: LockTableSnapshot; readonly detection: Detection } | null;
  readonly recoveries: readonly RecoveryRecord[];
  /** Critical sections done, per thread. */
  readonly work: readonly number[];
  /** Rounds started over (failed tries, preemptions, rollbacks). */
  readonly restarts: number;
  readonly elapsedMs: number;
  /** Distinct snapshots the supervisor took (table versions seen). */
  readonly snapshots: number;
  readonly errors: readonly string[];
}

export interface SceneBatch {
  readonly scene: Scene;
  readonly philosophers: number;
  readonly strategy: Strategy;
  readonly applicable: boolean;
  readonly reason?: string;
  readonly runs: readonly SceneRun[];
  /** Runs in which a deadlock was confirmed. */
  readonly deadlocks: number;
  readonly rate: number;
}

type Mail = LockWorkerReply | { readonly type: 'exit'; readonly code: number };

/** A worker thread and the replies it sent, taken one at a time. */
class WorkerSlot {
  private readonly mail: Mail[] = [];
  private readonly waiters: ((mail: Mail) => void)[] = [];
  readonly exited: Promise<number>;

  constructor(readonly worker: Worker) {
    worker.on('message', (reply: LockWorkerReply) => this.push(reply));
    worker.on('error', (error) => this.push({ type: 'error', message: error.stack ?? error.message }));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.push({ type: 'exit', code });
        resolve(code);
      }),
    );
  }

  private push(mail: Mail): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(mail);
    else this.mail.push(mail);
  }

  next(): Promise<Mail> {
    const mail = this.mail.shift();
    return mail ? Promise.resolve(mail) : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * The worker threads runs share: starting one under tsx costs a second or more of CPU on a loaded
 * machine, so a lab run starts each once and reuses it for every scene and strategy.
 */
export class LockWorkerPool {
  private readonly slots: WorkerSlot[] = [];

  constructor(readonly entry = deadlockLabEntries().lockWorker) {}

  /** The first `count` workers, starting any missing. */
  take(count: number): WorkerSlot[] {
    while (this.slots.length < count) this.slots.push(new WorkerSlot(startTsWorker(this.entry)));
    return this.slots.slice(0, count);
  }

  /** Ends worker `index` for real (recovery's victim) and puts a fresh one in its place. */
  async replace(index: number): Promise<void> {
    const slot = this.slots[index]!;
    await slot.worker.terminate();
    await slot.exited;
    this.slots[index] = new WorkerSlot(startTsWorker(this.entry));
  }

  /** The workers' thread ids (for tests: each is a real thread). */
  get threadIds(): number[] {
    return this.slots.map((slot) => slot.worker.threadId);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs `options.runs` seeded runs of one scene under one strategy on real worker threads (from
 * `pool`, or a pool of its own closed at the end).
 */
export async function runScene(options: SceneRunOptions, pool?: LockWorkerPool): Promise<SceneBatch> {
  const spec = sceneSpec(options.scene, options.philosophers ?? 5);
  const philosophers = options.scene === 'philosophers' ? spec.threads.length : 0;
  const fit = applicable(options.scene, options.strategy);
  if (!fit.ok)
    return {
      scene: options.scene,
      philosophers,
      strategy: options.strategy,
      applicable: false,
      reason: fit.reason,
      runs: [],
      deadlocks: 0,
      rate: 0,
    };
  if (!Number.isInteger(options.runs) || options.runs < 1 || options.runs > 1000)
    throw new RangeError(`runs must be a whole number from 1 to 1000 (got ${options.runs})`);
  if (options.recovery && options.strategy !== 'none')
    throw new RangeError('recovery is for runs without prevention or avoidance (strategy "none")');
  const workers = pool ?? new LockWorkerPool(options.workerEntry);
  const runs: SceneRun[] = [];
  try {
    for (let index = 0; index < options.runs; index++) {
      options.signal?.throwIfAborted();
      runs.push(await runOnce(options, spec, workers, index));
    }
  } finally {
    if (!pool) await workers.close();
  }
  const deadlocks = runs.filter((run) => run.deadlock).length;
  return {
    scene: options.scene,
    philosophers,
    strategy: options.strategy,
    applicable: true,
    runs,
    deadlocks,
    rate: deadlocks / runs.length,
  };
}

async function runOnce(
  options: SceneRunOptions,
  spec: SceneSpec,
  pool: LockWorkerPool,
  index: number,
): Promise<SceneRun> {
  const slots = pool.take(spec.threads.length);
  const timing: RunTiming = { ...DEFAULT_TIMING, ...options.timing };
  const rounds = options.rounds ?? 2;
  const seed = deriveSeed(options.seed, `run ${index}`);
  const shape = { resources: spec.resources.length, threads: spec.threads.length };
  const table = LockTable.create(shape);
  const names = { resources: spec.resources.map((r) => r.name), threads: spec.threads };
  const flags = {
    shareable: spec.resources.map((r) => options.strategy === 'shareable' && r.readOnly),
    preemptible: options.strategy === 'preemption',
  };
  const claims = claimsOf(spec);
  spec.threads.forEach((_, thread) =>
    slots[thread]!.worker.postMessage({
      buffer: table.buffer,
      shape,
      thread,
      program: programFor(spec, options.strategy, thread),
      rounds,
      seed,
      strategy: options.strategy,
      claims,
      timing,
    } satisfies LockWorkerRequest),
  );
  const errors: string[] = [];
  // Starting threads under tsx on a loaded machine can take seconds; this bounds a broken start only.
  const ready = await withTimeout(Promise.all(slots.map((slot) => slot.next())), 60_000, 'worker start');
  for (const mail of ready) if (mail.type !== 'ready') errors.push(describe(mail));
  const finals: (Mail | undefined)[] = slots.map(() => undefined);
  if (errors.length) table.abort();
  const collecting = slots.map((slot, t) => slot.next().then((mail) => (finals[t] = mail)));

  table.openGate();
  const started = performance.now();
  const recoveries: RecoveryRecord[] = [];
  let deadlock: SceneRun['deadlock'] = null;
  let outcome: RunOutcome | undefined = errors.length ? 'aborted' : undefined;
  let suspect: { version: number; slices: number[] } | undefined;
  let lastVersion = -1;
  let snapshots = 0;
  const maxRecoveries = options.recovery?.maxRecoveries ?? 8;

  while (!outcome && finals.some((mail) => mail === undefined)) {
    await sleep(options.pollMs ?? 10);
    if (finals.every((mail) => mail !== undefined)) break;
    if (options.signal?.aborted) outcome = 'aborted';
    else if (performance.now() - started > (options.runTimeoutMs ?? 30_000)) outcome = 'timeout';
    if (outcome) break;
    const snapshot = table.snapshot(names, flags);
    if (!snapshot) continue;
    const detection = detectDeadlock(snapshot);
    if (snapshot.version !== lastVersion) {
      lastVersion = snapshot.version;
      snapshots++;
      options.onSnapshot?.(index, snapshot, detection);
    }
    if (!detection.deadlocked) {
      suspect = undefined;
      continue;
    }
    const slices = spec.threads.map((_, t) => table.slices(t));
    if (!suspect || suspect.version !== snapshot.version) {
      suspect = { version: snapshot.version, slices };
      continue;
    }
    // Confirmed only when every thread on the cycle woke twice since and changed nothing.
    if (!detection.threads.every((t) => slices[t]! >= suspect!.slices[t]! + 2)) continue;
    deadlock ??= { snapshot, detection };
    suspect = undefined;
    options.onDeadlock?.(index, snapshot, detection);
    if (!options.recovery || recoveries.length >= maxRecoveries) {
      outcome = 'deadlocked';
      break;
    }
    if (options.recovery.decide) {
      const decided = await options.recovery.decide(index, snapshot, detection).then(
        () => true,
        () => false,
      );
      if (!decided) {
        outcome = 'deadlocked';
        break;
      }
    }
    const record = await recover(options.recovery, detection, table, spec, pool, rounds);
    recoveries.push(record);
    options.onRecovery?.(index, record);
  }
  table.abort(); // wakes anyone still waiting (a no-op for threads already done)
  await withTimeout(Promise.all(collecting), 60_000, 'workers stopping');
  finals.forEach((mail, t) => {
    if (mail && (mail.type === 'error' || (mail.type === 'exit' && !isEnded(table, t)))) errors.push(describe(mail));
  });
  const finished = finals.every(
    (mail, t) => mail?.type === 'finished' || (mail?.type === 'exit' && table.phase(t) === Phase.ended),
  );
  outcome ??= finished ? (recoveries.length ? 'recovered' : 'finished') : errors.length ? 'aborted' : 'timeout';
  return {
    index,
    seed,
    outcome,
    deadlock,
    recoveries,
    work: spec.threads.map((_, t) => table.work(t)),
    restarts: spec.threads.reduce((sum, _, t) => sum + table.restarts(t), 0),
    elapsedMs: Math.round(performance.now() - started),
    snapshots,
    errors,
  };
}

const isEnded = (table: LockTable, thread: number) => table.phase(thread) === Phase.ended;

function describe(mail: Mail): string {
  if (mail.type === 'error') return mail.message;
  if (mail.type === 'exit') return `worker exited with code ${mail.code}`;
  return `unexpected reply ${mail.type}`;
}

/** Picks the victim by the stated policy. */
export function chooseVictim(
  policy: RecoveryPolicy,
  cycle: readonly number[],
  held: (thread: number) => number,
): number {
  const youngestFirst = [...cycle].sort((a, b) => b - a);
  if (policy === 'youngest') return youngestFirst[0]!;
  return youngestFirst.reduce((best, thread) => (held(thread) < held(best) ? thread : best));
}

async function recover(
  recovery: NonNullable<SceneRunOptions['recovery']>,
  detection: Detection,
  table: LockTable,
  spec: SceneSpec,
  pool: LockWorkerPool,
  rounds: number,
): Promise<RecoveryRecord> {
  const cycle = detection.conditions.circularWait.cycles[0] ?? detection.threads;
  const victim = chooseVictim(recovery.policy, cycle, (t) => table.heldBy(t).length);
  const held = table.heldBy(victim);
  const base = { policy: recovery.policy, action: recovery.action, victim, victimName: spec.threads[victim]!, cycle };
  if (recovery.action === 'rollback') {
    // The same path as the preemption switch: the victim sees it, gives everything back, starts over.
    if (table.swapPhase(victim, Phase.waiting, Phase.preempted)) {
      const waited = table.waitingFor(victim);
      if (waited !== null) table.wakeResource(waited);
    }
    return { ...base, released: held, workLost: 0, roundsRedone: 1 };
  }
  // Terminate: end the thread for real, then take its locks back on its behalf.
  await pool.replace(victim);
  table.setPhase(victim, Phase.ended);
  const released = table.releaseAll(victim);
  table.setWaitingFor(victim, null);
  return { ...base, released, workLost: rounds - table.work(victim), roundsRedone: 0 };
}
