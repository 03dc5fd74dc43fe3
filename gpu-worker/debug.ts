/**
 * The GPU process's debug URLs, as Chrome's chrome://gpucrash and chrome://gpuhang: a real native
 * crash and a main thread that stops answering, so the browser's supervision is tested against the
 * real thing rather than a polite exit.
 */

/** chrome://gpucrash: a native abort (SIGABRT on POSIX), answering nothing. */
export function crashNow(log: (line: string) => void = (line) => console.error(line)): never {
  log('[gpu] crash requested: aborting');
  process.abort();
}

/**
 * chrome://gpuhang: spins the main thread for `ms`, or forever without it. Nothing on this thread
 * runs meanwhile: no message is read and no call is answered.
 */
export function hang(ms?: number, log: (line: string) => void = (line) => console.error(line)): void {
  log(`[gpu] hang requested: spinning the main thread ${ms === undefined ? 'forever' : `for ${ms} ms`}`);
  const until = ms === undefined ? Infinity : performance.now() + ms;
  while (performance.now() < until) {
    // Busy: a hung GPU main thread, not a sleeping one.
  }
}
