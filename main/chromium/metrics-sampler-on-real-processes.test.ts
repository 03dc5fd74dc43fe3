// The task manager's sampler on real processes: /proc figures of real children, and IPC rates from
// the real tracer while real RPC calls cross real channels.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { EchoClient, EchoService } from '../../protocol/rpc/testing/echo-service.ts';
import { forkService } from '../../protocol/rpc/testing/fork-service.ts';
import { ipcTracer } from '../../protocol/rpc/trace.ts';
import { systemClock } from '../core/clock.ts';
import { EventLog } from '../core/event-log.ts';
import { MetricsSampler, type ProcessMetricsRow } from '../core/metrics-sampler.ts';
import { peerProcessIndex, processOfPeer, type TracedPeer } from '../../protocol/interfaces/peer-process.ts';
import { ProcessRegistry } from '../core/process-registry.ts';
import { procMetrics } from './process-metrics.ts';
import { waitUntil } from './testing/processes.ts';

const entry = fileURLToPath(new URL('../../protocol/rpc/testing/echo-child.ts', import.meta.url));
const children: ChildProcess[] = [];
const samplers: MetricsSampler[] = [];
afterEach(() => {
  for (const sampler of samplers.splice(0)) sampler.stop();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function startChild() {
  const service = forkService({ entry, process: 'echo-child', local: EchoClient, remote: EchoService, handlers: {} });
  children.push(service.child);
  return service;
}

function setup(options: { idleTimeoutMs?: number } = {}) {
  const registry = new ProcessRegistry(new EventLog());
  registry.launched('browser', 'browser', 'Browser', process.pid);
  const sampler = new MetricsSampler({
    registry,
    clock: systemClock(),
    source: procMetrics(),
    browserId: 'browser',
    rendererOfTab: () => undefined,
    intervalMs: 250,
    idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
  });
  samplers.push(sampler);
  return { registry, sampler };
}

const row = (rows: ProcessMetricsRow[], id: string) => rows.find((candidate) => candidate.id === id);

it('samples live children: PSS in a sane range, CPU from the second sample, IPC rates for the child that talks', async () => {
  const talker = startChild();
  const quiet = startChild();
  await Promise.all([talker, quiet].map(({ connection }) => connection.remote.echo({ text: 'ready' })));
  const { registry, sampler } = setup();
  registry.launched('gpu', 'gpu', 'GPU process', talker.child.pid);
  registry.launched('plugin-host', 'plugin-host', 'Plugin host', quiet.child.pid);

  expect(ipcTracer.active).toBe(false);
  const first = await sampler.watch();
  expect(ipcTracer.active).toBe(true);
  expect(first.map((r) => r.id).sort()).toEqual(['browser', 'gpu', 'plugin-host']);
  for (const r of first) {
    expect(r.memoryBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(r.memoryBytes).toBeLessThan(500 * 1024 * 1024);
  }

  // About 50 round trips a second to one child: 100 messages a second each way counted.
  let talking = true;
  const talk = (async () => {
    while (talking) {
      await talker.connection.remote.echo({ text: 'hello' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let latest: ProcessMetricsRow[] = [];
  const deadline = Date.now() + 5000;
  while ((row(latest, 'gpu')?.ipcPerSecond ?? 0) <= 20 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    latest = await sampler.watch();
  }
  talking = false;
  await talk;
  const gpu = row(latest, 'gpu')!;
  expect(gpu.ipcPerSecond).toBeGreaterThan(20);
  expect(gpu.ipcPerSecond).toBeLessThan(1000);
  expect(row(latest, 'plugin-host')!.ipcPerSecond).toBe(0);
  expect(row(latest, 'browser')!.ipcPerSecond).toBeGreaterThanOrEqual(gpu.ipcPerSecond);
  for (const r of latest) expect(r.cpuPercent).toBeGreaterThanOrEqual(0);
});

it('leaves out a process that ended, and stops tracing once nobody watches', async () => {
  const child = startChild();
  await child.connection.remote.echo({ text: 'ready' });
  const { registry, sampler } = setup({ idleTimeoutMs: 300 });
  registry.launched('gpu', 'gpu', 'GPU process', child.child.pid);
  expect((await sampler.watch()).map((r) => r.id).sort()).toEqual(['browser', 'gpu']);

  child.child.kill('SIGKILL');
  await child.exited;
  registry.exited('gpu', { reason: 'killed', signal: 'SIGKILL' }, false);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await sampler.watch()).map((r) => r.id)).toEqual(['browser']);

  await waitUntil(() => !sampler.running, 2000, 'the sampler to stop');
  expect(ipcTracer.active).toBe(false);
});

it('attributes a peer to a registry id: a renderer by its tab, others by pid or role', () => {
  const registry = new ProcessRegistry(new EventLog());
  registry.launched('browser', 'browser', 'Browser', 100);
  registry.launched('gpu', 'gpu', 'GPU process', 200);
  registry.launched('renderer-1', 'renderer', 'Live', 300);
  const tabs: Record<string, string> = { 'tab-1': 'renderer-1' };
  const of = (peer: TracedPeer) =>
    processOfPeer(
      peer,
      peerProcessIndex(registry.list(), (tabId) => tabs[tabId]),
    );
  expect(of({ process: 'renderer', id: 'tab-1', pid: 999 })).toBe('renderer-1');
  expect(of({ process: 'renderer', pid: 300 })).toBe('renderer-1');
  expect(of({ process: 'gpu' })).toBe('gpu');
  expect(of({ process: 'plugin-host' })).toBeUndefined();
  expect(of({ process: 'ui' })).toBeUndefined();
  expect(of({ process: 'browser', pid: 100 })).toBeUndefined();
});
