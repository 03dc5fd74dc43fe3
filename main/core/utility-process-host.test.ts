// A child whose launch fails before it ever runs (Electron's child-process-gone 'launch-failed', a
// fork that cannot spawn): the launcher reports it as an exit at once, and the hosts must neither
// wait for it nor lose it. The launcher here is the port's test double: every launch fails as the
// Electron shell's does when utilityProcess.fork throws (main/electron/utility-launcher.ts).
import { expect, it } from 'vitest';
import { systemClock } from './clock.ts';
import { EventLog } from './event-log.ts';
import { GPU_PROCESS_ID, GpuProcessHost } from './gpu-process-host.ts';
import { PLUGIN_HOST_ID, PluginProcessHost } from './plugin-process-host.ts';
import type { LaunchedChild, UtilityKind, UtilityProcessLauncher } from './ports.ts';
import { ProcessRegistry } from './process-registry.ts';

/** A launcher whose children never start: each reports 'launch-failed' as soon as it is listened to. */
function failingLauncher(): UtilityProcessLauncher & { readonly launches: UtilityKind[] } {
  const launches: UtilityKind[] = [];
  return {
    launches,
    launch(kind): LaunchedChild {
      launches.push(kind);
      return {
        pid: undefined,
        transport: { peer: { process: kind }, post: () => {}, on: () => {}, off: () => {} },
        kill: () => {},
        onDidExit: (listener) => listener({ reason: 'launch-failed' }),
      };
    },
  };
}

function setUp() {
  const log = new EventLog();
  return { log, registry: new ProcessRegistry(log), launcher: failingLauncher(), clock: systemClock() };
}

it('the plugin host: start rejects at once, the failure is recorded and reported as a crash, and it stays down', async () => {
  const shared = setUp();
  const plugins = new PluginProcessHost({ ...shared, startTimeoutMs: 60_000 });
  const crashes: number[] = [];
  plugins.onDidCrash(({ recentCrashes }) => crashes.push(recentCrashes));
  const startedAt = performance.now();
  // Two at once are one launch (start is de-duplicated).
  const [first, second] = await Promise.allSettled([plugins.start(), plugins.start()]);
  expect(performance.now() - startedAt).toBeLessThan(5000); // not the 60 s start timeout
  expect(first).toMatchObject({
    status: 'rejected',
    reason: { message: expect.stringContaining('Plugin host failed to start') },
  });
  expect(second.status).toBe('rejected');
  expect(shared.launcher.launches).toEqual(['plugin-host']);
  expect(shared.registry.get(PLUGIN_HOST_ID)).toMatchObject({ state: 'crashed', exitReason: 'launch-failed' });
  expect(crashes).toEqual([1]);
  expect(plugins.running).toBe(false);
  await expect(plugins.establishChannel('tab-1')).rejects.toThrow('The plugin host is not running');
  plugins.dispose();
});

it('the GPU process: each failed launch counts as a crash, and after 3 it falls back to software compositing', async () => {
  const shared = setUp();
  const gpu = new GpuProcessHost({ ...shared, startTimeoutMs: 60_000 });
  const fellBack = new Promise<void>((resolve) => gpu.onDidChangeMode((mode) => mode === 'software' && resolve()));
  await gpu.start(); // resolves: the GPU host's policy answers a failed start by restarting
  await fellBack;
  expect(shared.launcher.launches).toEqual(['gpu', 'gpu', 'gpu']);
  expect(shared.registry.get(GPU_PROCESS_ID)).toMatchObject({ exitReason: 'launch-failed', restarts: 2 });
  expect(await gpu.establishChannel('tab-1')).toEqual({ mode: 'software' });
  gpu.dispose();
});
