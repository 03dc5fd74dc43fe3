/**
 * The browser process's own health and the machine it runs on, for experiments (the report's
 * steady state and environment), the same in both shells: event-loop delay (perf_hooks'
 * histogram), heap used after a full GC (V8's `gc`, exposed at run time), the CPU, kernel and Node,
 * and whether a pid is still a live process (the soak's orphan check).
 */
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

export interface MachineFacts {
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly kernel: string;
  readonly node: string;
  readonly loadAverage?: number[];
}

export interface HostProbe {
  /** The 99th percentile of the event loop's delay since the previous call (or the start), in ms; resets. */
  eventLoopDelayP99(): number;
  /** V8's heap used right after a full garbage collection, in bytes. */
  heapUsedAfterGc(): Promise<number>;
  compiledCodeBytes(): number;
  machine(): MachineFacts;
  /** Whether `pid` is a live process (a zombie counts as ended). */
  isAlive(pid: number): boolean;
  dispose(): void;
}

let exposedGc: (() => void) | undefined;

/** V8's full GC without `--expose-gc` on the command line: the flag set at run time, `gc` read from a fresh context. */
function fullGc(): () => void {
  if (exposedGc) return exposedGc;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return (exposedGc = existing);
  v8.setFlagsFromString('--expose-gc');
  return (exposedGc = vm.runInNewContext('gc') as () => void);
}

export function nodeHostProbe(): HostProbe {
  // 10 ms resolution: delays that matter to a UI are tens of ms.
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    eventLoopDelayP99() {
      // Nanoseconds; a histogram with no sample yet reports 0.
      const p99 = histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0;
      histogram.reset();
      return p99;
    },
    async heapUsedAfterGc() {
      const gc = fullGc();
      // Twice, a task apart: objects freed by finalizers of the first go in the second.
      gc();
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      return process.memoryUsage().heapUsed;
    },
    compiledCodeBytes() {
      return v8
        .getHeapSpaceStatistics()
        .filter((space) => space.space_name === 'code_space' || space.space_name === 'code_large_object_space')
        .reduce((sum, space) => sum + space.space_used_size, 0);
    },
    machine() {
      const cpus = os.cpus();
      return {
        platform: process.platform,
        arch: process.arch,
        cpuModel: (cpus[0]?.model ?? 'unknown').trim().slice(0, 128),
        cores: Math.max(1, cpus.length),
        kernel: `${os.type()} ${os.release()}`.slice(0, 128),
        node: process.version,
        ...(process.platform === 'win32' ? {} : { loadAverage: os.loadavg() }),
      };
    },
    isAlive(pid) {
      if (process.platform === 'linux') {
        try {
          // Field 3 of /proc/<pid>/stat, after the parenthesised command name.
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
        } catch {
          return false;
        }
      }
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    dispose() {
      histogram.disable();
    },
  };
}
