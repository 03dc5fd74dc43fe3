/** The machine a run measured, recorded with every result (absolute numbers vary several-fold by machine). */
import type { RunEnvironment } from '../../protocol/labs/ipc-result.ts';
import os from 'node:os';

export type { RunEnvironment };

export function runEnvironment(): RunEnvironment {
  const electron = (process.versions as Record<string, string | undefined>).electron;
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    kernel: `${os.type()} ${os.release()}`,
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    v8: process.versions.v8,
    runtime: electron ? `electron ${electron}` : 'node',
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
  };
}
