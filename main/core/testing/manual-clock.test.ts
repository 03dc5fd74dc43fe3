import { expect, it } from 'vitest';
import { ManualClock } from './manual-clock.ts';

it('ManualClock fires due timers in time order, each at its own time, and skips cleared ones', () => {
  const clock = new ManualClock();
  const fired: Array<[string, number]> = [];
  clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
  const cleared = clock.setTimeout(() => fired.push(['never', clock.now()]), 100);
  clock.setTimeout(() => {
    fired.push(['a', clock.now()]);
    clock.setTimeout(() => fired.push(['a2', clock.now()]), 50); // set from a timer, due within the advance
  }, 120);
  clock.clearTimeout(cleared);
  clock.advance(250);
  expect(fired).toEqual([
    ['a', 120],
    ['a2', 170],
    ['b', 200],
  ]);
  expect(clock.now()).toBe(250);
});
