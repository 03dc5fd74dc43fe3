/**
 * The threads lab page's view model: pure functions over the model (protocol/labs/threads-model/,
 * run here in the page: "you are the scheduler" and the proofs need no lab host) and over what the
 * lab host's real runs send back. No DOM; tested in Node (threads-view-model.test.ts).
 */
import { findDeadlock, findExclusionViolation, search } from '../../../../protocol/labs/threads-model/explore.ts';
import { ThreadsModel, type MachineState, type ThreadEvent } from '../../../../protocol/labs/threads-model/machine.ts';
import { describe as describeInstr, type Program } from '../../../../protocol/labs/threads-model/program.ts';
import { makeProgram, programInfo } from '../../../../protocol/labs/threads-model/programs.ts';
import type {
  ProcessVsThread,
  RealRun,
  ReplayResult,
  ThreadsProgramId,
  ThreadsProgramParams,
} from '../../../../protocol/labs/threads-result.ts';

/** The race scene's lock choice: none (the race itself) or a primitive guarding the same counter. */
export const RACE_LOCKS: readonly ThreadsProgramId[] = [
  'race',
  'mutex',
  'binary-semaphore',
  'counting-semaphore',
  'monitor-buffer',
  'spin-lock',
  'ticket-lock',
  'peterson',
];

/** Critical sections three ways, and the requirements each program keeps or breaks. */
export const REQUIREMENT_PROGRAMS: readonly ThreadsProgramId[] = [
  'mutex',
  'binary-semaphore',
  'counting-semaphore',
  'monitor-buffer',
  'spin-lock',
  'ticket-lock',
  'peterson',
  'milk-1',
  'milk-2',
  'race',
];

/** Programs small enough to schedule by hand. */
export const SCHEDULER_PROGRAMS: readonly ThreadsProgramId[] = [
  'race',
  'milk-1',
  'milk-2',
  'milk-3',
  'spin-lock',
  'mutex',
  'binary-semaphore',
  'peterson',
  'ticket-lock',
];

/** Waiting by spinning: with more spinning threads than cores the one whose turn it is waits whole time slices. */
const SPINNING = new Set<ThreadsProgramId>(['peterson', 'spin-lock', 'ticket-lock', 'milk-3']);

/** The parameters the lab host will accept for `program` given the knobs (fixed-thread and spinning programs clamped). */
export function runParams(
  program: ThreadsProgramId,
  knobs: { threads: number; iterations: number; gapAt: NonNullable<ThreadsProgramParams['gapAt']> },
): ThreadsProgramParams {
  const fixed = programInfo(program).fixedThreads;
  const spinning = SPINNING.has(program);
  const threads = fixed ?? (spinning ? Math.min(2, knobs.threads) : knobs.threads);
  const iterations = spinning ? Math.min(knobs.iterations, 2000) : knobs.iterations;
  return {
    program,
    threads: program === 'monitor-buffer' ? Math.max(2, threads - (threads % 2)) : Math.max(1, threads),
    iterations: Math.max(1, iterations),
    gapAt: knobs.gapAt,
  };
}

export function buildProgram(params: ThreadsProgramParams): Program {
  return makeProgram(params.program, {
    threads: params.threads,
    iterations: params.iterations,
    ...(params.gapAt ? { gapAt: params.gapAt } : {}),
  });
}

// ---- the race, live -------------------------------------------------------------------------------

export interface RaceTotals {
  readonly runs: number;
  readonly expected: number;
  readonly lost: number;
  /** Runs that lost at least one update. */
  readonly runsLosing: number;
  /** The most threads seen at once in a region past its limit, over all runs. */
  readonly worstInside: { region: string; maxInside: number; limit: number } | undefined;
  readonly errors: string[];
}

export function raceTotals(runs: readonly RealRun[]): RaceTotals {
  let worst: RaceTotals['worstInside'];
  for (const run of runs)
    for (const region of run.regions)
      if (!worst || region.maxInside - region.limit > worst.maxInside - worst.limit) worst = { ...region };
  return {
    runs: runs.length,
    expected: runs.reduce((sum, run) => sum + run.expected, 0),
    lost: runs.reduce((sum, run) => sum + Math.max(0, run.lostUpdates), 0),
    runsLosing: runs.filter((run) => run.lostUpdates > 0).length,
    worstInside: worst,
    errors: runs.flatMap((run) => (run.error ? [run.error] : [])),
  };
}

/** One bar per run: the counter it reached and the updates lost. */
export function raceRows(runs: readonly RealRun[]): { run: number; final: number; lost: number; expected: number }[] {
  return runs.map((run, index) => ({
    run: index + 1,
    final: run.final,
    lost: run.lostUpdates,
    expected: run.expected,
  }));
}

// ---- process vs thread -----------------------------------------------------------------------------

export interface MemoryRow {
  readonly what: 'process' | 'thread';
  readonly index: number;
  readonly mib: number;
}

/** Each child process's whole resident set beside what one more worker thread costs this process. */
export function memoryRows(result: ProcessVsThread): MemoryRow[] {
  return [
    ...result.processes.childRssMiB.map((mib, index) => ({ what: 'process' as const, index, mib })),
    ...Array.from({ length: result.workers }, (_, index) => ({
      what: 'thread' as const,
      index,
      mib: Math.max(0, result.threads.rssPerThreadMiB),
    })),
  ];
}

export function memoryRatio(result: ProcessVsThread): number | undefined {
  const perChild =
    result.processes.childRssMiB.reduce((sum, mib) => sum + mib, 0) / Math.max(1, result.processes.childRssMiB.length);
  return result.threads.rssPerThreadMiB > 0 ? perChild / result.threads.rssPerThreadMiB : undefined;
}

// ---- the three requirements, proved on the model ---------------------------------------------------

export type Verdict = 'holds' | 'fails' | 'not-shown';

export interface Requirement {
  readonly verdict: Verdict;
  /** A shortest schedule that breaks it, when one does. */
  readonly schedule?: number[];
  /** Numbers for the text: states searched, threads inside, entries overtaken, final counters. */
  readonly values: Record<string, number | string>;
}

export interface RequirementRow {
  readonly program: ThreadsProgramId;
  readonly region: string;
  readonly limit: number;
  readonly states: number;
  readonly complete: boolean;
  readonly exclusion: Requirement;
  readonly progress: Requirement;
  readonly bounded: Requirement;
}

/** What the requirements are checked on: two threads, two rounds each (small enough to see every state). */
export const PROOF_PARAMS = { threads: 2, iterations: 2, gapAt: 'none' } as const;

/**
 * Mutual exclusion (상호 배제): never more than the region's limit inside. Progress (융통성): no
 * schedule where every thread is stuck, and none where all finish with nobody having got in.
 * Bounded waiting (한정 대기): once a thread has asked (its `want`), the other enters at most once
 * before it; only for programs that mark where asking ends.
 */
export function checkRequirements(id: ThreadsProgramId, maxStates = 400_000): RequirementRow {
  const program = buildProgram({ program: id, ...PROOF_PARAMS });
  const [region, limit] = Object.entries(program.regions ?? {})[0] ?? ['counter', 1];
  const marksWaiting = program.threads.some((thread) => thread.code.some((instr) => instr.op === 'want'));
  let worstInside = 0;
  let deadlocked = false;
  let nobodyIn = false;
  let overtaken = 0;
  const finals = new Set<number>();
  // One pass over every reachable state gathers all three; the counterexamples come after, cheaply.
  const all = search(
    program,
    (state, outcome) => {
      worstInside = Math.max(worstInside, state.maxInside[region] ?? 0);
      overtaken = Math.max(overtaken, state.maxOvertaken);
      if (outcome.deadlocked) deadlocked = true;
      if (outcome.finished && outcome.counter !== null) {
        finals.add(outcome.counter);
        if (outcome.counter === 0 && (outcome.expected ?? 0) > 0) nobodyIn = true;
      }
      return 0;
    },
    { maxStates },
  );
  const exclusionBroken = worstInside > limit;
  const violation = exclusionBroken ? findExclusionViolation(program, region, limit, maxStates) : undefined;
  const deadlock = deadlocked ? findDeadlock(program, maxStates) : undefined;
  const nobody = nobodyIn
    ? search(program, (_state, outcome) => (outcome.finished && outcome.counter === 0 ? 1 : 0), {
        stopAt: 1,
        maxStates,
      })
    : undefined;
  const starving =
    marksWaiting && overtaken > 1
      ? search(program, (state) => (state.maxOvertaken > 1 ? 1 : 0), { stopAt: 1, maxStates })
      : undefined;
  const finalText = [...finals].sort((a, b) => a - b).join(', ');
  return {
    program: id,
    region,
    limit,
    states: all.states,
    complete: all.complete,
    exclusion: {
      verdict: exclusionBroken ? 'fails' : 'holds',
      ...(violation ? { schedule: violation.schedule } : {}),
      values: { inside: worstInside, limit, region, states: all.states },
    },
    progress: {
      verdict: deadlocked || nobodyIn ? 'fails' : 'holds',
      ...(deadlock ? { schedule: deadlock.schedule } : nobody ? { schedule: nobody.schedule } : {}),
      values: { finals: finalText, why: deadlocked ? 'deadlock' : nobodyIn ? 'nobody' : 'ok' },
    },
    bounded: {
      verdict: !marksWaiting ? 'not-shown' : overtaken > 1 ? 'fails' : 'holds',
      ...(starving ? { schedule: starving.schedule } : {}),
      values: { overtaken },
    },
  };
}

// ---- you are the scheduler ----------------------------------------------------------------------------

export interface ThreadView {
  readonly index: number;
  readonly name: string;
  readonly status: 'ready' | 'blocked' | 'done';
  readonly canStep: boolean;
  readonly pc: number;
  readonly lines: readonly string[];
  readonly regs: readonly [string, number][];
  readonly inside: boolean;
}

export interface PrimitivePanel {
  readonly kind: 'mutex' | 'semaphore' | 'monitor' | 'region' | 'variable';
  readonly name: string;
  /** What to show: owner / count / who is inside; queues by name. */
  readonly fields: readonly [string, string][];
}

export type SearchOutcome =
  | { readonly kind: 'found'; readonly steps: number; readonly states: number }
  | { readonly kind: 'impossible'; readonly states: number }
  | { readonly kind: 'gave-up'; readonly states: number };

/** The model you schedule by hand: forward by picking a thread, back, seeded random steps, search. */
export class SchedulerSession {
  readonly program: Program;
  readonly region: string;
  readonly limit: number;
  model: ThreadsModel;

  constructor(
    readonly params: ThreadsProgramParams,
    public seed = 1,
  ) {
    this.program = buildProgram(params);
    [this.region, this.limit] = Object.entries(this.program.regions ?? {})[0] ?? ['counter', 1];
    this.model = new ThreadsModel(this.program, seed);
  }

  get state(): MachineState {
    return this.model.state;
  }

  get schedule(): readonly number[] {
    return this.model.schedule;
  }

  get events(): readonly ThreadEvent[] {
    return this.model.events;
  }

  /** More threads than the region allows are inside it now. */
  get violated(): boolean {
    return (this.state.inside[this.region]?.length ?? 0) > this.limit;
  }

  get finished(): boolean {
    return this.model.runnable.length === 0;
  }

  pick(thread: number): boolean {
    return this.model.step(thread);
  }

  back(): boolean {
    return this.model.back();
  }

  /** One step of the seeded scheduler's choice. */
  randomStep(): boolean {
    return this.model.step();
  }

  /** Seeded steps until two are inside, or nobody can step (at most `maxSteps`). */
  randomRun(maxSteps = 5000): void {
    for (let i = 0; i < maxSteps && !this.violated && this.model.step(); i++);
  }

  /** From the start with a new seed. */
  restart(seed = this.seed): void {
    this.seed = seed;
    this.model = new ThreadsModel(this.program, seed);
  }

  /** Loads `schedule` from the start (e.g. a counterexample). */
  load(schedule: readonly number[]): void {
    this.model = new ThreadsModel(this.program, this.seed);
    for (const thread of schedule) if (!this.model.step(thread)) break;
  }

  /** Exhaustive search: a shortest schedule putting too many inside (then loaded), or a proof there is none. */
  search(maxStates = 300_000): SearchOutcome {
    const found = findExclusionViolation(this.program, this.region, this.limit, maxStates);
    if (found.best > 0) {
      this.load(found.schedule);
      return { kind: 'found', steps: found.schedule.length, states: found.states };
    }
    return found.complete ? { kind: 'impossible', states: found.states } : { kind: 'gave-up', states: found.states };
  }

  threads(): ThreadView[] {
    const ready = new Set(this.model.runnable);
    const inside = new Set(Object.values(this.state.inside).flat());
    return this.program.threads.map((thread, index) => {
      const state = this.state.threads[index]!;
      return {
        index,
        name: thread.name,
        status: state.status,
        canStep: ready.has(index),
        pc: state.pc,
        lines: thread.code.map((instr) => describeInstr(instr)),
        regs: Object.entries(state.regs).sort(([a], [b]) => a.localeCompare(b)),
        inside: inside.has(index),
      };
    });
  }

  panels(): PrimitivePanel[] {
    const name = (thread: number) => this.program.threads[thread]?.name ?? '—';
    const queue = (threads: readonly number[]) => (threads.length ? threads.map(name).join(', ') : '—');
    const state = this.state;
    const panels: PrimitivePanel[] = [];
    for (const [mutex, value] of Object.entries(state.mutexes))
      panels.push({
        kind: 'mutex',
        name: mutex,
        fields: [
          ['owner', value.owner < 0 ? '—' : name(value.owner)],
          ['waiters', queue(value.waiters)],
        ],
      });
    for (const [semaphore, value] of Object.entries(state.semaphores))
      panels.push({
        kind: 'semaphore',
        name: semaphore,
        fields: [
          ['count', `${value.count} / ${this.program.semaphores![semaphore]!.max}`],
          ['waiters', queue(value.waiters)],
        ],
      });
    for (const [monitor, value] of Object.entries(state.monitors))
      panels.push({
        kind: 'monitor',
        name: monitor,
        fields: [
          ['owner', value.owner < 0 ? '—' : name(value.owner)],
          ['entry', queue(value.entry)],
          ...Object.entries(value.conds).map(([cond, waiting]): [string, string] => [cond, queue(waiting)]),
        ],
      });
    for (const [region, inside] of Object.entries(state.inside))
      panels.push({
        kind: 'region',
        name: region,
        fields: [
          ['inside', `${inside.length} / ${this.program.regions![region]!} (${queue(inside)})`],
          ['most', String(state.maxInside[region] ?? 0)],
        ],
      });
    const layoutNames = Object.keys(this.program.vars);
    let cell = 0;
    for (const variable of layoutNames) {
      const size = this.program.vars[variable]!.size ?? 1;
      panels.push({
        kind: 'variable',
        name: variable,
        fields: [['value', state.mem.slice(cell, cell + size).join(', ')]],
      });
      cell += size;
    }
    return panels;
  }
}

// ---- a replay's outcome ------------------------------------------------------------------------------

/** The most threads inside `region` at once, from an event log (cs-enter's value is how many are inside after). */
export function mostInside(events: readonly ThreadEvent[], region: string): number {
  return events.reduce(
    (most, event) => (event.kind === 'cs-enter' && event.obj === region ? Math.max(most, event.value ?? 0) : most),
    0,
  );
}

export interface ReplayVerdict {
  readonly agree: boolean;
  readonly steps: number;
  readonly modelInside: number;
  readonly realInside: number;
  readonly modelFinal: number;
  readonly realFinal: number;
  readonly firstDifference: number;
}

export function replayVerdict(result: ReplayResult, region: string): ReplayVerdict {
  return {
    agree: result.agree,
    steps: result.schedule.length,
    modelInside: mostInside(result.modelEvents, region),
    realInside: mostInside(result.realEvents, region),
    modelFinal: result.modelFinal,
    realFinal: result.realFinal,
    firstDifference: result.firstDifference,
  };
}

// ---- the history graph --------------------------------------------------------------------------------

/** The events a history graph draws: what a primitive did (the rest is each thread's own work). */
export const SYNC_KINDS = new Set(['acquire', 'block', 'release', 'signal', 'wait', 'cs-enter', 'cs-exit']);

export interface HistoryPoint {
  /** Position along the time axis: the event's rank in the log. */
  readonly x: number;
  readonly thread: string;
  readonly kind: string;
  readonly label: string;
}

export interface HistoryLink {
  readonly x1: number;
  readonly thread1: string;
  readonly x2: number;
  readonly thread2: string;
  readonly obj: string;
}

export interface HistoryGraph {
  readonly lanes: string[];
  readonly points: HistoryPoint[];
  /** From the thread that released or signalled to the thread it woke, at that thread's next event. */
  readonly links: HistoryLink[];
  /** Per primitive: acquires, blocks, wakes, and the last count a semaphore showed. */
  readonly objects: { name: string; acquires: number; blocks: number; wakes: number; count?: number }[];
}

/**
 * Lanes and arrows from an event log (the model's, a replay's or a free run's), at most `max` events
 * (a free run keeps only its first few hundred per thread anyway). `syncOnly` leaves out loads,
 * stores and branches.
 */
export function historyGraph(
  events: readonly ThreadEvent[],
  threadNames: readonly string[],
  options: { syncOnly?: boolean; max?: number } = {},
): HistoryGraph {
  const name = (thread: number) => threadNames[thread] ?? `T${thread}`;
  const chosen = [...events]
    .sort((a, b) => a.step - b.step)
    .filter((event) => !options.syncOnly || SYNC_KINDS.has(event.kind))
    .slice(0, options.max ?? 400);
  const points = chosen.map((event, x) => ({
    x,
    thread: name(event.thread),
    kind: event.kind,
    label: event.obj ? `${event.kind} ${event.obj}` : event.kind,
  }));
  const links: HistoryLink[] = [];
  chosen.forEach((event, x) => {
    if (event.woke === undefined || !['release', 'signal', 'wait'].includes(event.kind)) return;
    const next = chosen.findIndex((later, index) => index > x && later.thread === event.woke);
    links.push({
      x1: x,
      thread1: name(event.thread),
      x2: next < 0 ? x + 0.5 : next,
      thread2: name(event.woke),
      obj: event.obj ?? '',
    });
  });
  const objects = new Map<string, { name: string; acquires: number; blocks: number; wakes: number; count?: number }>();
  for (const event of events) {
    if (!event.obj || !['acquire', 'block', 'release', 'signal', 'wait'].includes(event.kind)) continue;
    const object = objects.get(event.obj) ?? { name: event.obj, acquires: 0, blocks: 0, wakes: 0 };
    if (event.kind === 'acquire') object.acquires++;
    if (event.kind === 'block') object.blocks++;
    if (event.woke !== undefined) object.wakes++;
    if ((event.kind === 'signal' || event.kind === 'acquire') && event.value !== undefined && !event.obj.includes('.'))
      object.count = event.value;
    objects.set(event.obj, object);
  }
  const lanes = [...new Set([...threadNames, ...points.map((point) => point.thread)])];
  return { lanes, points, links, objects: [...objects.values()] };
}

/** The exported file's name: `threads-lab-<time>.json`. */
export function exportFileName(at: Date): string {
  return `threads-lab-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}
