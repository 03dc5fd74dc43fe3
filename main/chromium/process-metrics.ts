/**
 * Process metrics for the Chromium shell's task manager, from Linux's /proc and from CDP:
 *   - CPU of Chromium's own processes (its browser process, renderers, its GPU and utility processes)
 *     from CDP `SystemInfo.getProcessInfo` (a browser-level session), which lists every Chromium
 *     process with its cumulative CPU time;
 *   - CPU of everything else (the Node children: GPU process, plugin host; the browser process
 *     itself) from the jiffies in /proc/<pid>/stat; also the fallback when a CDP call fails;
 *   - memory of every process as the proportional set size from /proc/<pid>/smaps_rollup (summing RSS
 *     over renderers would count the shared Chromium binary once per process: about four times too
 *     much, measured).
 * CPU is the difference between two samples, so a pid's first sample shows 0. Each process's sandbox
 * is measured from /proc too (main/node/proc-sandbox.ts), in the same pass.
 */
import { readFile } from 'node:fs/promises';
import type { MemoryReader } from '../core/memory-cap.ts';
import type { ProcessMetrics, ProcessMetricsSource } from '../core/ports.ts';
import { procSandboxReader, type ProcSandboxReader } from '../node/proc-sandbox.ts';
import type { CdpSession } from './cdp-connection.ts';

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

/** Cumulative CPU seconds (all threads) of every Chromium process, by pid, from CDP. */
export async function cdpCpuSeconds(browser: Pick<CdpSession, 'send'>, timeoutMs = 1000): Promise<Map<number, number>> {
  const { processInfo } = await browser.send('SystemInfo.getProcessInfo', undefined, { timeoutMs });
  return new Map(processInfo.map((process) => [process.id, process.cpuTime]));
}

export type CpuSource = 'cdp' | 'proc';

export interface ProcMetricsOptions {
  /**
   * A browser-level CDP session (`connection.root`) of the Chromium whose processes are among the
   * pids: their CPU then comes from SystemInfo.getProcessInfo. Without it, all CPU comes from /proc.
   */
  readonly cdp?: Pick<CdpSession, 'send'>;
  /** How long one SystemInfo.getProcessInfo may take before the sample falls back to /proc. */
  readonly cdpTimeoutMs?: number;
  readonly now?: () => number;
  /** Measures each process's sandbox; default: from /proc, against this process's namespaces. */
  readonly sandbox?: ProcSandboxReader;
}

export interface ProcMetricsSource extends ProcessMetricsSource {
  /** Where each pid's CPU figure in the last sample came from. */
  readonly cpuSources: ReadonlyMap<number, CpuSource>;
}

interface Previous {
  readonly ticks: number;
  readonly at: number;
  /** CDP's cumulative CPU seconds, when CDP listed the pid. */
  readonly cdpSeconds: number | undefined;
  readonly cdpAt: number;
}

export function procMetrics(options: ProcMetricsOptions = {}): ProcMetricsSource {
  const now = options.now ?? (() => performance.now());
  const previous = new Map<number, Previous>();
  const sandboxes = options.sandbox ?? procSandboxReader();
  let cpuSources = new Map<number, CpuSource>();
  return {
    get cpuSources() {
      return cpuSources;
    },
    async sample(pids) {
      const result = new Map<number, ProcessMetrics>();
      const sources = new Map<number, CpuSource>();
      // One call for every Chromium process; a failed or slow one leaves this sample to /proc.
      const [cdp, cdpAt] = options.cdp
        ? await cdpCpuSeconds(options.cdp, options.cdpTimeoutMs).then(
            (seconds) => [seconds, now()] as const,
            () => [undefined, 0] as const,
          )
        : [undefined, 0];
      await Promise.all(
        pids.map(async (pid) => {
          let stat: string;
          let rollup: string;
          let sandbox: ProcessMetrics['sandbox'];
          try {
            [stat, rollup, sandbox] = await Promise.all([
              readFile(`/proc/${pid}/stat`, 'utf8'),
              readFile(`/proc/${pid}/smaps_rollup`, 'utf8'),
              sandboxes.measure(pid),
            ]);
          } catch {
            previous.delete(pid); // gone between the listing and the read
            return;
          }
          const ticks = cpuTicks(stat);
          const at = now();
          const cdpSeconds = cdp?.get(pid);
          const before = previous.get(pid);
          previous.set(pid, { ticks, at, cdpSeconds, cdpAt });
          let cpuPercent = 0;
          if (cdpSeconds !== undefined && before?.cdpSeconds !== undefined && cdpAt > before.cdpAt) {
            cpuPercent = ((cdpSeconds - before.cdpSeconds) / ((cdpAt - before.cdpAt) / 1000)) * 100;
          } else if (before && at > before.at) {
            cpuPercent = ((ticks - before.ticks) / TICKS_PER_SECOND / ((at - before.at) / 1000)) * 100;
          }
          sources.set(
            pid,
            cdpSeconds !== undefined && (before === undefined || before.cdpSeconds !== undefined) ? 'cdp' : 'proc',
          );
          result.set(pid, {
            cpuPercent: Math.max(0, cpuPercent),
            memoryBytes: pssBytes(rollup),
            ...(sandbox ? { sandbox } : {}),
          });
        }),
      );
      for (const pid of previous.keys()) if (!pids.includes(pid)) previous.delete(pid);
      cpuSources = sources;
      return result;
    },
  };
}

/**
 * The renderer memory cap's reader (main/core/memory-cap.ts): each pid's PSS from
 * /proc/<pid>/smaps_rollup, the figure the task manager shows, without touching its CPU deltas.
 */
export function procMemory(): MemoryReader {
  return {
    async memoryBytes(pids) {
      const result = new Map<number, number>();
      await Promise.all(
        pids.map(async (pid) => {
          try {
            result.set(pid, pssBytes(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8')));
          } catch {
            // Gone between the listing and the read: nothing to measure.
          }
        }),
      );
      return result;
    },
  };
}
