/**
 * The banker's algorithm (은행원 알고리즘), avoidance (회피): before granting a request, check that the
 * state after it is still safe, that is that some order exists in which every process can get its
 * whole claim (Max) and finish. Pure, no I/O: the page steps through `safetyCheck`'s steps, the real
 * runner (runner.ts) gates its workers' requests with `evaluateRequest`.
 *
 * Need = Max - Allocation. Safety check: Work = Available, Finish = false for all; scan the rows in
 * order, again and again: a row with Finish false and Need <= Work finishes (Work += Allocation,
 * Finish = true); when a whole pass finishes nobody, the state is safe exactly when all finished.
 */
import { TEXTBOOK_BANKER_STATE } from '../../../protocol/labs/deadlock-result.ts';
export interface BankerState {
  readonly processes: readonly string[];
  readonly resources: readonly string[];
  /** allocation[p][r]: units of r process p holds. */
  readonly allocation: readonly (readonly number[])[];
  /** max[p][r]: the most of r process p may ever hold (its claim). */
  readonly max: readonly (readonly number[])[];
  /** available[r]: free units of r. */
  readonly available: readonly number[];
}

export type SafetyStep =
  /** Row `process` compared: Need <= Work or not. `work` is Work before the comparison. */
  | {
      readonly kind: 'compare';
      readonly process: number;
      readonly need: readonly number[];
      readonly work: readonly number[];
      readonly fits: boolean;
    }
  /** Row `process` finishes: Work += Allocation (`work` is Work after). */
  | { readonly kind: 'finish'; readonly process: number; readonly work: readonly number[] };

export interface SafetyResult {
  readonly safe: boolean;
  /** The safe sequence (process indices), or the ones that could finish before it got stuck. */
  readonly sequence: readonly number[];
  /** Every step, for the page to step through forward and back. */
  readonly steps: readonly SafetyStep[];
  /** Work at the end. */
  readonly work: readonly number[];
  /** Why the state is unsafe (empty when safe). */
  readonly reason: string;
}

export class BankerInputError extends RangeError {
  override name = 'BankerInputError';
}

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** Throws a BankerInputError saying what is wrong: shapes, negative or fractional counts, Allocation above Max. */
export function checkBankerState(state: BankerState): void {
  const n = state.processes.length;
  const m = state.resources.length;
  if (n < 1 || m < 1) throw new BankerInputError('need at least one process and one resource type');
  if (state.allocation.length !== n || state.max.length !== n)
    throw new BankerInputError(`Allocation and Max need ${n} rows, one per process`);
  if (state.available.length !== m) throw new BankerInputError(`Available needs ${m} values, one per resource type`);
  state.available.forEach((value, r) => {
    if (!isCount(value))
      throw new BankerInputError(`Available[${state.resources[r]}] must be a whole number >= 0 (got ${value})`);
  });
  for (let p = 0; p < n; p++) {
    for (const [name, row] of [
      ['Allocation', state.allocation[p]!],
      ['Max', state.max[p]!],
    ] as const) {
      if (row.length !== m) throw new BankerInputError(`${name}[${state.processes[p]}] needs ${m} values`);
      row.forEach((value, r) => {
        if (!isCount(value))
          throw new BankerInputError(
            `${name}[${state.processes[p]}][${state.resources[r]}] must be a whole number >= 0 (got ${value})`,
          );
      });
    }
    state.allocation[p]!.forEach((value, r) => {
      if (value > state.max[p]![r]!)
        throw new BankerInputError(
          `${state.processes[p]} holds ${value} of ${state.resources[r]}, more than its Max ${state.max[p]![r]}`,
        );
    });
  }
}

/** Need = Max - Allocation, row by row. */
export function needOf(state: BankerState): number[][] {
  return state.max.map((row, p) => row.map((value, r) => value - state.allocation[p]![r]!));
}

const fits = (a: readonly number[], b: readonly number[]) => a.every((value, r) => value <= b[r]!);
const plus = (a: readonly number[], b: readonly number[]) => a.map((value, r) => value + b[r]!);
const minus = (a: readonly number[], b: readonly number[]) => a.map((value, r) => value - b[r]!);
const vector = (values: readonly number[]) => `[${values.join(' ')}]`;

/** The safety check (안전 상태 검사), every comparison and finish recorded. */
export function safetyCheck(state: BankerState): SafetyResult {
  checkBankerState(state);
  const need = needOf(state);
  const finished = state.processes.map(() => false);
  const sequence: number[] = [];
  const steps: SafetyStep[] = [];
  let work = [...state.available];
  for (let progress = true; progress;) {
    progress = false;
    for (let p = 0; p < state.processes.length; p++) {
      if (finished[p]) continue;
      const ok = fits(need[p]!, work);
      steps.push({ kind: 'compare', process: p, need: need[p]!, work, fits: ok });
      if (!ok) continue;
      work = plus(work, state.allocation[p]!);
      finished[p] = true;
      sequence.push(p);
      steps.push({ kind: 'finish', process: p, work });
      progress = true;
    }
  }
  const stuck = state.processes.map((_, p) => p).filter((p) => !finished[p]);
  const reason = stuck.length
    ? `no unfinished process's Need fits in Work ${vector(work)}: ${stuck
        .map((p) => `${state.processes[p]} needs ${vector(need[p]!)}`)
        .join(', ')}`
    : '';
  return { safe: stuck.length === 0, sequence, steps, work, reason };
}

/** Whether `sequence` (all processes, once each) really lets every process finish from `state`. */
export function sequenceFinishes(state: BankerState, sequence: readonly number[]): boolean {
  if ([...sequence].sort((a, b) => a - b).join() !== state.processes.map((_, p) => p).join()) return false;
  const need = needOf(state);
  let work = [...state.available];
  for (const p of sequence) {
    if (!fits(need[p]!, work)) return false;
    work = plus(work, state.allocation[p]!);
  }
  return true;
}

export type RequestVerdict =
  /** Granted: the state after it is safe. */
  | 'granted'
  /** Refused for good: the request goes beyond the process's claim (Request > Need). */
  | 'exceeds-claim'
  /** Not now: there are not enough free units (Request > Available). */
  | 'must-wait'
  /** Not now: the units are free, but granting would leave an unsafe state. */
  | 'unsafe';

export interface RequestEvaluation {
  readonly verdict: RequestVerdict;
  /** The state as if granted (the pretend allocation), when the units were free. */
  readonly pretend: BankerState | null;
  /** The safety check of the pretend state, when there was one. */
  readonly safety: SafetyResult | null;
  /** The state to keep: after the grant when granted, else unchanged. */
  readonly state: BankerState;
  readonly explanation: string;
}

/** "What if `process` asks for `request`?": answered before granting (resource-request algorithm). */
export function evaluateRequest(state: BankerState, process: number, request: readonly number[]): RequestEvaluation {
  checkBankerState(state);
  const name = state.processes[process];
  if (name === undefined) throw new BankerInputError(`no process ${process}`);
  if (request.length !== state.resources.length || !request.every(isCount))
    throw new BankerInputError(`a request needs ${state.resources.length} whole numbers >= 0`);
  const need = needOf(state)[process]!;
  if (!fits(request, need))
    return {
      verdict: 'exceeds-claim',
      pretend: null,
      safety: null,
      state,
      explanation: `${name} asks for ${vector(request)} but its Need is ${vector(need)}: beyond its claim`,
    };
  if (!fits(request, state.available))
    return {
      verdict: 'must-wait',
      pretend: null,
      safety: null,
      state,
      explanation: `${name} asks for ${vector(request)} but only ${vector(state.available)} is free: it waits`,
    };
  const pretend: BankerState = {
    ...state,
    available: minus(state.available, request),
    allocation: state.allocation.map((row, p) => (p === process ? plus(row, request) : row)),
  };
  const safety = safetyCheck(pretend);
  const sequence = safety.sequence.map((p) => state.processes[p]).join(', ');
  return safety.safe
    ? {
        verdict: 'granted',
        pretend,
        safety,
        state: pretend,
        explanation: `granting ${vector(request)} to ${name} leaves a safe state: <${sequence}>`,
      }
    : {
        verdict: 'unsafe',
        pretend,
        safety,
        state,
        explanation: `granting ${vector(request)} to ${name} would leave an unsafe state (${safety.reason}): it waits`,
      };
}

/** A process gives back units (it finished or released): Allocation -= release, Available += release. */
export function releaseUnits(state: BankerState, process: number, release: readonly number[]): BankerState {
  const held = state.allocation[process];
  if (!held || !fits(release, held)) throw new BankerInputError(`process ${process} does not hold ${vector(release)}`);
  return {
    ...state,
    available: plus(state.available, release),
    allocation: state.allocation.map((row, p) => (p === process ? minus(row, release) : row)),
  };
}

/** The textbook instance (protocol/labs/deadlock-result.ts, shared with the page). */
export const TEXTBOOK_STATE: BankerState = TEXTBOOK_BANKER_STATE;

/**
 * Steps through a safety check forward and back, one comparison or finish at a time (what the page
 * shows as the Need <= Work / Work += Allocation / Finish table).
 */
export class SafetyStepper {
  readonly result: SafetyResult;
  private shown = 0;

  constructor(readonly state: BankerState) {
    this.result = safetyCheck(state);
  }

  /** The steps taken so far. */
  get steps(): readonly SafetyStep[] {
    return this.result.steps.slice(0, this.shown);
  }

  get done(): boolean {
    return this.shown === this.result.steps.length;
  }

  /** Finish flags after the steps taken so far. */
  get finish(): boolean[] {
    const finish = this.state.processes.map(() => false);
    for (const step of this.steps) if (step.kind === 'finish') finish[step.process] = true;
    return finish;
  }

  /** Work after the steps taken so far. */
  get work(): readonly number[] {
    const last = this.steps.findLast((step) => step.kind === 'finish');
    return last?.work ?? this.state.available;
  }

  step(): boolean {
    if (this.done) return false;
    this.shown++;
    return true;
  }

  back(): boolean {
    if (this.shown === 0) return false;
    this.shown--;
    return true;
  }
}
