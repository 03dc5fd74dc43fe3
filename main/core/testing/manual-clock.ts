/**
 * A Clock a test moves by hand (Chromium's base::SimpleTestTickClock): timers fire only when the
 * test advances time, each at its own time, so watchdogs and crash windows are tested without
 * waiting or racing the machine's load.
 */
import type { Clock, TimerId } from '../clock.ts';

/** A clock that moves only when told to: `advance(ms)` runs every timer that falls due, in order. */
export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<TimerId, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerId {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(id: TimerId): void {
    this.timers.delete(id);
  }

  /**
   * Time passes while this process is blocked (a long task, a suspended laptop): no timer runs
   * meanwhile; the next `advance` runs the overdue ones, late.
   */
  stall(ms: number): void {
    this.time += ms;
  }

  /** Moves time forward by `ms`, firing due timers one by one at their own time (or now, if overdue). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let dueId: TimerId | undefined;
      let due: { at: number; callback: () => void } | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (!due || timer.at < due.at)) {
          dueId = id;
          due = timer;
        }
      }
      if (!due || dueId === undefined) break;
      this.timers.delete(dueId);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
}
