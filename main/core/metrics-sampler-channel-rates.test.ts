// The sampler's direct-channel rates: cumulative counts read from the children that serve the
// channels (the GPU process, the plugin host) turned into messages per second, with a manual clock.
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from './testing/manual-clock.ts';
import { EventLog } from './event-log.ts';
import { MetricsSampler, type ChannelTrafficReading, type DirectChannelSource } from './metrics-sampler.ts';
import { ProcessRegistry } from './process-registry.ts';

const samplers: MetricsSampler[] = [];
afterEach(() => {
  for (const sampler of samplers.splice(0)) sampler.stop();
});

/** A child's counts as a test sets them; `answer` false: it does not answer (hung), `fail`: it is gone. */
function fakeSource(kind: DirectChannelSource['interface']) {
  const state = { pid: 100, counts: new Map<string, { received: number; sent: number }>(), answer: true, fail: false };
  const source: DirectChannelSource = {
    interface: kind,
    read: () => {
      if (state.fail) return Promise.reject(new Error('not running'));
      if (!state.answer) return new Promise<ChannelTrafficReading>(() => {});
      return Promise.resolve({
        pid: state.pid,
        channels: [...state.counts].map(([clientId, counts]) => ({ clientId, ...counts })),
      });
    },
  };
  return { state, source };
}

function setup() {
  const clock = new ManualClock();
  const registry = new ProcessRegistry(new EventLog());
  registry.launched('browser', 'browser', 'Browser', 1);
  const gpu = fakeSource('TabGpu');
  const plugins = fakeSource('TabPlugin');
  const sampler = new MetricsSampler({
    registry,
    clock,
    browserId: 'browser',
    rendererOfTab: () => undefined,
    intervalMs: 1000,
    idleTimeoutMs: 60_000,
    trafficTimeoutMs: 300,
    directChannels: [gpu.source, plugins.source],
  });
  samplers.push(sampler);
  /**
   * The next sample, `ms` (at least the interval) after the last timer was set: the sampler's timer
   * fires (late, if more), and the sample is awaited. Stalled, not advanced: a manual clock would run
   * the read's timeout before the read's promise could settle.
   */
  const next = async (ms = 1000) => {
    clock.stall(ms);
    clock.advance(0);
    await sampler.watch();
    return sampler.channels;
  };
  return { clock, sampler, gpu: gpu.state, plugins: plugins.state, next };
}

it("turns each tab's cumulative counts into messages per second, each way, from the second reading on", async () => {
  const { sampler, gpu, plugins, next } = setup();
  gpu.counts.set('tab-1', { received: 100, sent: 100 });
  plugins.counts.set('tab-2', { received: 3, sent: 10 });
  await sampler.watch();
  expect(sampler.channels).toEqual([]); // one reading: no rate yet

  gpu.counts.set('tab-1', { received: 130, sent: 130 });
  gpu.counts.set('tab-3', { received: 5, sent: 5 }); // new: measured from the next reading
  plugins.counts.set('tab-2', { received: 4, sent: 14 });
  expect(await next()).toEqual([
    { interface: 'TabGpu', tabId: 'tab-1', perSecond: 60, toChildPerSecond: 30, toTabPerSecond: 30 },
    { interface: 'TabPlugin', tabId: 'tab-2', perSecond: 5, toChildPerSecond: 1, toTabPerSecond: 4 },
  ]);

  gpu.counts.set('tab-3', { received: 15, sent: 15 });
  gpu.counts.delete('tab-1'); // its channel closed: gone from the figures
  expect(await next(2000)).toEqual([
    { interface: 'TabGpu', tabId: 'tab-3', perSecond: 10, toChildPerSecond: 5, toTabPerSecond: 5 },
    { interface: 'TabPlugin', tabId: 'tab-2', perSecond: 0, toChildPerSecond: 0, toTabPerSecond: 0 },
  ]);
});

it('leaves out a child that does not answer within the timeout or is gone, and keeps sampling; its next answer spans the gap', async () => {
  const { clock, sampler, gpu, plugins, next } = setup();
  gpu.counts.set('tab-1', { received: 0, sent: 0 });
  plugins.counts.set('tab-2', { received: 0, sent: 0 });
  await sampler.watch();

  gpu.answer = false; // hung
  plugins.fail = true; // crashed
  clock.stall(1000);
  clock.advance(0); // the sample starts and waits for the GPU process…
  clock.advance(500); // …no longer than its timeout
  expect(await sampler.watch()).toEqual([{ id: 'browser', ipcPerSecond: 0 }]);
  expect(sampler.channels).toEqual([]);

  gpu.answer = true;
  plugins.fail = false;
  gpu.counts.set('tab-1', { received: 50, sent: 40 });
  plugins.counts.set('tab-2', { received: 5, sent: 5 });
  const rows = await next(); // at 2.5 s: 2.5 s after the last answered reading
  expect(rows).toEqual([
    { interface: 'TabGpu', tabId: 'tab-1', perSecond: 36, toChildPerSecond: 20, toTabPerSecond: 16 },
    { interface: 'TabPlugin', tabId: 'tab-2', perSecond: 4, toChildPerSecond: 2, toTabPerSecond: 2 },
  ]);
});

it("starts again with a restarted child (a new pid): no rate from the old process's counts", async () => {
  const { sampler, gpu, next } = setup();
  gpu.counts.set('tab-1', { received: 1000, sent: 1000 });
  await sampler.watch();
  gpu.pid = 200;
  gpu.counts.set('tab-1', { received: 2000, sent: 2000 }); // more than before, but another process's
  expect(await next()).toEqual([]);
  gpu.counts.set('tab-1', { received: 2010, sent: 2010 });
  expect(await next()).toEqual([
    { interface: 'TabGpu', tabId: 'tab-1', perSecond: 20, toChildPerSecond: 10, toTabPerSecond: 10 },
  ]);
});

it('forgets old counts when sampling stops, so a rate never averages over the idle time', async () => {
  const { sampler, gpu, next } = setup();
  gpu.counts.set('tab-1', { received: 0, sent: 0 });
  await sampler.watch();
  sampler.stop();
  gpu.counts.set('tab-1', { received: 500, sent: 500 });
  await sampler.watch();
  expect(sampler.channels).toEqual([]);
  gpu.counts.set('tab-1', { received: 501, sent: 500 });
  expect(await next()).toEqual([
    { interface: 'TabGpu', tabId: 'tab-1', perSecond: 1, toChildPerSecond: 1, toTabPerSecond: 0 },
  ]);
});

it("passes each process's measured sandbox to its row, and leaves it out where the source could not measure it", async () => {
  const registry = new ProcessRegistry(new EventLog());
  registry.launched('browser', 'browser', 'Browser', 1);
  registry.launched('renderer-1', 'renderer', 'tab-1', 2);
  registry.launched('gpu', 'gpu', 'GPU process', 3);
  const rendererSandbox = {
    seccomp: 'filter' as const,
    noNewPrivs: true,
    namespaces: ['user' as const, 'pid' as const, 'net' as const],
  };
  const sampler = new MetricsSampler({
    registry,
    clock: new ManualClock(),
    browserId: 'browser',
    rendererOfTab: () => undefined,
    source: {
      sample: (pids) =>
        Promise.resolve(
          new Map(
            pids.map((pid) => [
              pid,
              pid === 2
                ? { cpuPercent: 1, memoryBytes: 10, sandbox: rendererSandbox }
                : pid === 1
                  ? {
                      cpuPercent: 2,
                      memoryBytes: 20,
                      sandbox: { seccomp: 'none' as const, noNewPrivs: false, namespaces: [] },
                    }
                  : { cpuPercent: 3, memoryBytes: 30 },
            ]),
          ),
        ),
    },
  });
  samplers.push(sampler);
  const rows = new Map((await sampler.watch()).map((row) => [row.id, row]));
  expect(rows.get('renderer-1')?.sandbox).toEqual(rendererSandbox);
  expect(rows.get('browser')?.sandbox).toEqual({ seccomp: 'none', noNewPrivs: false, namespaces: [] });
  expect(rows.get('gpu')).toBeDefined();
  expect(rows.get('gpu')).not.toHaveProperty('sandbox');
});
