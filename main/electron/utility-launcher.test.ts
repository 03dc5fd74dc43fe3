// ElectronUtilityLauncher against stand-ins for `app` and `utilityProcess`, fed the events and
// details Electron gives (child-process-gone names the fork's serviceName in `details.name`; its
// `details.serviceName` is Chromium's metrics name, the same for every utility process).
import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it } from 'vitest';
import type { ChildExit } from '../core/process-registry.ts';
import { UtilityExits } from './utility-exits.ts';
import { ElectronUtilityLauncher, SERVICE_NAMES, type ElectronUtilityLauncherOptions } from './utility-launcher.ts';

/** Electron's `details.serviceName` for every `utilityProcess.fork` child. */
const METRICS_NAME = 'node.mojom.NodeService';

class FakeChild extends EventEmitter {
  pid: number | undefined = undefined;
  killed = false;
  postMessage() {}
  kill() {
    this.killed = true;
    return true;
  }
  /** Electron sets pid, then emits `spawn`. */
  spawned(pid: number) {
    this.pid = pid;
    this.emit('spawn');
  }
  exited(code: number) {
    this.pid = undefined;
    this.emit('exit', code);
  }
}

function setup(options: { fork?: () => FakeChild; alive?: Set<number> } = {}) {
  const app = new EventEmitter();
  const forks: Array<{ path: string; options: { serviceName?: string } }> = [];
  const children: FakeChild[] = [];
  const alive = options.alive ?? new Set<number>();
  const launcher = new ElectronUtilityLauncher({
    app: app as unknown as App,
    utilityProcess: {
      fork: ((path: string, _args: string[], forkOptions: { serviceName?: string }) => {
        forks.push({ path, options: forkOptions });
        const child = options.fork ? options.fork() : new FakeChild();
        children.push(child);
        return child;
      }) as unknown as ElectronUtilityLauncherOptions['utilityProcess']['fork'],
    },
    entries: { gpu: '/app/gpu-worker.js', 'plugin-host': '/app/plugin-host.js', 'lab-host': '/app/lab-host.js' },
    exits: new UtilityExits({ isAlive: (pid) => alive.has(pid), graceMs: 30 }),
  });
  const gone = (name: string, reason: string, exitCode: number) =>
    app.emit('child-process-gone', {}, { type: 'Utility', reason, exitCode, serviceName: METRICS_NAME, name });
  return { app, launcher, forks, children, gone, alive };
}

function exitsOf(child: { onDidExit(listener: (exit: ChildExit) => void): void }): ChildExit[] {
  const exits: ChildExit[] = [];
  child.onDidExit((exit) => exits.push(exit));
  return exits;
}

describe('ElectronUtilityLauncher', () => {
  it("forks the entry with its service name; its pid exists from spawn on, in the transport's peer too", () => {
    const { launcher, forks, children } = setup();
    const child = launcher.launch('gpu');
    expect(forks).toEqual([
      { path: '/app/gpu-worker.js', options: expect.objectContaining({ serviceName: SERVICE_NAMES.gpu }) },
    ]);
    expect(child.pid).toBeUndefined();
    expect(child.transport.peer).toEqual({ process: 'gpu' });
    children[0]!.spawned(4321);
    expect(child.pid).toBe(4321);
    expect(child.transport.peer).toEqual({ process: 'gpu', pid: 4321 });
  });

  it('reports a crash once, with the reason from child-process-gone (matched by details.name), whichever comes first', async () => {
    const { launcher, children, gone } = setup();
    const gpu = launcher.launch('gpu');
    const plugins = launcher.launch('plugin-host');
    const [gpuChild, pluginChild] = children as [FakeChild, FakeChild];
    gpuChild.spawned(100);
    pluginChild.spawned(200);
    const gpuExits = exitsOf(gpu);
    const pluginExits = exitsOf(plugins);

    // child-process-gone first: reported at once; the exit after it changes nothing.
    gone(SERVICE_NAMES.gpu, 'crashed', 11);
    expect(gpuExits).toEqual([{ reason: 'crashed', code: 11 }]);
    gpuChild.exited(11);
    expect(gpuExits).toHaveLength(1);
    expect(pluginExits).toEqual([]); // another service's report is not this child's

    // exit first (a SIGKILL): it waits for child-process-gone, which says killed.
    pluginChild.exited(9);
    expect(pluginExits).toEqual([]);
    gone(SERVICE_NAMES['plugin-host'], 'killed', 9);
    expect(pluginExits).toEqual([{ reason: 'killed', code: 9 }]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(pluginExits).toHaveLength(1);
  });

  it('reports a clean exit at once, and a non-zero exit with no child-process-gone from its code after a grace period', async () => {
    const { launcher, children } = setup();
    const clean = launcher.launch('plugin-host');
    children[0]!.spawned(300);
    const cleanExits = exitsOf(clean);
    children[0]!.exited(0);
    expect(cleanExits).toEqual([{ reason: 'clean-exit', code: 0 }]);

    const failing = launcher.launch('plugin-host');
    children[1]!.spawned(301);
    const failingExits = exitsOf(failing);
    children[1]!.exited(3);
    expect(failingExits).toEqual([]);
    await expect.poll(() => failingExits, { timeout: 2000 }).toEqual([{ reason: 'abnormal-exit', code: 3 }]);
  });

  it('two GPU processes at once (the active one and its hot standby, one service name): each crash is reported on the process that ended', () => {
    const alive = new Set([700, 701]);
    const { launcher, children, gone } = setup({ alive });
    const active = launcher.launch('gpu');
    const standby = launcher.launch('gpu');
    const [activeChild, standbyChild] = children as [FakeChild, FakeChild];
    activeChild.spawned(700);
    standbyChild.spawned(701);
    const activeExits = exitsOf(active);
    const standbyExits = exitsOf(standby);

    // The standby (launched second) dies first; child-process-gone comes before its exit.
    alive.delete(701);
    gone(SERVICE_NAMES.gpu, 'crashed', 11);
    expect(standbyExits).toEqual([{ reason: 'crashed', code: 11 }]);
    expect(activeExits).toEqual([]);
    standbyChild.exited(11);
    expect(standbyExits).toHaveLength(1);

    // Then the active one, exit first: still its own report.
    alive.delete(700);
    activeChild.exited(9);
    gone(SERVICE_NAMES.gpu, 'killed', 9);
    expect(activeExits).toEqual([{ reason: 'killed', code: 9 }]);
    expect(standbyExits).toHaveLength(1);
  });

  it('reports a launch failure, which has no exit event, from child-process-gone', () => {
    const { launcher, gone } = setup();
    const child = launcher.launch('gpu');
    const exits = exitsOf(child);
    gone(SERVICE_NAMES.gpu, 'launch-failed', 1002);
    expect(exits).toEqual([{ reason: 'launch-failed' }]);
  });

  it('never pins a late report about an ended child on the running one that replaced it', async () => {
    const alive = new Set<number>();
    const { launcher, children, gone } = setup({ alive });
    const old = launcher.launch('gpu');
    children[0]!.spawned(500);
    const oldExits = exitsOf(old);
    children[0]!.exited(0);
    expect(oldExits).toEqual([{ reason: 'clean-exit', code: 0 }]);

    const replacement = launcher.launch('gpu');
    children[1]!.spawned(501);
    alive.add(501);
    const replacementExits = exitsOf(replacement);
    gone(SERVICE_NAMES.gpu, 'killed', 9); // about pid 500, whose exit already came
    expect(replacementExits).toEqual([]);
    // Once the replacement is really gone (its pid no longer alive), the report is its.
    alive.delete(501);
    gone(SERVICE_NAMES.gpu, 'crashed', 11);
    expect(replacementExits).toEqual([{ reason: 'crashed', code: 11 }]);
  });

  it('ends a child asked to end before it spawned with SIGKILL as soon as it has a pid (a real process)', async () => {
    const { launcher, children } = setup();
    const child = launcher.launch('gpu');
    child.kill();
    const real = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const ended = once(real, 'exit');
    children[0]!.spawned(real.pid!);
    expect(await ended).toEqual([null, 'SIGKILL']);
  });

  it('reports a fork that throws as a launch failure at once', () => {
    const { launcher } = setup({
      fork: () => {
        throw new Error('no such file');
      },
    });
    expect(exitsOf(launcher.launch('gpu'))).toEqual([{ reason: 'launch-failed' }]);
  });
});
