// The two walks of measureMessage (recursive for shallow messages, iterative for deep ones) agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEASURE_TOO_DEEP, MEASURE_TOO_LARGE, measureMessage } from './size.ts';

/** The iterative walk alone: a depth bound at or under the recursive walk's own makes it take over. */
const iterative = (value: unknown, limit: number) => measureMessage(value, limit, 16);
/** The recursive walk first (it hands over past 16 levels). */
const recursive = (value: unknown, limit: number) => measureMessage(value, limit, 10_000);

describe('measureMessage', () => {
  it('gives the same size by either walk, for any value within 16 levels', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 1, max: 4096 }), (value, limit) => {
        const depthSafe = iterative(value, limit);
        if (depthSafe === MEASURE_TOO_DEEP) return;
        expect(recursive(value, limit)).toBe(depthSafe);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts by its units: strings, numbers, arrays, objects and binaries', () => {
    const value = [1, 'ab', null, true, { k: 'v' }, new Uint8Array(10)];
    // 8 + 6 items; 8; 2 + 4; 1; 4; object 8 + (1 + 4) + (1 + 4); binary 10 + 16
    expect(recursive(value, 1000)).toBe(14 + 8 + 6 + 1 + 4 + 18 + 26);
    expect(iterative(value, 1000)).toBe(recursive(value, 1000));
  });

  it('hands a value deeper than the recursive walk goes to the iterative one, which bounds the depth', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(recursive(deep, 1 << 20)).toBe(100 * 9 + 8);
    expect(measureMessage(deep, 1 << 20, 50)).toBe(MEASURE_TOO_DEEP);
    expect(recursive(deep, 500)).toBe(MEASURE_TOO_LARGE);
  });
});
