/**
 * The hang watchdog. Every renderer sends heartbeats; one that misses them for longer than the
 * threshold becomes unresponsive (Chrome pings every second and waits 15 s on desktop; this lab
 * defaults to 1 s so a hang shows at once). The user answers Wait (re-arm: ask again after another
 * threshold) or Stop (handled by the owner).
 */
import type { Clock, TimerId } from './clock.ts';
import { Emitter } from './emitter.ts';

export const DEFAULT_HANG_THRESHOLD_MS = 1000;

export interface WatchdogOptions {
  readonly thresholdMs: number;
}

interface Watched {
  lastBeat: number;
  unresponsive: boolean;
}

export class Watchdog<Id = string> {
  private readonly watched = new Map<Id, Watched>();
  private timer: TimerId | undefined;
  private expectedTickAt = 0;

  private readonly unresponsive = new Emitter<Id>();
  private readonly responsive = new Emitter<Id>();
  /** A watched process missed its heartbeats for longer than the threshold. */
  readonly onDidBecomeUnresponsive = this.unresponsive.event;
  /** An unresponsive process sent a heartbeat again. */
  readonly onDidBecomeResponsive = this.responsive.event;

  constructor(
    private readonly clock: Clock,
    readonly options: WatchdogOptions,
  ) {}

  watch(id: Id): void {
    this.watched.set(id, { lastBeat: this.clock.now(), unresponsive: false });
    this.ensureTicking();
  }

  unwatch(id: Id): void {
    this.watched.delete(id);
    if (this.watched.size === 0 && this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  heartbeat(id: Id): void {
    const entry = this.watched.get(id);
    if (!entry) return;
    entry.lastBeat = this.clock.now();
    if (entry.unresponsive) {
      entry.unresponsive = false;
      this.ensureTicking();
      this.responsive.fire(id);
    }
  }

  /** The user chose Wait: give it another full threshold before asking again. */
  wait(id: Id): void {
    const entry = this.watched.get(id);
    if (!entry) return;
    entry.lastBeat = this.clock.now();
    entry.unresponsive = false;
    this.ensureTicking();
  }

  isUnresponsive(id: Id): boolean {
    return this.watched.get(id)?.unresponsive ?? false;
  }

  dispose(): void {
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }

  /**
   * One timer, due when the earliest watched process passes the threshold (not a fixed polling
   * interval, which would add up to one interval to every detection). Heartbeats only move
   * deadlines later, so an early tick finds nothing due and re-arms for the new earliest one.
   */
  private ensureTicking(): void {
    if (this.timer !== undefined) return;
    let earliest = Infinity;
    for (const entry of this.watched.values())
      if (!entry.unresponsive) earliest = Math.min(earliest, entry.lastBeat + this.options.thresholdMs + 1);
    if (earliest === Infinity) return; // nothing watched, or all already reported
    const now = this.clock.now();
    const delay = Math.max(1, Math.ceil(earliest - now));
    this.expectedTickAt = now + delay;
    this.timer = this.clock.setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.clock.now();
    const lateBy = now - this.expectedTickAt;
    if (lateBy > this.options.thresholdMs / 2) {
      // The browser process itself was stalled (a long task, a suspended machine): heartbeats may
      // be sitting unread in its queue. Re-arm everyone rather than blame the renderers.
      for (const entry of this.watched.values()) if (!entry.unresponsive) entry.lastBeat = now;
    } else {
      for (const [id, entry] of this.watched) {
        if (!entry.unresponsive && now - entry.lastBeat > this.options.thresholdMs) {
          entry.unresponsive = true;
          this.unresponsive.fire(id);
        }
      }
    }
    this.ensureTicking();
  }
}
