/**
 * For tests: which processes are still alive, read from /proc (Linux). A zombie (state Z) has
 * ended; it only waits for its parent to collect its exit status.
 */
import fs from 'node:fs';

export interface LiveProcess {
  readonly pid: number;
  readonly pgid: number;
  readonly cmdline: string;
}

/** The process, or undefined when there is none or it has ended. */
export function liveProcess(pid: number): LiveProcess | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') return undefined;
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { pid, pgid: Number(pgrp), cmdline };
  } catch {
    return undefined; // it ended while we looked
  }
}

export function liveProcesses(): LiveProcess[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => liveProcess(Number(name)) ?? []);
}

export const isAlive = (pid: number): boolean => liveProcess(pid) !== undefined;

/**
 * What is left of a Chromium: its process group (browser, zygotes, renderers, GPU and utility
 * processes) and its crash handler, which leaves the group but names the profile in its arguments.
 */
export function chromiumLeftovers(browserPid: number, userDataDir: string): LiveProcess[] {
  return liveProcesses().filter((process) => process.pgid === browserPid || process.cmdline.includes(userDataDir));
}

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
