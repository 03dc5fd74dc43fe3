// Supervision of the real GPU process and plugin host: OS processes started as the Chromium shell
// starts them, ended with real signals.
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { BrowserEvent } from '../../protocol/interfaces/browser-state.ts';
import { systemClock } from '../core/clock.ts';
import { EventLog } from '../core/event-log.ts';
import { GPU_PROCESS_ID, GpuProcessHost } from '../core/gpu-process-host.ts';
import { PLUGIN_HOST_ID, PluginProcessHost } from '../core/plugin-process-host.ts';
import { ProcessRegistry } from '../core/process-registry.ts';
import { childProcessLauncher } from './child-process-launcher.ts';

const disposers: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

function setup() {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  // The real entries, bundled once for the run (vitest.global-setup.ts).
  const launcher = childProcessLauncher({ entries: inject('childEntries') });
  const clock = systemClock();
  return { log, registry, launcher, clock };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the first event (from now on) that matches. */
function nextEvent(log: EventLog, match: (event: BrowserEvent) => boolean, timeoutMs = 15_000): Promise<BrowserEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('event did not come'));
    }, timeoutMs);
    const stop = log.onDidRecord((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

const gpuRunning = (event: BrowserEvent) =>
  event.type === 'process-state-changed' && event.process.id === GPU_PROCESS_ID && event.process.state === 'running';

describe('GPU process supervision', () => {
  it('restarts the GPU process after SIGKILL, with a new pid, and records how it ended', async () => {
    const { log, registry, launcher, clock } = setup();
    const gpu = new GpuProcessHost({ launcher, registry, log, clock });
    disposers.push(() => gpu.dispose());
    await gpu.start();
    const firstPid = gpu.pid!;
    expect(isAlive(firstPid)).toBe(true);
    expect(registry.get(GPU_PROCESS_ID)).toMatchObject({ kind: 'gpu', pid: firstPid, state: 'running', restarts: 0 });

    const restarted = nextEvent(log, gpuRunning);
    process.kill(firstPid, 'SIGKILL');
    await restarted;
    const info = registry.get(GPU_PROCESS_ID)!;
    expect(info).toMatchObject({ state: 'running', restarts: 1 });
    expect(info.pid).not.toBe(firstPid);
    expect(isAlive(info.pid!)).toBe(true);
    const exited = log.history().find((event) => event.type === 'process-exited');
    expect(exited).toMatchObject({ expected: false, process: { pid: firstPid, state: 'killed', exitReason: 'killed', exitSignal: 'SIGKILL' } });
    expect(gpu.mode).toBe('hardware');
  });

  it('reports chrome://gpucrash as a crash (a native abort) and restarts', async () => {
    const { log, registry, launcher, clock } = setup();
    const gpu = new GpuProcessHost({ launcher, registry, log, clock });
    disposers.push(() => gpu.dispose());
    await gpu.start();
    const exited = nextEvent(log, (event) => event.type === 'process-exited');
    const restarted = nextEvent(log, gpuRunning);
    gpu.crash();
    expect(await exited).toMatchObject({ process: { state: 'crashed', exitReason: 'crashed', exitSignal: 'SIGABRT' } });
    await restarted;
  });

  it('falls back to software compositing after 3 crashes within the window, and starts no GPU process then', async () => {
    const { log, registry, launcher, clock } = setup();
    const gpu = new GpuProcessHost({ launcher, registry, log, clock, crashWindowMs: 60_000 });
    disposers.push(() => gpu.dispose());
    await gpu.start();
    const pids: number[] = [];
    for (let crash = 1; crash <= 2; crash++) {
      const restarted = nextEvent(log, gpuRunning);
      pids.push(gpu.pid!);
      process.kill(gpu.pid!, 'SIGKILL');
      await restarted;
      expect(gpu.mode).toBe('hardware');
    }
    const fellBack = nextEvent(log, (event) => event.type === 'gpu-mode-changed');
    pids.push(gpu.pid!);
    process.kill(gpu.pid!, 'SIGKILL');
    expect(await fellBack).toMatchObject({ mode: 'software', reason: 'the GPU process crashed 3 times within 60 s' });
    expect(gpu.mode).toBe('software');
    expect(await gpu.establishChannel('tab-1')).toEqual({ mode: 'software' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gpu.pid).toBeUndefined();
    expect(registry.get(GPU_PROCESS_ID)?.state).toBe('killed');
    expect(new Set(pids).size).toBe(3);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('forgives crashes older than the window: spaced-out crashes never fall back', async () => {
    const { log, registry, launcher, clock } = setup();
    const windowMs = 3000;
    const gpu = new GpuProcessHost({ launcher, registry, log, clock, crashWindowMs: windowMs });
    disposers.push(() => gpu.dispose());
    await gpu.start();
    for (let crash = 1; crash <= 2; crash++) {
      const restarted = nextEvent(log, gpuRunning);
      process.kill(gpu.pid!, 'SIGKILL');
      await restarted;
    }
    expect(gpu.recentCrashes).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, windowMs + 200));
    expect(gpu.recentCrashes).toBe(0);
    const restarted = nextEvent(log, gpuRunning);
    process.kill(gpu.pid!, 'SIGKILL');
    await restarted;
    expect(gpu.mode).toBe('hardware');
    expect(gpu.recentCrashes).toBe(1);
    expect(log.history().some((event) => event.type === 'gpu-mode-changed')).toBe(false);
  });
});

describe('plugin host supervision', () => {
  it('reports a crash, stays down until asked, and restarts on demand with a new pid', async () => {
    const { log, registry, launcher, clock } = setup();
    const plugins = new PluginProcessHost({ launcher, registry, log, clock });
    disposers.push(() => plugins.dispose());
    await plugins.start();
    const firstPid = plugins.pid!;
    const crashes: number[] = [];
    plugins.onDidCrash(({ recentCrashes }) => crashes.push(recentCrashes));

    const exited = nextEvent(log, (event) => event.type === 'process-exited');
    process.kill(firstPid, 'SIGSEGV');
    expect(await exited).toMatchObject({ process: { id: PLUGIN_HOST_ID, state: 'crashed', exitSignal: 'SIGSEGV' } });
    expect(crashes).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(plugins.running).toBe(false);
    await expect(plugins.establishChannel('tab-1')).rejects.toThrow('The plugin host is not running');

    await plugins.start();
    expect(plugins.pid).not.toBe(firstPid);
    expect(registry.get(PLUGIN_HOST_ID)).toMatchObject({ state: 'running', restarts: 1, pid: plugins.pid });
  });
});
