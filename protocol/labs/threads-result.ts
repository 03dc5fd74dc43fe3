/**
 * The threads lab's result (schema `lab-threads/1`): what `npm run lab:threads` writes, and what the
 * lab host will send the `lab://threads` page. Also the one event record both the model
 * (lab-host/threads/model/) and the real worker threads (lab-host/threads/) log, so a replay is
 * compared event for event and the page draws its history graph from either.
 */
import { Struct, Type, type Static } from '../rpc/schema.ts';
import { RunEnvironment } from './ipc-result.ts';

export const THREADS_LAB_SCHEMA = 'lab-threads/1';

export const EventKind = Type.Union([
  Type.Literal('load'),
  Type.Literal('store'),
  Type.Literal('set'),
  Type.Literal('add'),
  Type.Literal('cas'),
  Type.Literal('fadd'),
  Type.Literal('branch'),
  Type.Literal('jump'),
  Type.Literal('gap'),
  Type.Literal('want'),
  Type.Literal('cs-enter'),
  Type.Literal('cs-exit'),
  /** A lock, semaphore or monitor taken. */
  Type.Literal('acquire'),
  /** Found it taken: the thread sleeps until woken. */
  Type.Literal('block'),
  /** unlock / monitor exit (`woke`: the thread it woke). */
  Type.Literal('release'),
  /** semaphore signal (V) or condition signal (`woke`: the thread it woke). */
  Type.Literal('signal'),
  /** condition wait: the monitor released, the thread asleep on the condition (`woke`: an entry waiter). */
  Type.Literal('wait'),
]);
export type EventKind = Static<typeof EventKind>;

const Name = Type.String({ minLength: 1, maxLength: 64 });
const Text = (maxLength = 512) => Type.String({ maxLength });
const Count = Type.Integer({ minimum: 0 });

/**
 * One step of one thread. `step`: the step's number in a model run or a gated replay; in a free run
 * on real threads, a global sequence number (Atomics.add on one shared word), so lanes can be ordered.
 * `value`: what the step read, wrote or left (a load's value, a semaphore's count after, how many
 * threads are inside a critical section after cs-enter, 1 if a branch was taken).
 */
export const ThreadEvent = Struct({
  step: Count,
  thread: Type.Integer({ minimum: 0, maximum: 15 }),
  pc: Count,
  kind: EventKind,
  obj: Type.Optional(Name),
  value: Type.Optional(Type.Integer()),
  woke: Type.Optional(Type.Integer({ minimum: 0, maximum: 15 })),
});
export type ThreadEvent = Static<typeof ThreadEvent>;

const Events = (maxItems: number) => Type.Array(ThreadEvent, { maxItems });

/** One free run of a program on real worker threads over one SharedArrayBuffer. */
export const RealRun = Struct({
  program: Name,
  threads: Type.Integer({ minimum: 1, maximum: 16 }),
  iterations: Count,
  /** Busy-spin iterations each `gap` instruction costs (the preemption window made real). */
  gapSpins: Count,
  /** Where the counter's read-modify-write has its gap: between load and store, after the store, nowhere. */
  gapAt: Type.Optional(Type.Union([Type.Literal('load-store'), Type.Literal('after-store'), Type.Literal('none')])),
  expected: Type.Integer(),
  final: Type.Integer(),
  /** expected - final: increments overwritten by a thread that read the counter before them. */
  lostUpdates: Type.Integer(),
  /** Per critical-section region: the most threads seen inside at once, and the limit. */
  regions: Type.Array(Struct({ region: Name, maxInside: Count, limit: Count }), { maxItems: 8 }),
  /** Per thread: times it blocked, times it woke another thread, times it entered a critical section. */
  perThread: Type.Array(Struct({ blocks: Count, wakes: Count, csEntries: Count }), { maxItems: 16 }),
  /** Bounded waiting: the most critical-section entries of others while one thread waited. */
  maxOvertaken: Count,
  /** The first events of each thread (acquire, release, block, wait, signal, cs-enter, cs-exit). */
  events: Events(4000),
  eventsDropped: Count,
  wallMs: Type.Number({ minimum: 0 }),
  error: Type.Optional(Text(2048)),
});
export type RealRun = Static<typeof RealRun>;

/** What exhaustive search of the model found for one program and one property. */
export const ModelFinding = Struct({
  program: Name,
  property: Text(128),
  /** Distinct states visited (all of them when `complete`). */
  states: Count,
  complete: Type.Boolean(),
  /** The property holds in every reachable state (proved when `complete`). */
  holds: Type.Boolean(),
  /** A schedule (thread index per step) that breaks it, when one was found. */
  counterexample: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 15 }), { maxItems: 4096 })),
  detail: Text(),
});
export type ModelFinding = Static<typeof ModelFinding>;

/** A schedule from the model run again on real workers, one gated step at a time. */
export const ReplayResult = Struct({
  program: Name,
  schedule: Type.Array(Type.Integer({ minimum: 0, maximum: 15 }), { maxItems: 4096 }),
  modelEvents: Events(4096),
  realEvents: Events(4096),
  agree: Type.Boolean(),
  /** Index of the first event that differs (-1: none). */
  firstDifference: Type.Integer({ minimum: -1 }),
  modelFinal: Type.Integer(),
  realFinal: Type.Integer(),
});
export type ReplayResult = Static<typeof ReplayResult>;

/** The same counter in forked processes (each its own copy) and in worker threads (one shared buffer). */
export const ProcessVsThread = Struct({
  workers: Type.Integer({ minimum: 1, maximum: 16 }),
  iterations: Count,
  processes: Struct({
    /** The counter each child process ended with (its own copy). */
    childCounters: Type.Array(Type.Integer(), { maxItems: 16 }),
    /** The parent's counter after the children ran: never touched by them. */
    parentCounter: Type.Integer(),
    /** Resident set size of each child (MiB), measured by the child at its end. */
    childRssMiB: Type.Array(Type.Number({ minimum: 0 }), { maxItems: 16 }),
  }),
  threads: Struct({
    /** The one shared counter after every thread added its iterations (Atomics.add). */
    sharedCounter: Type.Integer(),
    /** Growth of this process's RSS with the threads started and running, divided by their number (MiB). */
    rssPerThreadMiB: Type.Number(),
    rssBeforeMiB: Type.Number({ minimum: 0 }),
    rssWithThreadsMiB: Type.Number({ minimum: 0 }),
  }),
  note: Text(1024),
});
export type ProcessVsThread = Static<typeof ProcessVsThread>;

export const ThreadsLabResult = Struct({
  schema: Type.Literal(THREADS_LAB_SCHEMA),
  startedAt: Text(64),
  finishedAt: Text(64),
  environment: RunEnvironment,
  /** The race: the counter without a lock, several runs. */
  race: Type.Array(RealRun, { maxItems: 64 }),
  /** The same counter with each primitive (and the spin lock / Peterson), one run each. */
  primitives: Type.Array(RealRun, { maxItems: 32 }),
  model: Type.Array(ModelFinding, { maxItems: 64 }),
  replays: Type.Array(ReplayResult, { maxItems: 8 }),
  processVsThread: Type.Union([ProcessVsThread, Type.Null()]),
  errors: Type.Array(Text(2048), { maxItems: 64 }),
});
export type ThreadsLabResult = Static<typeof ThreadsLabResult>;

/**
 * What a run reports while it goes, in order: a line for the log, and each real run or replay as
 * soon as it is done (so a page can count lost updates live).
 */
export const ThreadsLabProgress = Struct({
  line: Text(1024),
  race: Type.Optional(RealRun),
  primitive: Type.Optional(RealRun),
  replay: Type.Optional(ReplayResult),
});
export type ThreadsLabProgress = Static<typeof ThreadsLabProgress>;

// ---- What the lab://threads page asks of the lab host (LabChannel's threads… methods) ----------

/** The catalogue's programs (protocol/labs/threads-model/programs.ts), by id. */
export const ThreadsProgramId = Type.Union([
  Type.Literal('race'),
  Type.Literal('mutex'),
  Type.Literal('binary-semaphore'),
  Type.Literal('counting-semaphore'),
  Type.Literal('monitor-buffer'),
  Type.Literal('peterson'),
  Type.Literal('spin-lock'),
  Type.Literal('ticket-lock'),
  Type.Literal('milk-1'),
  Type.Literal('milk-2'),
  Type.Literal('milk-3'),
]);
export type ThreadsProgramId = Static<typeof ThreadsProgramId>;

export const GapAt = Type.Union([Type.Literal('load-store'), Type.Literal('after-store'), Type.Literal('none')]);

/** A program as the catalogue makes it: which one, for how many threads and rounds, where its gap is. */
export const ThreadsProgramParams = Struct({
  program: ThreadsProgramId,
  /** Threads (2 for the algorithms made for exactly two; up to 8: more than that only queues on the cores). */
  threads: Type.Integer({ minimum: 1, maximum: 8 }),
  /** Rounds each thread makes (bounded so a run stays seconds long on a loaded machine). */
  iterations: Type.Integer({ minimum: 1, maximum: 200_000 }),
  gapAt: Type.Optional(GapAt),
});
export type ThreadsProgramParams = Static<typeof ThreadsProgramParams>;

/** Free runs of one program on real worker threads: `runs` of them, seeds 1..runs. */
export const ThreadsRunOptions = Struct({
  ...ThreadsProgramParams.properties,
  /** Busy-spin iterations of each `gap` (the preemption window made real; default 200). */
  gapSpins: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  runs: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
});
export type ThreadsRunOptions = Static<typeof ThreadsRunOptions>;

export const ThreadsRunResult = Struct({
  runs: Type.Array(RealRun, { maxItems: 16 }),
  environment: RunEnvironment,
});
export type ThreadsRunResult = Static<typeof ThreadsRunResult>;

/** A schedule from the model, replayed on real workers through Atomics gates. */
export const ThreadsReplayOptions = Struct({
  ...ThreadsProgramParams.properties,
  schedule: Type.Array(Type.Integer({ minimum: 0, maximum: 15 }), { maxItems: 4096 }),
});
export type ThreadsReplayOptions = Static<typeof ThreadsReplayOptions>;

export const ProcessVsThreadOptions = Struct({
  workers: Type.Integer({ minimum: 1, maximum: 8 }),
  iterations: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
});
export type ProcessVsThreadOptions = Static<typeof ProcessVsThreadOptions>;
