/**
 * The lab host's debug methods (LabHostService.crash / hang), as the GPU process's chrome://gpucrash
 * and chrome://gpuhang: a real native crash and a main thread that stops answering, the two ways a
 * lab's primitives can fail this process, so the browser's supervision is tested on the real thing.
 */

/** A native abort (SIGABRT on POSIX), answering nothing. */
export function crashNow(log: (line: string) => void = (line) => console.error(line)): never {
  log('[lab-host] crash requested: aborting');
  process.abort();
}

/**
 * Spins the main thread for `ms`, or forever without it, as a lab that deadlocks or spins would:
 * nothing on this thread runs meanwhile, no message is read and no ping answered.
 */
export function hang(ms?: number, log: (line: string) => void = (line) => console.error(line)): void {
  log(`[lab-host] hang requested: spinning the main thread ${ms === undefined ? 'forever' : `for ${ms} ms`}`);
  const until = ms === undefined ? Infinity : performance.now() + ms;
  while (performance.now() < until) {
    // Busy: a spinning lab, not a sleeping one.
  }
}
