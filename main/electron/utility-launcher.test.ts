// ElectronUtilityLauncher against stand-ins for `app` and `utilityProcess`.
import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it } from 'vitest';
import type { ChildExit } from '../core/process-registry.ts';
import { ElectronUtilityLauncher, SERVICE_NAMES, type ElectronUtilityLauncherOptions } from './utility-launcher.ts';

class FakeChild extends EventEmitter {
  pid = 4321;
  postMessage() {}
  kill() {
    return true;
  }
}

function setup(fork?: () => FakeChild) {
  const app = new EventEmitter();
  const forks: Array<{ path: string; options: { serviceName?: string } }> = [];
  const children: FakeChild[] = [];
  const launcher = new ElectronUtilityLauncher({
    app: app as unknown as App,
    utilityProcess: {
      fork: ((path: string, _args: string[], options: { serviceName?: string }) => {
        forks.push({ path, options });
        const child = fork ? fork() : new FakeChild();
        children.push(child);
        return child;
      }) as unknown as ElectronUtilityLauncherOptions['utilityProcess']['fork'],
    },
    entries: { gpu: '/app/gpu-worker.js', 'plugin-host': '/app/plugin-host.js' },
  });
  return { app, launcher, forks, children };
}

describe('ElectronUtilityLauncher', () => {
  it('forks the entry with its service name and reports a crash from child-process-gone', () => {
    const { app, launcher, forks, children } = setup();
    const child = launcher.launch('gpu');
    expect(forks).toEqual([{ path: '/app/gpu-worker.js', options: expect.objectContaining({ serviceName: SERVICE_NAMES.gpu }) }]);
    expect(child.pid).toBe(4321);
    const exits: ChildExit[] = [];
    child.onDidExit((exit) => exits.push(exit));
    // Another service's crash is not this child's.
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'killed', exitCode: 9, serviceName: SERVICE_NAMES['plugin-host'] });
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'crashed', exitCode: 11, serviceName: SERVICE_NAMES.gpu });
    children[0]!.emit('exit', 11);
    expect(exits).toEqual([{ reason: 'crashed', code: 11 }]);
  });

  it('reports a plain exit from its code, and a launch failure at once', () => {
    const { launcher, children } = setup();
    const child = launcher.launch('plugin-host');
    const exits: ChildExit[] = [];
    child.onDidExit((exit) => exits.push(exit));
    children[0]!.emit('exit', 0);
    expect(exits).toEqual([{ reason: 'clean-exit', code: 0 }]);

    const failing = setup(() => {
      throw new Error('no such file');
    });
    const failed = failing.launcher.launch('gpu');
    const failedExits: ChildExit[] = [];
    failed.onDidExit((exit) => failedExits.push(exit));
    expect(failedExits).toEqual([{ reason: 'launch-failed' }]);
  });
});
