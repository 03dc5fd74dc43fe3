/**
 * The task manager's numbers under Electron: `app.getAppMetrics()` (CPU in percent since the
 * previous call, memory in KB; working set, as Chrome's task manager reports on Linux).
 */
import type { App } from 'electron';
import type { ProcessMetrics, ProcessMetricsSource } from '../core/ports.ts';

export function electronProcessMetrics(app: Pick<App, 'getAppMetrics'>): ProcessMetricsSource {
  return {
    sample(pids) {
      const wanted = new Set(pids);
      const result = new Map<number, ProcessMetrics>();
      for (const metric of app.getAppMetrics()) {
        if (!wanted.has(metric.pid)) continue;
        result.set(metric.pid, {
          cpuPercent: metric.cpu.percentCPUUsage,
          memoryBytes: (metric.memory.privateBytes ?? metric.memory.workingSetSize) * 1024,
        });
      }
      return Promise.resolve(result);
    },
  };
}
