// measureMessage: its units, and a depth bound that changes the verdict, never the size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEASURE_TOO_DEEP, MEASURE_TOO_LARGE, measureMessage } from './size.ts';

/** With a depth bound of 16. */
const iterative = (value: unknown, limit: number) => measureMessage(value, limit, 16);
/** With the deep bound traces use. */
const recursive = (value: unknown, limit: number) => measureMessage(value, limit, 10_000);

describe('measureMessage', () => {
  it('gives the same size under either depth bound, for any value within 16 levels', () => {
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

  it('measures a value 100 levels deep under a deep bound, and refuses it under a shallow one', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(recursive(deep, 1 << 20)).toBe(100 * 9 + 8);
    expect(measureMessage(deep, 1 << 20, 50)).toBe(MEASURE_TOO_DEEP);
    expect(recursive(deep, 500)).toBe(MEASURE_TOO_LARGE);
  });
});
