/**
 * The task manager's numbers under Electron: `app.getAppMetrics()` (CPU in percent since the
 * previous call, memory in KB; working set, as Chrome's task manager reports on Linux), and each
 * process's sandbox measured from /proc (main/node/proc-sandbox.ts; "not measured" off Linux).
 */
import type { App } from 'electron';
import type { MemoryReader } from '../core/memory-cap.ts';
import type { ProcessMetrics, ProcessMetricsSource } from '../core/ports.ts';
import { procSandboxReader, type ProcSandboxReader } from '../node/proc-sandbox.ts';

export function electronProcessMetrics(
  app: Pick<App, 'getAppMetrics'>,
  sandboxes: ProcSandboxReader = procSandboxReader(),
): ProcessMetricsSource {
  return {
    async sample(pids) {
      const wanted = new Set(pids);
      const metrics = app.getAppMetrics().filter((metric) => wanted.has(metric.pid));
      const measured = await Promise.all(metrics.map((metric) => sandboxes.measure(metric.pid)));
      const result = new Map<number, ProcessMetrics>();
      metrics.forEach((metric, index) => {
        const sandbox = measured[index];
        result.set(metric.pid, {
          cpuPercent: metric.cpu.percentCPUUsage,
          memoryBytes: (metric.memory.privateBytes ?? metric.memory.workingSetSize) * 1024,
          ...(sandbox ? { sandbox } : {}),
        });
      });
      return result;
    },
  };
}

/**
 * The renderer memory cap's reader under Electron (main/core/memory-cap.ts): the same memory figure
 * as the task manager's, from `app.getAppMetrics()` (KB: private bytes where Electron gives them,
 * Windows only; the working set elsewhere, https://electronjs.org/docs/api/structures/memory-info).
 */
export function electronMemory(app: Pick<App, 'getAppMetrics'>): MemoryReader {
  return {
    async memoryBytes(pids) {
      const wanted = new Set(pids);
      return new Map(
        app
          .getAppMetrics()
          .filter((metric) => wanted.has(metric.pid))
          .map((metric) => [metric.pid, (metric.memory.privateBytes ?? metric.memory.workingSetSize) * 1024]),
      );
    },
  };
}
