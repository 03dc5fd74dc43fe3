/**
 * Counts a process's recent crashes, as Chrome's GPU fallback (content/browser/gpu/fallback.md) and
 * VS Code's extension host do: crashes older than the window are forgiven, so a process that
 * crashes now and then is restarted forever, and one in a crash loop is not.
 */
import type { Clock } from './clock.ts';

export interface CrashTrackerOptions {
  /** How many recent crashes mean "stop trying the same way". Chrome's kGpuFallbackCrashCount is 3. */
  readonly limit: number;
  /** How long a crash counts against the process. */
  readonly windowMs: number;
}

export class CrashTracker {
  private crashes: number[] = [];

  constructor(
    private readonly clock: Clock,
    readonly options: CrashTrackerOptions,
  ) {}

  /** Records a crash now; returns how many crashes are now within the window. */
  recordCrash(): number {
    this.crashes.push(this.clock.now());
    return this.recentCrashes();
  }

  /** Crashes within the window, older ones forgiven. */
  recentCrashes(): number {
    const since = this.clock.now() - this.options.windowMs;
    this.crashes = this.crashes.filter((at) => at > since);
    return this.crashes.length;
  }

  /** True when the recent crashes reached the limit. */
  get exhausted(): boolean {
    return this.recentCrashes() >= this.options.limit;
  }

  reset(): void {
    this.crashes = [];
  }
}
