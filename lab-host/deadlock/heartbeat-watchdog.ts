/**
 * A heartbeat watchdog: the same idea as the browser's hang watchdog (main/core/watchdog.ts, which
 * lab-host/ may not import): every watched process sends heartbeats; one silent for longer than the
 * threshold is reported unresponsive. If the watchdog's own check comes late (this process was
 * stalled), it re-arms everyone instead of blaming them: their heartbeats may be sitting unread.
 */
export interface HeartbeatWatchdogOptions {
  readonly thresholdMs: number;
  readonly onUnresponsive: (id: string, silentMs: number) => void;
  readonly now?: () => number;
}

export class HeartbeatWatchdog {
  private readonly lastBeat = new Map<string, number>();
  private readonly unresponsive = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private expectedAt = 0;
  private readonly everyMs: number;
  private readonly now: () => number;

  constructor(private readonly options: HeartbeatWatchdogOptions) {
    this.everyMs = Math.max(10, Math.floor(options.thresholdMs / 4));
    this.now = options.now ?? (() => performance.now());
  }

  watch(id: string): void {
    this.lastBeat.set(id, this.now());
    this.unresponsive.delete(id);
    this.arm();
  }

  unwatch(id: string): void {
    this.lastBeat.delete(id);
    this.unresponsive.delete(id);
    if (this.lastBeat.size === 0) this.dispose();
  }

  heartbeat(id: string): void {
    if (!this.lastBeat.has(id)) return;
    this.lastBeat.set(id, this.now());
    this.unresponsive.delete(id);
  }

  isUnresponsive(id: string): boolean {
    return this.unresponsive.has(id);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer) return;
    this.expectedAt = this.now() + this.everyMs;
    this.timer = setTimeout(() => this.tick(), this.everyMs);
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.now();
    if (now - this.expectedAt > this.options.thresholdMs / 2) {
      for (const id of this.lastBeat.keys()) if (!this.unresponsive.has(id)) this.lastBeat.set(id, now);
    } else {
      for (const [id, beat] of this.lastBeat) {
        if (!this.unresponsive.has(id) && now - beat > this.options.thresholdMs) {
          this.unresponsive.add(id);
          this.options.onUnresponsive(id, Math.round(now - beat));
        }
      }
    }
    if (this.lastBeat.size > 0) this.arm();
  }
}
