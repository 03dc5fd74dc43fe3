/**
 * The deadlock lab's result (schema `lab-deadlock/1`): what `npm run lab:deadlock` writes and what
 * the lab host will send the `lab://deadlock` page. Shared by the lab host (lab-host/deadlock/), the
 * page and the report, so one schema checks it everywhere. Every array and string is bounded.
 */
import { RunEnvironment } from './ipc-result.ts';
import { Struct, Type, type Static } from '../rpc/schema.ts';

export const DEADLOCK_LAB_SCHEMA = 'lab-deadlock/1';

const Text = (maxLength = 512) => Type.String({ maxLength });
const Name = Type.String({ minLength: 1, maxLength: 64 });
const Count = Type.Integer({ minimum: 0 });
const Id = Type.Integer({ minimum: 0, maximum: 31 });
const Ids = Type.Array(Id, { maxItems: 32 });
const Ms = Type.Number({ minimum: 0 });

export const Scene = Type.Union([Type.Literal('philosophers'), Type.Literal('transfer'), Type.Literal('audit')]);
export const Strategy = Type.Union([
  Type.Literal('none'),
  Type.Literal('lock-order'),
  Type.Literal('all-or-none'),
  Type.Literal('preemption'),
  Type.Literal('shareable'),
  Type.Literal('banker'),
]);
export const Condition = Type.Union([
  Type.Literal('mutual-exclusion'),
  Type.Literal('hold-and-wait'),
  Type.Literal('no-preemption'),
  Type.Literal('circular-wait'),
]);

/** The lock table as the supervisor read it (one consistent snapshot). */
export const LockTableSnapshot = Struct({
  version: Count,
  resources: Type.Array(
    Struct({ id: Id, name: Name, shareable: Type.Boolean(), preemptible: Type.Boolean(), holders: Ids }),
    { maxItems: 32 },
  ),
  threads: Type.Array(
    Struct({
      id: Id,
      name: Name,
      phase: Type.Union([
        Type.Literal('running'),
        Type.Literal('waiting'),
        Type.Literal('done'),
        Type.Literal('ended'),
      ]),
      waitingFor: Type.Union([Id, Type.Null()]),
    }),
    { maxItems: 32 },
  ),
});
export type LockTableSnapshot = Static<typeof LockTableSnapshot>;

/** What the detector found, and where each of the four conditions holds. */
export const Detection = Struct({
  deadlocked: Type.Boolean(),
  threads: Ids,
  truncated: Type.Boolean(),
  conditions: Struct({
    mutualExclusion: Struct({ holds: Type.Boolean(), resources: Ids }),
    holdAndWait: Struct({ holds: Type.Boolean(), threads: Ids }),
    noPreemption: Struct({ holds: Type.Boolean(), resources: Ids }),
    circularWait: Struct({ holds: Type.Boolean(), cycles: Type.Array(Ids, { maxItems: 1000 }) }),
  }),
});
export type Detection = Static<typeof Detection>;

export const DeadlockExample = Struct({ run: Count, snapshot: LockTableSnapshot, detection: Detection });

/** One scene under one strategy, over N seeded runs on real worker threads. */
export const StrategyRow = Struct({
  scene: Scene,
  /** Philosophers at the table (0 for the two-thread scenes). */
  philosophers: Count,
  strategy: Strategy,
  /** The condition this switch breaks (null: no prevention, or the banker's avoidance). */
  breaks: Type.Union([Condition, Type.Null()]),
  how: Text(1024),
  applicable: Type.Boolean(),
  reason: Type.Optional(Text()),
  runs: Count,
  /** Runs in which the detector confirmed a deadlock. */
  deadlocks: Count,
  rate: Type.Number({ minimum: 0, maximum: 1 }),
  finished: Count,
  timeouts: Count,
  /** Rounds started over (failed tries, preemptions), over all runs. */
  restarts: Count,
  /** Median run length (informational; machine-dependent). */
  medianRunMs: Ms,
  errors: Type.Array(Text(2048), { maxItems: 16 }),
  /** The first deadlock seen: the real table's snapshot and the detector's findings. */
  example: Type.Union([DeadlockExample, Type.Null()]),
});
export type StrategyRow = Static<typeof StrategyRow>;

/** The exhaustive model of the same programs: every schedule explored. */
export const ModelCheck = Struct({
  scene: Scene,
  philosophers: Count,
  strategy: Strategy,
  rounds: Count,
  states: Count,
  /** Distinct deadlocked tables reachable (0: no schedule deadlocks). */
  deadlockedStates: Count,
  /** Whether each real deadlock's table is one of the model's deadlocked tables (null: no real deadlock to compare). */
  realMatchesModel: Type.Union([Type.Boolean(), Type.Null()]),
});
export type ModelCheck = Static<typeof ModelCheck>;

export const RecoveryRecord = Struct({
  policy: Type.Union([Type.Literal('fewest-held'), Type.Literal('youngest')]),
  action: Type.Union([Type.Literal('terminate'), Type.Literal('rollback')]),
  victim: Id,
  victimName: Name,
  cycle: Ids,
  released: Ids,
  workLost: Count,
  roundsRedone: Count,
});
export type RecoveryRecord = Static<typeof RecoveryRecord>;

export const RecoveryRow = Struct({
  scene: Scene,
  philosophers: Count,
  policy: RecoveryRecord.properties.policy,
  action: RecoveryRecord.properties.action,
  /** The policy in words. */
  policyText: Text(),
  runs: Count,
  deadlocks: Count,
  /** Runs that deadlocked and then finished after recovery. */
  recovered: Count,
  recoveries: Type.Array(RecoveryRecord, { maxItems: 256 }),
  /** Critical sections lost to terminated victims, over all runs. */
  workLost: Count,
  roundsRedone: Count,
});
export type RecoveryRow = Static<typeof RecoveryRow>;

const Matrix = Type.Array(Type.Array(Count, { maxItems: 16 }), { maxItems: 16 });
const Vector = Type.Array(Count, { maxItems: 16 });

export const BankerStateSchema = Struct({
  processes: Type.Array(Name, { maxItems: 16 }),
  resources: Type.Array(Name, { maxItems: 16 }),
  allocation: Matrix,
  max: Matrix,
  available: Vector,
});

export const BankerReport = Struct({
  source: Text(),
  state: BankerStateSchema,
  need: Matrix,
  safe: Type.Boolean(),
  /** Process names in a safe order (or those that could finish before it got stuck). */
  sequence: Type.Array(Name, { maxItems: 16 }),
  reason: Text(1024),
  steps: Count,
  requests: Type.Array(
    Struct({
      process: Name,
      request: Vector,
      verdict: Type.Union([
        Type.Literal('granted'),
        Type.Literal('exceeds-claim'),
        Type.Literal('must-wait'),
        Type.Literal('unsafe'),
      ]),
      explanation: Text(1024),
    }),
    { maxItems: 16 },
  ),
});
export type BankerReport = Static<typeof BankerReport>;

export const SyncCallReport = Struct({
  mode: Type.Union([Type.Literal('both-sync'), Type.Literal('one-way')]),
  deadlocked: Type.Boolean(),
  detectedByWatchdog: Type.Boolean(),
  thresholdMs: Ms,
  detectedAfterMs: Type.Union([Ms, Type.Null()]),
  peers: Type.Array(
    Struct({
      name: Name,
      pid: Type.Integer(),
      callsPeer: Type.Boolean(),
      gotAnswer: Type.Boolean(),
      answered: Count,
      unresponsive: Type.Boolean(),
      blockedIn: Type.Union([Text(128), Type.Null()]),
      ended: Text(64),
    }),
    { maxItems: 2 },
  ),
  bothEnded: Type.Boolean(),
  rule: Text(1024),
  error: Type.Optional(Text(2048)),
});
export type SyncCallReport = Static<typeof SyncCallReport>;

const WaitSummary = Struct({ count: Count, p50: Ms, p99: Ms, longest: Ms });

export const StarvationReport = Struct({
  aging: Type.Boolean(),
  served: Count,
  unserved: Count,
  unservedLow: Count,
  all: WaitSummary,
  high: WaitSummary,
  low: WaitSummary,
  histogram: Type.Array(Struct({ from: Count, to: Count, count: Count }), { maxItems: 64 }),
});
export type StarvationReport = Static<typeof StarvationReport>;

export const DeadlockLabResult = Struct({
  schema: Type.Literal(DEADLOCK_LAB_SCHEMA),
  startedAt: Text(64),
  finishedAt: Text(64),
  environment: RunEnvironment,
  settings: Struct({
    runs: Count,
    seed: Type.Integer(),
    rounds: Count,
    philosophers: Count,
    timing: Struct({
      gapMs: Type.Array(Ms, { minItems: 2, maxItems: 2 }),
      workMs: Ms,
      backoffMs: Type.Array(Ms, { minItems: 2, maxItems: 2 }),
      sliceMs: Ms,
    }),
  }),
  /** Prevention (예방) and avoidance (회피): every scene under every strategy. */
  strategies: Type.Array(StrategyRow, { maxItems: 64 }),
  models: Type.Array(ModelCheck, { maxItems: 64 }),
  /** Detection and recovery (탐지·복구). */
  recovery: Type.Array(RecoveryRow, { maxItems: 8 }),
  /** Avoidance with the banker's algorithm (은행원 알고리즘) on the textbook instance. */
  banker: BankerReport,
  /** Ignoring it (무시): two processes calling each other synchronously, and Chrome's one-way rule. */
  ignoring: Struct({ bothSync: SyncCallReport, oneWay: SyncCallReport }),
  /** Starvation (기아 상태) and aging, the same seeded arrivals both ways. */
  starvation: Struct({
    config: Struct({
      seed: Type.Integer(),
      ticks: Count,
      highArrival: Type.Number({ minimum: 0, maximum: 1 }),
      lowArrival: Type.Number({ minimum: 0, maximum: 1 }),
      highPriority: Type.Number(),
      lowPriority: Type.Number(),
      agingEvery: Count,
    }),
    off: StarvationReport,
    on: StarvationReport,
  }),
});
export type DeadlockLabResult = Static<typeof DeadlockLabResult>;

/** What a run reports while it goes: a line for the log. */
export const DeadlockLabProgress = Struct({ line: Text(1024) });
export type DeadlockLabProgress = Static<typeof DeadlockLabProgress>;

// ---- The lab://deadlock page's calls (LabChannel `deadlock…`, protocol/interfaces/tab-lab.ts) ----

/** Philosophers the page may seat (lab-host/deadlock/model/programs.ts MAX_PHILOSOPHERS). */
export const MAX_PAGE_PHILOSOPHERS = 16;
/** Seeded runs the page may ask for in one call. */
export const MAX_PAGE_RUNS = 100;

/** A scene on real worker threads, as the page asks for it. */
export const DeadlockRunOptions = Struct({
  scene: Scene,
  philosophers: Type.Optional(Type.Integer({ minimum: 2, maximum: MAX_PAGE_PHILOSOPHERS })),
  strategy: Strategy,
  runs: Type.Integer({ minimum: 1, maximum: MAX_PAGE_RUNS }),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  /** Stream the lock table (`deadlockSnapshot` events) while it runs. */
  live: Type.Optional(Type.Boolean()),
  /**
   * Detection and recovery (strategy `none` only): when a deadlock is confirmed the run waits for
   * `deadlockRecover`, which ends a victim chosen by `policy`, then the run goes on.
   */
  recovery: Type.Optional(
    Struct({ policy: RecoveryRecord.properties.policy, action: RecoveryRecord.properties.action }),
  ),
});
export type DeadlockRunOptions = Static<typeof DeadlockRunOptions>;

export const RunOutcome = Type.Union([
  Type.Literal('finished'),
  Type.Literal('deadlocked'),
  Type.Literal('recovered'),
  Type.Literal('timeout'),
  Type.Literal('aborted'),
]);

export const DeadlockRunResult = Struct({
  row: StrategyRow,
  outcomes: Type.Array(RunOutcome, { maxItems: MAX_PAGE_RUNS }),
  recoveries: Type.Array(RecoveryRecord, { maxItems: 256 }),
  /** Critical sections done per thread, summed over the runs. */
  work: Type.Array(Count, { maxItems: 32 }),
});
export type DeadlockRunResult = Static<typeof DeadlockRunResult>;

/**
 * One snapshot of the real lock table with the detector's findings. `confirmed`: the cycle stayed
 * while every thread on it woke twice and did nothing (a deadlock); with manual recovery the run now
 * waits for `deadlockRecover`. `mainThread`: the thread that is the lab host's own main thread (the
 * "ignoring it" stall), else null.
 */
export const DeadlockSnapshotEvent = Struct({
  run: Count,
  snapshot: LockTableSnapshot,
  detection: Detection,
  confirmed: Type.Boolean(),
  mainThread: Type.Union([Id, Type.Null()]),
});
export type DeadlockSnapshotEvent = Static<typeof DeadlockSnapshotEvent>;

/** A line for the log, with the recovery just done when there was one. */
export const DeadlockRunProgress = Struct({ line: Text(1024), recovery: Type.Optional(RecoveryRecord) });
export type DeadlockRunProgress = Static<typeof DeadlockRunProgress>;

/** Silberschatz, Galvin & Gagne, Operating System Concepts, the banker's algorithm's illustrative example: five processes, three types. */
export const TEXTBOOK_BANKER_STATE: Static<typeof BankerStateSchema> = {
  processes: ['P0', 'P1', 'P2', 'P3', 'P4'],
  resources: ['A', 'B', 'C'],
  allocation: [
    [0, 1, 0],
    [2, 0, 0],
    [3, 0, 2],
    [2, 1, 1],
    [0, 0, 2],
  ],
  max: [
    [7, 5, 3],
    [3, 2, 2],
    [9, 0, 2],
    [2, 2, 2],
    [4, 3, 3],
  ],
  available: [3, 3, 2],
};

export const BankerCheckRequest = Struct({
  state: BankerStateSchema,
  /** "What if this process asks for this?" */
  ask: Type.Optional(Struct({ process: Type.Integer({ minimum: 0, maximum: 15 }), request: Vector })),
});
export type BankerCheckRequest = Static<typeof BankerCheckRequest>;

const SafetyStepSchema = Type.Union([
  Struct({ kind: Type.Literal('compare'), process: Count, need: Vector, work: Vector, fits: Type.Boolean() }),
  Struct({ kind: Type.Literal('finish'), process: Count, work: Vector }),
]);

export const SafetyCheckSchema = Struct({
  safe: Type.Boolean(),
  /** Process indices: the safe sequence, or those that could finish before it got stuck. */
  sequence: Type.Array(Count, { maxItems: 16 }),
  /** Every Need <= Work comparison and every finish, in order (at most n passes of n rows, plus n finishes). */
  steps: Type.Array(SafetyStepSchema, { maxItems: 16 * 16 + 16 }),
  work: Vector,
  reason: Text(1024),
});
export type SafetyCheckSchema = Static<typeof SafetyCheckSchema>;

export const BankerCheckResult = Struct({
  need: Matrix,
  safety: SafetyCheckSchema,
  evaluation: Type.Optional(
    Struct({
      verdict: BankerReport.properties.requests.items.properties.verdict,
      explanation: Text(1024),
      /** The safety check of the state as if granted, when the units were free. */
      safety: Type.Union([SafetyCheckSchema, Type.Null()]),
      /** The state to keep: after the grant when granted, else unchanged. */
      state: BankerStateSchema,
    }),
  ),
});
export type BankerCheckResult = Static<typeof BankerCheckResult>;

export const SyncCallOptions = Struct({
  mode: SyncCallReport.properties.mode,
  thresholdMs: Type.Optional(Type.Integer({ minimum: 200, maximum: 10_000 })),
});
export type SyncCallOptions = Static<typeof SyncCallOptions>;

export const StarvationOptions = Struct({
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  agingEvery: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  ticks: Type.Optional(Type.Integer({ minimum: 100, maximum: 100_000 })),
});
export type StarvationOptions = Static<typeof StarvationOptions>;

export const StarvationComparison = Struct({
  agingEvery: Count,
  ticks: Count,
  seed: Type.Integer(),
  off: StarvationReport,
  on: StarvationReport,
});
export type StarvationComparison = Static<typeof StarvationComparison>;

/** The stall began: the lab host's main thread is about to block for good (the page then waits for the watchdog). */
export const DeadlockStallStarted = Struct({ hostPid: Type.Integer(), thresholdNote: Text() });
export type DeadlockStallStarted = Static<typeof DeadlockStallStarted>;
