/**
 * Exhaustive exploration of a program's schedules: breadth-first over distinct states, so the
 * schedule found for anything is a shortest one. Finds a schedule that breaks a property (two threads
 * in a critical section at once, a lost update), or proves none exists by visiting every reachable
 * state (`complete`). Spinning threads revisit states, so busy-wait loops stay finite.
 */
import { initialState, outcome, runnable, step, type MachineState, type Outcome } from './machine.ts';
import type { Program } from './program.ts';

export interface SearchResult {
  /** Distinct states visited. */
  readonly states: number;
  /** Every reachable state was visited (the answer is a proof, not a sample). */
  readonly complete: boolean;
  /** The highest score of any state visited, and a shortest schedule reaching it. */
  readonly best: number;
  readonly schedule: number[];
  /** The state that scored `best`. */
  readonly state: MachineState;
}

export interface SearchOptions {
  /** Stop once a state scores at least this (default: search everything). */
  readonly stopAt?: number;
  /** Give up after this many states (default 200,000): the result then says `complete: false`. */
  readonly maxStates?: number;
}

function stateKey(state: MachineState): string {
  // Everything but the step count: two ways to reach the same state are one state.
  const { steps: _steps, ...rest } = state;
  return JSON.stringify(rest);
}

/** The largest `score(state, outcome)` over every reachable state, and a shortest schedule to it. */
export function search(
  program: Program,
  score: (state: MachineState, result: Outcome) => number,
  options: SearchOptions = {},
): SearchResult {
  const maxStates = options.maxStates ?? 200_000;
  const start = initialState(program);
  const startKey = stateKey(start);
  const parents = new Map<string, { parent: string; thread: number } | null>([[startKey, null]]);
  let queue: { state: MachineState; key: string }[] = [{ state: start, key: startKey }];
  let best = score(start, outcome(program, start));
  let bestKey = startKey;
  let bestState = start;
  let complete = true;
  search: while (queue.length) {
    const nextQueue: typeof queue = [];
    for (const { state, key } of queue) {
      if (options.stopAt !== undefined && best >= options.stopAt) {
        complete = false;
        break search;
      }
      for (const thread of runnable(state)) {
        const next = step(program, state, thread).state;
        const nextKey = stateKey(next);
        if (parents.has(nextKey)) continue;
        if (parents.size >= maxStates) {
          complete = false;
          break search;
        }
        parents.set(nextKey, { parent: key, thread });
        const value = score(next, outcome(program, next));
        if (value > best) {
          best = value;
          bestKey = nextKey;
          bestState = next;
        }
        nextQueue.push({ state: next, key: nextKey });
      }
    }
    queue = nextQueue;
  }
  const schedule: number[] = [];
  for (let link = parents.get(bestKey); link; link = parents.get(link.parent)) schedule.push(link.thread);
  schedule.reverse();
  return { states: parents.size, complete, best, schedule, state: bestState };
}

/** A shortest schedule that puts more than `limit` threads in `region` at once, or a proof that none does. */
export function findExclusionViolation(program: Program, region: string, limit = 1, maxStates?: number): SearchResult {
  return search(program, (state) => (state.maxInside[region]! > limit ? 1 : 0), {
    stopAt: 1,
    ...(maxStates ? { maxStates } : {}),
  });
}

/** The most lost updates any finished schedule gives, and a shortest schedule giving it. */
export function mostLostUpdates(program: Program, maxStates?: number): SearchResult {
  return search(program, (_state, result) => (result.finished ? (result.lostUpdates ?? 0) : -Infinity), {
    ...(maxStates ? { maxStates } : {}),
  });
}

/** Bounded waiting: the most critical-section entries of others a waiting thread can see. */
export function mostOvertaken(program: Program, maxStates?: number): SearchResult {
  return search(program, (state) => state.maxOvertaken, { ...(maxStates ? { maxStates } : {}) });
}

/** A schedule after which no thread can step though some are not done (a deadlock), if any. */
export function findDeadlock(program: Program, maxStates?: number): SearchResult {
  return search(program, (_state, result) => (result.deadlocked ? 1 : 0), {
    stopAt: 1,
    ...(maxStates ? { maxStates } : {}),
  });
}

/** Every final value of the counter any schedule can leave. */
export function finalCounters(
  program: Program,
  maxStates?: number,
): { values: number[]; complete: boolean; states: number } {
  const values = new Set<number>();
  const result = search(
    program,
    (_state, end) => {
      if (end.finished && end.counter !== null) values.add(end.counter);
      return 0;
    },
    { ...(maxStates ? { maxStates } : {}) },
  );
  return { values: [...values].sort((a, b) => a - b), complete: result.complete, states: result.states };
}
