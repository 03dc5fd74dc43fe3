import { describe, expect, it } from 'vitest';
import { startPolling } from './polling.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `check` holds, polling every few milliseconds; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(2);
  }
}

describe('startPolling', () => {
  it('calls at once, then again after each call settles, never two at once', async () => {
    const INTERVAL = 5;
    let running = 0;
    let mostAtOnce = 0;
    const spans: { start: number; end: number }[] = [];
    const stop = startPolling(async () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      const start = performance.now();
      await sleep(20); // slower than the interval
      spans.push({ start, end: performance.now() });
      running--;
    }, INTERVAL);
    expect(running).toBe(1); // the first call starts synchronously
    await until(() => spans.length >= 4);
    stop();
    expect(mostAtOnce).toBe(1);
    for (let i = 1; i < spans.length; i++) {
      // Each call starts the interval after the previous one ended (timers may round down by 1 ms).
      expect(spans[i]!.start - spans[i - 1]!.end).toBeGreaterThanOrEqual(INTERVAL - 1);
    }
  });

  it('keeps polling after a call throws or rejects', async () => {
    let calls = 0;
    const stop = startPolling((): Promise<void> | void => {
      calls++;
      if (calls === 1) throw new Error('thrown');
      if (calls === 2) return Promise.reject(new Error('rejected'));
    }, 1);
    await until(() => calls >= 4);
    stop();
  });

  it('stops: no call after stop, and the call under way sees its signal aborted', async () => {
    let calls = 0;
    let release: () => void = () => {};
    let seen: AbortSignal | undefined;
    const stop = startPolling(async (signal) => {
      calls++;
      seen = signal;
      await new Promise<void>((resolve) => (release = resolve));
    }, 1);
    expect(calls).toBe(1);
    expect(seen!.aborted).toBe(false);
    stop();
    expect(seen!.aborted).toBe(true);
    release(); // the call under way settles after the stop
    await sleep(30);
    expect(calls).toBe(1);
  });

  it('stops between calls: the pending timer is cleared', async () => {
    let calls = 0;
    const stop = startPolling(() => {
      calls++;
    }, 10);
    await until(() => calls >= 2);
    stop();
    const after = calls;
    await sleep(60);
    expect(calls).toBe(after);
  });
});
