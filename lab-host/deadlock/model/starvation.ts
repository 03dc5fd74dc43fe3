/**
 * Starvation (기아 상태) and aging (에이징): a pure, seeded priority scheduler of requests. One
 * server serves one request per tick, always the waiting request of highest effective priority
 * (oldest first among equals). High-priority requests arrive often enough to keep the server busy
 * most ticks, so without aging a low-priority request waits as long as any high one is queued: it
 * can wait forever. With aging a request's effective priority rises by one for every `agingEvery`
 * ticks it has waited, so every request is eventually the highest.
 *
 * Like a busy tab's messages crowding out another tab's. Steppable: `step()` is one tick; `back()`
 * replays to the tick before (each tick's draws depend only on the seed and the tick's number).
 */
import { deriveSeed, quantile, seededRandom } from '../../../protocol/experiments/stats.ts';

export interface StarvationConfig {
  readonly seed: number;
  /** Ticks simulated. */
  readonly ticks: number;
  /** Chance per tick that a high-priority request arrives. */
  readonly highArrival: number;
  /** Chance per tick that a low-priority request arrives. */
  readonly lowArrival: number;
  readonly highPriority: number;
  readonly lowPriority: number;
  readonly aging: boolean;
  /** With aging: +1 effective priority per this many ticks waited. */
  readonly agingEvery: number;
}

export const DEFAULT_STARVATION: StarvationConfig = {
  seed: 1,
  ticks: 20_000,
  highArrival: 0.95,
  lowArrival: 0.04,
  highPriority: 10,
  lowPriority: 1,
  aging: false,
  agingEvery: 5,
};

export interface Request {
  readonly id: number;
  readonly priority: number;
  readonly arrivedAt: number;
}

export interface ServedRequest extends Request {
  readonly servedAt: number;
}

export interface SchedulerState {
  readonly tick: number;
  readonly queue: readonly Request[];
  readonly served: readonly ServedRequest[];
  readonly nextId: number;
}

function checkConfig(config: StarvationConfig): void {
  if (!Number.isInteger(config.ticks) || config.ticks < 1 || config.ticks > 1_000_000)
    throw new RangeError(`ticks must be a whole number from 1 to 1,000,000 (got ${config.ticks})`);
  for (const key of ['highArrival', 'lowArrival'] as const)
    if (!(config[key] >= 0 && config[key] <= 1)) throw new RangeError(`${key} must be in [0, 1] (got ${config[key]})`);
  if (!Number.isInteger(config.agingEvery) || config.agingEvery < 1)
    throw new RangeError(`agingEvery must be a whole number from 1 (got ${config.agingEvery})`);
}

export function effectivePriority(config: StarvationConfig, request: Request, tick: number): number {
  return config.aging
    ? request.priority + Math.floor((tick - request.arrivedAt) / config.agingEvery)
    : request.priority;
}

export const initialSchedulerState = (): SchedulerState => ({ tick: 0, queue: [], served: [], nextId: 0 });

/** One tick in place: arrivals, then the server takes the waiting request of highest effective priority. */
function advance(
  config: StarvationConfig,
  state: { tick: number; queue: Request[]; served: ServedRequest[]; nextId: number },
): void {
  const random = seededRandom(deriveSeed(config.seed, `tick ${state.tick}`));
  const { queue } = state;
  if (random() < config.highArrival)
    queue.push({ id: state.nextId++, priority: config.highPriority, arrivedAt: state.tick });
  if (random() < config.lowArrival)
    queue.push({ id: state.nextId++, priority: config.lowPriority, arrivedAt: state.tick });
  let best = -1;
  let bestPriority = -Infinity;
  for (let i = 0; i < queue.length; i++) {
    // The queue is in arrival order, so a strict > keeps the oldest among equals.
    const priority = effectivePriority(config, queue[i]!, state.tick);
    if (priority > bestPriority) [best, bestPriority] = [i, priority];
  }
  if (best >= 0) state.served.push({ ...queue.splice(best, 1)[0]!, servedAt: state.tick });
  state.tick++;
}

/** One tick, as a new state (the old one is left as it was). */
export function tick(config: StarvationConfig, state: SchedulerState): SchedulerState {
  const next = { ...state, queue: [...state.queue], served: [...state.served] };
  advance(config, next);
  return next;
}

/** The state after `ticks` ticks from the start. */
export function stateAt(config: StarvationConfig, ticks: number): SchedulerState {
  const state = { tick: 0, queue: [] as Request[], served: [] as ServedRequest[], nextId: 0 };
  while (state.tick < ticks) advance(config, state);
  return state;
}

export interface WaitSummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly longest: number;
}

export interface HistogramBucket {
  /** Waits from `from` up to and including `to` ticks. */
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface StarvationOutcome {
  readonly aging: boolean;
  readonly served: number;
  /** Still waiting when the run ended: their wait so far counts (a lower bound of their wait). */
  readonly unserved: number;
  /** Of those, low-priority ones. */
  readonly unservedLow: number;
  readonly all: WaitSummary;
  readonly high: WaitSummary;
  readonly low: WaitSummary;
  /** Waits in ticks, power-of-two buckets (0, 1, 2-3, 4-7, ...), the same edges for every run. */
  readonly histogram: readonly HistogramBucket[];
}

function summarizeWaits(waits: number[]): WaitSummary {
  const sorted = waits.sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, p50: 0, p99: 0, longest: 0 };
  return { count: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), longest: sorted.at(-1)! };
}

export function histogram(waits: readonly number[], maxWait: number): HistogramBucket[] {
  const buckets: HistogramBucket[] = [{ from: 0, to: 0, count: 0 }];
  for (let from = 1; from <= Math.max(1, maxWait); from *= 2) buckets.push({ from, to: from * 2 - 1, count: 0 });
  const counts = buckets.map(() => 0);
  for (const wait of waits) counts[wait === 0 ? 0 : Math.floor(Math.log2(wait)) + 1]!++;
  return buckets.map((bucket, i) => ({ ...bucket, count: counts[i]! }));
}

export function starvationOutcome(config: StarvationConfig, state: SchedulerState): StarvationOutcome {
  const waited = [
    ...state.served.map((request) => ({ priority: request.priority, wait: request.servedAt - request.arrivedAt })),
    ...state.queue.map((request) => ({ priority: request.priority, wait: state.tick - request.arrivedAt })),
  ];
  const waits = (filter: (priority: number) => boolean) =>
    waited.filter((entry) => filter(entry.priority)).map((entry) => entry.wait);
  const all = waits(() => true);
  return {
    aging: config.aging,
    served: state.served.length,
    unserved: state.queue.length,
    unservedLow: state.queue.filter((request) => request.priority === config.lowPriority).length,
    all: summarizeWaits([...all]),
    high: summarizeWaits(waits((priority) => priority === config.highPriority)),
    low: summarizeWaits(waits((priority) => priority === config.lowPriority)),
    // The horizon bounds every wait, so both runs of one config share bucket edges.
    histogram: histogram(all, config.ticks),
  };
}

/** The scheduler you step through, forward a tick or back a tick. */
export class StarvationModel {
  private current: SchedulerState = initialSchedulerState();

  constructor(readonly config: StarvationConfig) {
    checkConfig(config);
  }

  get state(): SchedulerState {
    return this.current;
  }

  get finished(): boolean {
    return this.current.tick >= this.config.ticks;
  }

  step(): boolean {
    if (this.finished) return false;
    this.current = tick(this.config, this.current);
    return true;
  }

  /** Back one tick: replays from the start (deterministic), so back is exact. */
  back(): boolean {
    if (this.current.tick === 0) return false;
    this.current = stateAt(this.config, this.current.tick - 1);
    return true;
  }

  run(): StarvationOutcome {
    this.current = stateAt(this.config, this.config.ticks);
    return this.outcome();
  }

  outcome(): StarvationOutcome {
    return starvationOutcome(this.config, this.current);
  }
}

/** The same seeded arrivals with aging off and on. */
export function compareAging(config: Partial<StarvationConfig> = {}): {
  off: StarvationOutcome;
  on: StarvationOutcome;
} {
  const base = { ...DEFAULT_STARVATION, ...config };
  return {
    off: new StarvationModel({ ...base, aging: false }).run(),
    on: new StarvationModel({ ...base, aging: true }).run(),
  };
}
