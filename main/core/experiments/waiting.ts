/** Waiting on the core's clock: a pause, and the next event that matches, or undefined after a timeout. */
import type { Clock } from '../clock.ts';

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** A subscription as the core's emitters give them: `on(listener)` returns the unsubscribe. */
export type Subscribe<T> = (listener: (value: T) => void) => () => void;

/**
 * Listens from now on; `next(timeoutMs)` resolves with the first value that matched (possibly
 * before `next` was called) or undefined after the timeout. Call `dispose` when done.
 */
export function expectEvent<T>(
  clock: Clock,
  subscribe: Subscribe<T>,
  matches: (value: T) => boolean,
): { next(timeoutMs: number): Promise<T | undefined>; dispose(): void } {
  let found: T | undefined;
  let hasFound = false;
  let wake: (() => void) | undefined;
  const stop = subscribe((value) => {
    if (hasFound || !matches(value)) return;
    found = value;
    hasFound = true;
    wake?.();
  });
  return {
    next(timeoutMs) {
      if (hasFound) return Promise.resolve(found);
      return new Promise((resolve) => {
        const timer = clock.setTimeout(() => {
          wake = undefined;
          resolve(undefined);
        }, timeoutMs);
        wake = () => {
          clock.clearTimeout(timer);
          wake = undefined;
          resolve(found);
        };
      });
    },
    dispose: stop,
  };
}

/** Polls `check` every `everyMs` until it is true (true) or `timeoutMs` passed (false). */
export async function until(clock: Clock, check: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  while (!check()) {
    if (clock.now() >= deadline) return false;
    await sleep(clock, everyMs);
  }
  return true;
}
