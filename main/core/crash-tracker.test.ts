import { describe, expect, it } from 'vitest';
import { ManualClock } from './testing/manual-clock.ts';
import { CrashTracker } from './crash-tracker.ts';

describe('CrashTracker', () => {
  it('is exhausted at the third crash within the window', () => {
    const clock = new ManualClock();
    const tracker = new CrashTracker(clock, { limit: 3, windowMs: 60_000 });
    expect(tracker.recordCrash()).toBe(1);
    clock.advance(10_000);
    expect(tracker.recordCrash()).toBe(2);
    expect(tracker.exhausted).toBe(false);
    clock.advance(10_000);
    expect(tracker.recordCrash()).toBe(3);
    expect(tracker.exhausted).toBe(true);
  });

  it('forgives each crash once the window has passed since it', () => {
    const clock = new ManualClock();
    const tracker = new CrashTracker(clock, { limit: 3, windowMs: 60_000 });
    tracker.recordCrash();
    clock.advance(30_000);
    tracker.recordCrash();
    clock.advance(30_001); // the first crash is now older than the window
    expect(tracker.recentCrashes()).toBe(1);
    expect(tracker.recordCrash()).toBe(2);
    expect(tracker.exhausted).toBe(false);
    clock.advance(60_001);
    expect(tracker.recentCrashes()).toBe(0);
  });
});
