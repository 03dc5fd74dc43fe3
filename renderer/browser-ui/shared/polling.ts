// Polling without overlap: the UI's views read the browser's figures on a timer (the task manager's
// getMetrics, the IPC inspector's and the architecture map's getTrace). Each call starts only after
// the previous one settled, and `intervalMs` after it, so a slow browser is asked less often rather
// than queued up. No React here (usePolling in use-polling.ts wraps it): unit-tested in Node.

/**
 * One read. `signal` is aborted once polling stops: a read still under way should then publish
 * nothing. A read that throws or rejects is ignored; the next one tries again.
 */
export type Poll = (signal: AbortSignal) => Promise<void> | void;

/** Calls `poll` now, then `intervalMs` after each call settles, until the returned function is called. */
export function startPolling(poll: Poll, intervalMs: number): () => void {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    try {
      await poll(controller.signal);
    } catch {
      // The next poll tries again; what the view shows stays as the last good read left it.
    }
    if (!controller.signal.aborted) timer = setTimeout(() => void run(), intervalMs);
  };
  void run();
  return () => {
    controller.abort();
    clearTimeout(timer);
  };
}
