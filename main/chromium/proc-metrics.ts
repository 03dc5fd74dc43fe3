/**
 * Process metrics from Linux's /proc, for the Chromium shell's task manager: CPU from the jiffies in
 * /proc/<pid>/stat between two samples, memory as the proportional set size from
 * /proc/<pid>/smaps_rollup (summing RSS over renderers would count the shared Chromium binary once
 * per process: about four times too much, measured).
 */
import { readFile } from 'node:fs/promises';
import type { ProcessMetrics, ProcessMetricsSource } from '../core/ports.ts';

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** utime + stime in ticks, from /proc/<pid>/stat (fields 14 and 15, after the parenthesised name). */
export function cpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The Pss line of /proc/<pid>/smaps_rollup, in bytes. */
export function pssBytes(smapsRollup: string): number {
  const match = /^Pss:\s+(\d+) kB$/m.exec(smapsRollup);
  if (!match) throw new Error('no Pss line in smaps_rollup');
  return Number(match[1]) * 1024;
}

export function procMetrics(now: () => number = () => performance.now()): ProcessMetricsSource {
  const previous = new Map<number, { ticks: number; at: number }>();
  return {
    async sample(pids) {
      const result = new Map<number, ProcessMetrics>();
      await Promise.all(
        pids.map(async (pid) => {
          let stat: string;
          let rollup: string;
          try {
            [stat, rollup] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/smaps_rollup`, 'utf8')]);
          } catch {
            previous.delete(pid); // gone between the listing and the read
            return;
          }
          const ticks = cpuTicks(stat);
          const at = now();
          const before = previous.get(pid);
          previous.set(pid, { ticks, at });
          const seconds = before ? (at - before.at) / 1000 : 0;
          const cpuPercent = before && seconds > 0 ? ((ticks - before.ticks) / TICKS_PER_SECOND / seconds) * 100 : 0;
          result.set(pid, { cpuPercent: Math.max(0, cpuPercent), memoryBytes: pssBytes(rollup) });
        }),
      );
      for (const pid of previous.keys()) if (!pids.includes(pid)) previous.delete(pid);
      return result;
    },
  };
}
