/**
 * A retry timer whose delay doubles on every failure (up to a ceiling) and starts over after a
 * success: how the page asks the browser again for a channel that could not be set up.
 */
export class Backoff {
  private delayMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly firstMs = 1000,
    private readonly maxMs = 10_000,
  ) {
    this.delayMs = firstMs;
  }

  /** Runs `retry` after the current delay (replacing any pending retry) and doubles the delay. */
  schedule(retry: () => void): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      retry();
    }, this.delayMs);
    this.delayMs = Math.min(this.maxMs, this.delayMs * 2);
  }

  /** Runs `retry` once after `ms`, whatever the current delay (replacing any pending retry). */
  scheduleIn(ms: number, retry: () => void): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      retry();
    }, ms);
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A success: the next failure waits the first delay again. */
  succeeded(): void {
    this.cancel();
    this.delayMs = this.firstMs;
  }
}
