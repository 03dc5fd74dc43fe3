// The banker's algorithm: golden tests against the textbook instance, and properties over random
// states (a state called safe has a sequence that really finishes; one called unsafe has none).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BankerInputError,
  evaluateRequest,
  needOf,
  releaseUnits,
  safetyCheck,
  SafetyStepper,
  sequenceFinishes,
  TEXTBOOK_STATE,
  type BankerState,
} from './banker.ts';

describe('the textbook instance (Silberschatz: P0..P4, A B C)', () => {
  it('derives Need and finds the state safe', () => {
    expect(needOf(TEXTBOOK_STATE)).toEqual([
      [7, 4, 3],
      [1, 2, 2],
      [6, 0, 0],
      [0, 1, 1],
      [4, 3, 1],
    ]);
    const result = safetyCheck(TEXTBOOK_STATE);
    expect(result.safe).toBe(true);
    // Scanning the rows in order, pass after pass: P1, P3, P4 in the first pass, P0, P2 in the second.
    expect(result.sequence).toEqual([1, 3, 4, 0, 2]);
    expect(result.work).toEqual([10, 5, 7]);
    expect(result.steps.slice(0, 4)).toEqual([
      { kind: 'compare', process: 0, need: [7, 4, 3], work: [3, 3, 2], fits: false },
      { kind: 'compare', process: 1, need: [1, 2, 2], work: [3, 3, 2], fits: true },
      { kind: 'finish', process: 1, work: [5, 3, 2] },
      { kind: 'compare', process: 2, need: [6, 0, 0], work: [5, 3, 2], fits: false },
    ]);
    // The book's own sequence <P1, P3, P4, P2, P0> is safe too.
    expect(sequenceFinishes(TEXTBOOK_STATE, [1, 3, 4, 2, 0])).toBe(true);
    expect(sequenceFinishes(TEXTBOOK_STATE, [0, 1, 2, 3, 4])).toBe(false);
  });

  it('grants P1 (1,0,2), then refuses P4 (3,3,0) for want of units and P0 (0,2,0) as unsafe', () => {
    const granted = evaluateRequest(TEXTBOOK_STATE, 1, [1, 0, 2]);
    expect(granted.verdict).toBe('granted');
    expect(granted.state.available).toEqual([2, 3, 0]);
    expect(granted.state.allocation[1]).toEqual([3, 0, 2]);
    expect(granted.safety!.sequence).toEqual([1, 3, 4, 0, 2]);

    const p4 = evaluateRequest(granted.state, 4, [3, 3, 0]);
    expect(p4.verdict).toBe('must-wait');
    expect(p4.state).toBe(granted.state);

    const p0 = evaluateRequest(granted.state, 0, [0, 2, 0]);
    expect(p0.verdict).toBe('unsafe');
    expect(p0.pretend!.available).toEqual([2, 1, 0]);
    expect(p0.safety!.safe).toBe(false);
    expect(p0.safety!.reason).toContain('P0 needs [7 2 3]');
    expect(p0.state).toBe(granted.state);

    expect(evaluateRequest(TEXTBOOK_STATE, 3, [0, 2, 0]).verdict).toBe('exceeds-claim');
  });

  it('steps forward and back through the safety check', () => {
    const stepper = new SafetyStepper(TEXTBOOK_STATE);
    stepper.step();
    stepper.step();
    stepper.step();
    expect(stepper.finish).toEqual([false, true, false, false, false]);
    expect(stepper.work).toEqual([5, 3, 2]);
    stepper.back();
    expect(stepper.finish).toEqual([false, false, false, false, false]);
    expect(stepper.work).toEqual([3, 3, 2]);
    while (stepper.step());
    expect(stepper.done).toBe(true);
    expect(stepper.finish.every(Boolean)).toBe(true);
  });

  it('bad input gets a clear error', () => {
    expect(() => safetyCheck({ ...TEXTBOOK_STATE, available: [3, 3] })).toThrow(BankerInputError);
    expect(() => safetyCheck({ ...TEXTBOOK_STATE, available: [3, -1, 2] })).toThrow(/whole number >= 0/);
    expect(() =>
      safetyCheck({ ...TEXTBOOK_STATE, allocation: [[8, 0, 0], ...TEXTBOOK_STATE.allocation.slice(1)] }),
    ).toThrow(/P0 holds 8 of A, more than its Max 7/);
    expect(() => releaseUnits(TEXTBOOK_STATE, 0, [1, 0, 0])).toThrow(BankerInputError);
  });
});

/** Random states: up to 5 processes and 3 types, Allocation <= Max. */
const randomState = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, m }) =>
    fc
      .record({
        max: fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }), {
          minLength: n,
          maxLength: n,
        }),
        held: fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: m, maxLength: m }), {
          minLength: n,
          maxLength: n,
        }),
        available: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: m, maxLength: m }),
      })
      .map(({ max, held, available }): BankerState => ({
        processes: max.map((_, p) => `P${p}`),
        resources: available.map((_, r) => `R${r}`),
        max,
        allocation: max.map((row, p) => row.map((value, r) => Math.floor(value * held[p]![r]!))),
        available,
      })),
  );

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('properties over random states', () => {
  it('safe exactly when some order of all processes really finishes, and then its sequence does', () => {
    fc.assert(
      fc.property(randomState, (state) => {
        const result = safetyCheck(state);
        if (result.safe) expect(sequenceFinishes(state, result.sequence)).toBe(true);
        const anyOrder = permutations(state.processes.map((_, p) => p)).some((order) => sequenceFinishes(state, order));
        expect(result.safe).toBe(anyOrder);
      }),
      { numRuns: 500 },
    );
  });

  it('a granted request always leaves a safe state; Available never goes negative', () => {
    fc.assert(
      fc.property(
        randomState,
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
        (state, pick, raw) => {
          fc.pre(safetyCheck(state).safe);
          const process = pick % state.processes.length;
          const request = state.resources.map((_, r) => raw[r] ?? 0);
          const evaluation = evaluateRequest(state, process, request);
          if (evaluation.verdict === 'granted') {
            expect(safetyCheck(evaluation.state).safe).toBe(true);
            expect(evaluation.state.available.every((value) => value >= 0)).toBe(true);
          } else expect(evaluation.state).toBe(state);
        },
      ),
      { numRuns: 500 },
    );
  });
});
