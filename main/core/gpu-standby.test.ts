// The hot-standby GPU process's policy (gpu-process-host.ts), on the real hosts (GpuProcessHost over
// UtilityProcessHost) with children from FakeUtilityLauncher (the real GpuService over in-process
// ports) and a ManualClock: promotion on a crash, a standby's own crash replaced quietly, software
// compositing still after the limit, and the switch off.
import { afterEach, expect, it } from 'vitest';
import { EventLog } from './event-log.ts';
import {
  DEFAULT_STANDBY_RELAUNCH_DELAY_MS,
  GPU_PROCESS_ID,
  GPU_STANDBY_ID,
  GpuProcessHost,
  type GpuProcessHostOptions,
} from './gpu-process-host.ts';
import { ProcessRegistry } from './process-registry.ts';
import { FakeUtilityLauncher, type FakeUtilityChild } from './testing/fake-utility-launcher.ts';
import { ManualClock } from './testing/manual-clock.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setUp(options: Partial<GpuProcessHostOptions> = {}) {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const launcher = new FakeUtilityLauncher();
  const clock = new ManualClock();
  const gpu = new GpuProcessHost({ launcher, registry, log, clock, standby: true, ...options });
  const ready: number[] = [];
  gpu.onDidBecomeReady(({ pid }) => ready.push(pid));
  const modes: string[] = [];
  gpu.onDidChangeMode((mode) => modes.push(mode));
  cleanup = () => {
    gpu.dispose();
    launcher.dispose();
  };
  const child = (pid: number | undefined): FakeUtilityChild => {
    const found = launcher.children.find((candidate) => candidate.pid === pid);
    if (!found) throw new Error(`no child ${pid}`);
    return found;
  };
  return { log, registry, launcher, clock, gpu, ready, modes, child };
}

it('keeps a warmed-up standby behind the active GPU process, listed as "GPU process (standby)"', async () => {
  const { gpu, registry, launcher } = setUp();
  await gpu.start();
  await gpu.whenStandbyReady();
  expect(launcher.children.map((child) => child.kind)).toEqual(['gpu', 'gpu']);
  const [active, standby] = launcher.children as [FakeUtilityChild, FakeUtilityChild];
  expect(gpu.pid).toBe(active.pid);
  expect(gpu.standbyPid).toBe(standby.pid);
  expect(registry.get(GPU_PROCESS_ID)).toMatchObject({ kind: 'gpu', label: 'GPU process', state: 'running' });
  expect(registry.get(GPU_PROCESS_ID)?.standby).toBeUndefined();
  expect(registry.get(GPU_STANDBY_ID)).toMatchObject({
    kind: 'gpu',
    label: 'GPU process (standby)',
    pid: standby.pid,
    state: 'running',
    standby: true,
  });
  // Tabs draw on the active one only: the standby grants nothing.
  const grant = await gpu.establishChannel('tab-1');
  expect(grant).toMatchObject({ mode: 'hardware', gpuPid: active.pid });
  expect(standby.grants).toEqual([]);
});

it('on a crash, promotes the standby: tabs are told, their channel comes from the former standby, a new standby starts, the crash counts', async () => {
  const { gpu, registry, launcher, clock, ready, modes, child } = setUp();
  await gpu.start();
  await gpu.whenStandbyReady();
  const [active, standby] = launcher.children as [FakeUtilityChild, FakeUtilityChild];
  ready.length = 0;

  active.crash();
  // Promoted at once, in the crash's own handling: no launch, no wait for a new process.
  expect(ready).toEqual([standby.pid]);
  expect(gpu.pid).toBe(standby.pid);
  expect(gpu.recentCrashes).toBe(1);
  expect(registry.get(GPU_PROCESS_ID)).toMatchObject({ pid: standby.pid, state: 'running', restarts: 1 });
  expect(registry.get(GPU_PROCESS_ID)?.standby).toBeUndefined();

  const grant = await gpu.establishChannel('tab-1');
  expect(grant).toMatchObject({ mode: 'hardware', gpuPid: standby.pid });
  expect(standby.grants).toEqual(['tab-1']);

  // A new standby behind it, once the tabs have drawn: announced at once, launched after the delay.
  expect(launcher.children).toHaveLength(2);
  expect(registry.get(GPU_STANDBY_ID)).toMatchObject({ state: 'starting', standby: true, restarts: 1 });
  expect(registry.get(GPU_STANDBY_ID)?.pid).toBeUndefined();
  clock.advance(DEFAULT_STANDBY_RELAUNCH_DELAY_MS - 1);
  expect(launcher.children).toHaveLength(2);
  clock.advance(1);
  expect(launcher.children).toHaveLength(3);
  await gpu.whenStandbyReady();
  const replacement = launcher.children[2]!;
  expect(gpu.standbyPid).toBe(replacement.pid);
  expect(registry.get(GPU_STANDBY_ID)).toMatchObject({
    pid: replacement.pid,
    standby: true,
    state: 'running',
    restarts: 1,
  });
  expect(modes).toEqual([]);

  // The promoted process is watched as the active one: its crash promotes the next standby.
  child(standby.pid).crash();
  expect(gpu.pid).toBe(replacement.pid);
  expect(gpu.recentCrashes).toBe(2);
});

it("a standby's own crash is replaced quietly: no tab hears of it, the active one is untouched, and it counts nowhere", async () => {
  const { gpu, registry, launcher, clock, ready, modes, log } = setUp();
  await gpu.start();
  await gpu.whenStandbyReady();
  const [active, standby] = launcher.children as [FakeUtilityChild, FakeUtilityChild];
  ready.length = 0;

  standby.crash();
  expect(registry.get(GPU_STANDBY_ID)).toMatchObject({ state: 'crashed', exitReason: 'crashed' });
  // In the event log (what the task manager and the map show), never as a GPU change to tabs.
  expect(log.history().some((event) => event.type === 'process-exited' && event.process.id === GPU_STANDBY_ID)).toBe(
    true,
  );
  clock.advance(0);
  await gpu.whenStandbyReady();
  expect(launcher.children).toHaveLength(3);
  expect(gpu.standbyPid).toBe(launcher.children[2]!.pid);
  expect(gpu.pid).toBe(active.pid);
  expect(ready).toEqual([]);
  expect(modes).toEqual([]);
  expect(gpu.recentCrashes).toBe(0);

  // "End process" on the standby's row ends the standby, not the active one; replaced the same way.
  gpu.kill(GPU_STANDBY_ID);
  expect(registry.get(GPU_STANDBY_ID)).toMatchObject({ state: 'killed' });
  clock.advance(0);
  await gpu.whenStandbyReady();
  expect(gpu.pid).toBe(active.pid);
  expect(ready).toEqual([]);
});

it('still falls back to software compositing after 3 crashes within the window, promotions included, and drops the standby', async () => {
  const { gpu, registry, launcher, ready, modes, child } = setUp();
  await gpu.start();
  for (let crash = 1; crash <= 2; crash++) {
    await gpu.whenStandbyReady();
    const standbyPid = gpu.standbyPid;
    child(gpu.pid).crash();
    expect(gpu.pid).toBe(standbyPid); // promoted
    expect(gpu.recentCrashes).toBe(crash);
  }
  await gpu.whenStandbyReady();
  const standbyPid = gpu.standbyPid;
  ready.length = 0;
  child(gpu.pid).crash();
  expect(modes).toEqual(['software']);
  expect(ready).toEqual([]); // not promoted
  expect(gpu.pid).toBeUndefined();
  expect(gpu.standbyPid).toBeUndefined();
  expect(registry.get(GPU_STANDBY_ID)).toMatchObject({ pid: standbyPid, state: 'killed' });
  expect(await gpu.establishChannel('tab-1')).toEqual({ mode: 'software' });
  expect(launcher.children).toHaveLength(4); // the first, its standby, a new standby per promotion
  await expect(gpu.whenStandbyReady()).rejects.toThrow('No GPU standby');
});

it('with the switch off: no standby, and a crash is a cold restart', async () => {
  const { gpu, registry, launcher, clock, ready } = setUp({ standby: false });
  await gpu.start();
  expect(launcher.children).toHaveLength(1);
  expect(registry.get(GPU_STANDBY_ID)).toBeUndefined();
  const first = launcher.children[0]!;
  ready.length = 0;
  first.crash();
  expect(gpu.pid).toBeUndefined(); // nothing to promote
  clock.advance(0);
  await expect.poll(() => ready).toHaveLength(1);
  expect(launcher.children).toHaveLength(2);
  expect(gpu.pid).toBe(launcher.children[1]!.pid);
  expect(gpu.recentCrashes).toBe(1);
  expect(registry.get(GPU_STANDBY_ID)).toBeUndefined();
  await expect(gpu.whenStandbyReady()).rejects.toThrow('No GPU standby');
});

it('a crash while the standby is still starting is a cold restart; the starting standby stays the standby', async () => {
  const { gpu, launcher, clock, ready } = setUp();
  await gpu.start(); // the standby is launched, not ready yet (its describe answer is a message away)
  const [active, standby] = launcher.children as [FakeUtilityChild, FakeUtilityChild];
  expect(gpu.standbyReady).toBe(false);
  ready.length = 0;
  active.crash();
  clock.advance(0);
  await expect.poll(() => ready).toHaveLength(1);
  expect(gpu.pid).toBe(launcher.children[2]!.pid);
  await gpu.whenStandbyReady();
  expect(gpu.standbyPid).toBe(standby.pid);
  expect(launcher.children).toHaveLength(3);
});
