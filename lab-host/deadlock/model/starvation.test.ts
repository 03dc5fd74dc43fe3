// Starvation and aging: the same seeded arrivals, aging off and on.
import { describe, expect, it } from 'vitest';
import { compareAging, DEFAULT_STARVATION, histogram, StarvationModel } from './starvation.ts';

describe('the priority scheduler', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: aging lowers the p99 wait and the longest low-priority wait', (seed) => {
    const { off, on } = compareAging({ seed });
    console.log(
      `seed ${seed}: p99 ${off.all.p99} -> ${on.all.p99} ticks, longest low wait ${off.low.longest} -> ${on.low.longest}, unserved low ${off.unservedLow} -> ${on.unservedLow}`,
    );
    expect(on.all.p99).toBeLessThan(off.all.p99);
    expect(on.low.longest).toBeLessThan(off.low.longest);
    // The same arrivals both times: as many requests in all.
    expect(on.served + on.unserved).toBe(off.served + off.unserved);
    // Aging bounds a low request's wait near (high - low) * agingEvery; without it some wait far longer.
    expect(off.low.longest).toBeGreaterThan(on.low.longest * 2);
  });

  it('without aging a low-priority request waits while any high one is queued', () => {
    // High requests every tick: the low one is never served.
    const model = new StarvationModel({ ...DEFAULT_STARVATION, ticks: 500, highArrival: 1, lowArrival: 0.1 });
    const outcome = model.run();
    expect(outcome.low.count).toBeGreaterThan(0);
    expect(model.state.served.filter((request) => request.priority === DEFAULT_STARVATION.lowPriority)).toEqual([]);
    const aged = new StarvationModel({
      ...DEFAULT_STARVATION,
      ticks: 500,
      highArrival: 1,
      lowArrival: 0.1,
      aging: true,
    });
    expect(aged.run().served).toBe(500);
    expect(aged.state.served.some((request) => request.priority === DEFAULT_STARVATION.lowPriority)).toBe(true);
  });

  it('steps back exactly', () => {
    const model = new StarvationModel({ ...DEFAULT_STARVATION, ticks: 100 });
    for (let i = 0; i < 40; i++) model.step();
    const at40 = model.state;
    model.step();
    model.back();
    expect(model.state).toEqual(at40);
  });

  it('histogram buckets are powers of two and count every wait', () => {
    expect(histogram([0, 1, 2, 3, 4, 9], 10)).toEqual([
      { from: 0, to: 0, count: 1 },
      { from: 1, to: 1, count: 1 },
      { from: 2, to: 3, count: 2 },
      { from: 4, to: 7, count: 1 },
      { from: 8, to: 15, count: 1 },
    ]);
    expect(() => new StarvationModel({ ...DEFAULT_STARVATION, highArrival: 2 })).toThrow(/highArrival/);
  });
});
