// electronProcessMetrics against a stand-in `app.getAppMetrics()`: figures for the pids asked about,
// each with its sandbox measured by the real /proc reader ("not measured" where it answers none).
import { describe, expect, it } from 'vitest';
import type { App } from 'electron';
import { procSandboxReader } from '../node/proc-sandbox.ts';
import { electronMemory, electronProcessMetrics } from './process-metrics.ts';

type AppMetrics = ReturnType<App['getAppMetrics']>;

const metric = (pid: number, percentCPUUsage: number, workingSetSize: number, privateBytes?: number) =>
  ({
    pid,
    type: 'Utility',
    creationTime: 0,
    cpu: { percentCPUUsage, idleWakeupsPerSecond: 0 },
    memory: {
      workingSetSize,
      peakWorkingSetSize: workingSetSize,
      ...(privateBytes === undefined ? {} : { privateBytes }),
    },
  }) as unknown as AppMetrics[number];

describe('electronProcessMetrics', () => {
  const app = { getAppMetrics: (): AppMetrics => [metric(process.pid, 12.5, 1000, 800), metric(999_999_999, 1, 10)] };

  it('answers CPU, memory in bytes and the measured sandbox for the pids asked about only', async () => {
    const rows = await electronProcessMetrics(app, procSandboxReader()).sample([process.pid]);
    expect([...rows.keys()]).toEqual([process.pid]);
    expect(rows.get(process.pid)).toMatchObject({ cpuPercent: 12.5, memoryBytes: 800 * 1024 });
    if (process.platform === 'linux')
      expect(rows.get(process.pid)!.sandbox).toEqual({ seccomp: 'none', noNewPrivs: false, namespaces: [] });
  });

  it('leaves the sandbox out where the reader measures nothing (not Linux: "not measured")', async () => {
    const rows = await electronProcessMetrics(app, procSandboxReader({ platform: 'darwin' })).sample([process.pid]);
    expect(rows.get(process.pid)).toEqual({ cpuPercent: 12.5, memoryBytes: 800 * 1024 });
  });
});

describe('electronMemory', () => {
  it("is the renderer memory cap's figure: the task manager's memory in bytes, for the pids asked about only", async () => {
    const app = { getAppMetrics: (): AppMetrics => [metric(41, 0, 2000), metric(42, 0, 1000, 800), metric(43, 0, 5)] };
    const bytes = await electronMemory(app).memoryBytes([41, 42, 44]);
    expect(bytes).toEqual(
      new Map([
        [41, 2000 * 1024],
        [42, 800 * 1024],
      ]),
    );
  });
});
