/**
 * The deadlock page's view model: pure functions from what the lab host sent (snapshots of the real
 * lock table with the detector's findings, banker checks, run rows, starvation reports) to what the
 * view draws. No DOM here; deadlock-view-model.test.ts runs them over a real recorded run.
 */
import type {
  BankerCheckResult,
  DeadlockSnapshotEvent,
  SafetyCheckSchema,
  StarvationReport,
  StrategyRow,
} from '../../../../protocol/labs/deadlock-result.ts';
import { TEXTBOOK_BANKER_STATE } from '../../../../protocol/labs/deadlock-result.ts';

type Snapshot = DeadlockSnapshotEvent['snapshot'];
type Detection = DeadlockSnapshotEvent['detection'];

export interface GraphNode {
  readonly key: string;
  readonly kind: 'thread' | 'resource';
  readonly id: number;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  /** On a cycle of the wait-for graph. */
  readonly onCycle: boolean;
  /** Thread: its phase; resource: 'free' or 'held'. */
  readonly state: string;
  /** The lab host's own main thread ("ignoring it"). */
  readonly mainThread: boolean;
}

export interface GraphEdge {
  readonly key: string;
  /** assignment: resource -> its holder; request: a thread -> the resource it waits for. */
  readonly kind: 'assignment' | 'request';
  readonly from: string;
  readonly to: string;
  readonly onCycle: boolean;
}

export interface AllocationGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly cycles: readonly (readonly string[])[];
}

const threadKey = (id: number) => `t${id}`;
const resourceKey = (id: number) => `r${id}`;

/**
 * The resource-allocation graph of one snapshot, laid out on a circle: resources and threads
 * alternate around it, so a cycle of the dining table is drawn as the ring it is. Edges on a cycle are the ones the cycle runs along.
 */
export function allocationGraph(
  snapshot: Snapshot,
  detection: Detection,
  mainThread: number | null = null,
  size = 360,
): AllocationGraph {
  const cycles = detection.conditions.circularWait.cycles;
  const onCycle = new Set(cycles.flat());
  const slots = snapshot.threads.length + snapshot.resources.length;
  const radius = size / 2 - 40;
  const at = (slot: number) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * slot) / slots;
    return { x: Math.round(size / 2 + radius * Math.cos(angle)), y: Math.round(size / 2 + radius * Math.sin(angle)) };
  };
  // Resource i, then thread i, around the circle: philosopher i sits between fork i (its first,
  // left) and fork i+1 (its second), so every edge of the table joins neighbours.
  const order: { kind: 'thread' | 'resource'; id: number }[] = [];
  for (let i = 0; i < Math.max(snapshot.threads.length, snapshot.resources.length); i++) {
    if (i < snapshot.resources.length) order.push({ kind: 'resource', id: i });
    if (i < snapshot.threads.length) order.push({ kind: 'thread', id: i });
  }
  // A waited-for resource is on the cycle when a cycle thread waits for it and a cycle thread holds it.
  const resourceOnCycle = (id: number) =>
    snapshot.resources[id]!.holders.some((h) => onCycle.has(h)) &&
    snapshot.threads.some((t) => onCycle.has(t.id) && t.waitingFor === id);
  const nodes: GraphNode[] = order.map(({ kind, id }, slot) => {
    const position = at(slot);
    if (kind === 'thread') {
      const thread = snapshot.threads[id]!;
      return {
        key: threadKey(id),
        kind,
        id,
        name: thread.name,
        ...position,
        onCycle: onCycle.has(id),
        state: thread.phase,
        mainThread: mainThread === id,
      };
    }
    const resource = snapshot.resources[id]!;
    return {
      key: resourceKey(id),
      kind,
      id,
      name: resource.name,
      ...position,
      onCycle: resourceOnCycle(id),
      state: resource.holders.length ? 'held' : 'free',
      mainThread: false,
    };
  });
  const edges: GraphEdge[] = [];
  for (const resource of snapshot.resources)
    for (const holder of resource.holders)
      edges.push({
        key: `${resourceKey(resource.id)}-${threadKey(holder)}`,
        kind: 'assignment',
        from: resourceKey(resource.id),
        to: threadKey(holder),
        onCycle: onCycle.has(holder) && resourceOnCycle(resource.id),
      });
  for (const thread of snapshot.threads)
    if (thread.waitingFor !== null)
      edges.push({
        key: `${threadKey(thread.id)}-${resourceKey(thread.waitingFor)}`,
        kind: 'request',
        from: threadKey(thread.id),
        to: resourceKey(thread.waitingFor),
        onCycle: onCycle.has(thread.id) && resourceOnCycle(thread.waitingFor),
      });
  return {
    width: size,
    height: size,
    nodes,
    edges,
    cycles: cycles.map((cycle) => cycle.map((t) => snapshot.threads[t]?.name ?? `#${t}`)),
  };
}

export type ConditionId = 'mutual-exclusion' | 'hold-and-wait' | 'no-preemption' | 'circular-wait';

export interface ConditionRow {
  readonly id: ConditionId;
  readonly holds: boolean;
  /** Where it holds: resource or thread names (a cycle as "a -> b -> a"). */
  readonly where: readonly string[];
}

/** The four conditions (상호 배제, 점유 대기, 비선점, 환형 대기), each with where it holds in this snapshot. */
export function conditionRows(snapshot: Snapshot, detection: Detection): ConditionRow[] {
  const { mutualExclusion, holdAndWait, noPreemption, circularWait } = detection.conditions;
  const resource = (id: number) => snapshot.resources[id]?.name ?? `#${id}`;
  const thread = (id: number) => snapshot.threads[id]?.name ?? `#${id}`;
  return [
    { id: 'mutual-exclusion', holds: mutualExclusion.holds, where: mutualExclusion.resources.map(resource) },
    { id: 'hold-and-wait', holds: holdAndWait.holds, where: holdAndWait.threads.map(thread) },
    { id: 'no-preemption', holds: noPreemption.holds, where: noPreemption.resources.map(resource) },
    {
      id: 'circular-wait',
      holds: circularWait.holds,
      where: circularWait.cycles.map((cycle) => [...cycle, cycle[0]!].map(thread).join(' → ')),
    },
  ];
}

// ---- the banker's tables ----

export interface BankerForm {
  readonly processes: readonly string[];
  readonly resources: readonly string[];
  readonly allocation: readonly (readonly number[])[];
  readonly max: readonly (readonly number[])[];
  readonly available: readonly number[];
}

/** Silberschatz, Galvin & Gagne's instance, as the lab host's banker tests use it. */
export const TEXTBOOK_FORM: BankerForm = TEXTBOOK_BANKER_STATE;

/** A cell typed by hand: a whole number from 0 to 99, or null (the view marks it and checks nothing). */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,2}$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** Need = Max - Allocation, cell by cell; a negative cell (Allocation above Max) is reported, not clamped. */
export function deriveNeed(form: BankerForm): {
  need: number[][];
  overClaimed: { process: number; resource: number }[];
} {
  const overClaimed: { process: number; resource: number }[] = [];
  const need = form.max.map((row, p) =>
    row.map((max, r) => {
      const value = max - (form.allocation[p]?.[r] ?? 0);
      if (value < 0) overClaimed.push({ process: p, resource: r });
      return value;
    }),
  );
  return { need, overClaimed };
}

export interface SafetyView {
  /** Steps shown so far (0 .. steps.length). */
  readonly shown: number;
  readonly total: number;
  /** Work after the steps shown. */
  readonly work: readonly number[];
  readonly finish: readonly boolean[];
  /** The row of the step just shown, and what happened there. */
  readonly current: { readonly process: number; readonly kind: 'compare' | 'finish'; readonly fits: boolean } | null;
  /** The sequence of finishes so far. */
  readonly sequence: readonly number[];
  readonly done: boolean;
}

/** The safety check of `processes` rows as far as `shown` steps: Work, Finish and the row being looked at. */
export function safetyView(
  safety: SafetyCheckSchema,
  available: readonly number[],
  processes: number,
  shown: number,
): SafetyView {
  const upTo = Math.max(0, Math.min(shown, safety.steps.length));
  const steps = safety.steps.slice(0, upTo);
  const finishes = steps.filter((step) => step.kind === 'finish');
  const finished = new Set(finishes.map((step) => step.process));
  const last = steps.at(-1);
  return {
    shown: upTo,
    total: safety.steps.length,
    work: finishes.at(-1)?.work ?? available,
    finish: Array.from({ length: processes }, (_, p) => finished.has(p)),
    current: last ? { process: last.process, kind: last.kind, fits: last.kind === 'finish' || last.fits } : null,
    sequence: finishes.map((step) => step.process),
    done: upTo === safety.steps.length,
  };
}

/** The processes that could not finish, when the state is unsafe. */
export function stuckProcesses(result: BankerCheckResult, processes: number): number[] {
  const finished = new Set(result.safety.sequence);
  return Array.from({ length: processes }, (_, p) => p).filter((p) => !finished.has(p));
}

export const formatVector = (vector: readonly number[]) => `(${vector.join(', ')})`;

// ---- prevention: the deadlock rate before and after ----

export interface RateRow {
  readonly strategy: StrategyRow['strategy'];
  readonly breaks: StrategyRow['breaks'];
  readonly applicable: boolean;
  readonly runs: number;
  readonly deadlocks: number;
  readonly rate: number;
  readonly restarts: number;
  readonly finished: number;
}

export function rateRow(row: StrategyRow): RateRow {
  return {
    strategy: row.strategy,
    breaks: row.breaks,
    applicable: row.applicable,
    runs: row.runs,
    deadlocks: row.deadlocks,
    rate: row.rate,
    restarts: row.restarts,
    finished: row.finished,
  };
}

/** "3/10 (30%)". */
export const formatRate = (row: Pick<RateRow, 'deadlocks' | 'runs' | 'rate'>) =>
  `${row.deadlocks}/${row.runs} (${Math.round(row.rate * 100)}%)`;

// ---- starvation and aging ----

export interface HistogramBar {
  readonly bucket: string;
  /** Bucket order, for the x axis. */
  readonly order: number;
  readonly aging: 'off' | 'on';
  readonly count: number;
}

/**
 * The wait-time histogram of both runs as bars (power-of-two buckets "0", "1", "2–3", ...), up to
 * the last bucket either run used (the empty tail to the horizon is left out).
 */
export function histogramBars(off: StarvationReport, on: StarvationReport): HistogramBar[] {
  const used = (report: StarvationReport) => report.histogram.findLastIndex((bucket) => bucket.count > 0);
  const last = Math.max(used(off), used(on));
  const label = (bucket: StarvationReport['histogram'][number]) =>
    bucket.from === bucket.to ? `${bucket.from}` : `${bucket.from}–${bucket.to}`;
  const bars: HistogramBar[] = [];
  for (const [aging, report] of [
    ['off', off],
    ['on', on],
  ] as const)
    report.histogram
      .slice(0, last + 1)
      .forEach((bucket, order) => bars.push({ bucket: label(bucket), order, aging, count: bucket.count }));
  return bars;
}

export interface AgingSummary {
  readonly p99Off: number;
  readonly p99On: number;
  readonly longestOff: number;
  readonly longestOn: number;
  readonly lowP99Off: number;
  readonly lowP99On: number;
  /** p99 with aging over p99 without (below 1: aging lowered it). */
  readonly p99Ratio: number;
}

export function agingSummary(off: StarvationReport, on: StarvationReport): AgingSummary {
  return {
    p99Off: off.all.p99,
    p99On: on.all.p99,
    longestOff: off.all.longest,
    longestOn: on.all.longest,
    lowP99Off: off.low.p99,
    lowP99On: on.low.p99,
    p99Ratio: off.all.p99 > 0 ? on.all.p99 / off.all.p99 : 1,
  };
}

// ---- ignoring it: the lab host stalls, the browser's watchdog ends it ----

export type StallPhase = 'idle' | 'starting' | 'stalled' | 'host-ended' | 'restarted' | 'failed';

export interface StallState {
  readonly phase: StallPhase;
  readonly stalledPid: number | null;
  readonly newPid: number | null;
  readonly stalledAt: number | null;
  readonly endedAt: number | null;
  readonly restartedAt: number | null;
}

export const STALL_IDLE: StallState = {
  phase: 'idle',
  stalledPid: null,
  newPid: null,
  stalledAt: null,
  endedAt: null,
  restartedAt: null,
};

export type StallEvent =
  | { readonly type: 'start' }
  | { readonly type: 'stalled'; readonly pid: number; readonly at: number }
  | { readonly type: 'host-changed'; readonly running: boolean; readonly at: number }
  | { readonly type: 'new-host'; readonly pid: number }
  | { readonly type: 'failed' };

/** What the page knows of the stall, from its own call and the browser's labHostChanged. */
export function nextStall(state: StallState, event: StallEvent): StallState {
  switch (event.type) {
    case 'start':
      return { ...STALL_IDLE, phase: 'starting' };
    case 'stalled':
      return state.phase === 'starting'
        ? { ...state, phase: 'stalled', stalledPid: event.pid, stalledAt: event.at }
        : state;
    case 'host-changed':
      if (!event.running && state.phase === 'stalled') return { ...state, phase: 'host-ended', endedAt: event.at };
      if (event.running && (state.phase === 'host-ended' || state.phase === 'stalled'))
        return { ...state, phase: 'restarted', restartedAt: event.at, endedAt: state.endedAt ?? event.at };
      return state;
    case 'new-host':
      return state.phase === 'restarted' ? { ...state, newPid: event.pid } : state;
    case 'failed':
      return { ...state, phase: 'failed' };
  }
}

/** Seconds from the stall to the watchdog ending the host, one decimal. */
export function stallSeconds(state: StallState): string | null {
  if (state.stalledAt === null || state.endedAt === null) return null;
  return ((state.endedAt - state.stalledAt) / 1000).toFixed(1);
}
