/**
 * The GPU process, the plugin host and the lab host as Electron utility processes (`utilityProcess.fork`, each
 * with a serviceName, so `app.getAppMetrics()` and `child-process-gone` name them). How one ended
 * comes from `app`'s `child-process-gone` and the child's `exit`, put together by `UtilityExits`
 * (utility-exits.ts): Electron gives the fork's `serviceName` there as `details.name` (its
 * `details.serviceName` is Chromium's metrics name of every utility process, `node.mojom.NodeService`).
 * Two GPU processes run at once when the hot standby is on (the active one and the standby behind
 * it), both with one serviceName: `child-process-gone` does not say which ended, and UtilityExits
 * gives it to the one whose `exit` came or whose pid is gone, never to the one still running.
 * `UtilityProcess.pid` is undefined until `spawn`: read only after it. Type-only Electron imports:
 * main.ts passes `app` and `utilityProcess`.
 */
import type { App, UtilityProcess } from 'electron';
import { utilityProcessTransport } from '../../protocol/transport/electron.ts';
import type { LaunchedChild, UtilityKind, UtilityProcessLauncher } from '../core/ports.ts';
import type { ChildExit } from '../core/process-registry.ts';
import { UtilityExits } from './utility-exits.ts';

export { childExit, exitReasonOf } from './utility-exits.ts';

export const SERVICE_NAMES: Readonly<Record<UtilityKind, string>> = {
  gpu: 'Lab GPU process',
  'plugin-host': 'Lab plugin host',
  'lab-host': 'Lab lab host',
};

export interface ElectronUtilityLauncherOptions {
  readonly app: Pick<App, 'on' | 'off'>;
  readonly utilityProcess: { fork: (typeof import('electron'))['utilityProcess']['fork'] };
  /** The built entry of each kind (dist-electron/gpu-worker.js, plugin-host.js, lab-host.js). */
  readonly entries: Readonly<Record<UtilityKind, string>>;
  /** How ends are put together (tests pass their own timers and liveness check). */
  readonly exits?: UtilityExits;
}

export class ElectronUtilityLauncher implements UtilityProcessLauncher {
  private readonly exits: UtilityExits;

  constructor(private readonly options: ElectronUtilityLauncherOptions) {
    this.exits = options.exits ?? new UtilityExits();
    options.app.on('child-process-gone', (_event, details) => this.exits.gone(details));
  }

  launch(kind: UtilityKind): LaunchedChild {
    const serviceName = SERVICE_NAMES[kind];
    const exitListeners: Array<(exit: ChildExit) => void> = [];
    let exit: ChildExit | undefined;
    let child: UtilityProcess;
    try {
      child = this.options.utilityProcess.fork(this.options.entries[kind], [], { serviceName, stdio: 'inherit' });
    } catch {
      return failedChild(kind);
    }
    const tracked = this.exits.track(serviceName, (ended) => {
      exit = ended;
      for (const listener of exitListeners.splice(0)) listener(ended);
    });
    // Known from `spawn` on, and kept after `exit` (which clears child.pid): the peer of the
    // records this child's channel traced names it.
    const peer: { process: string; pid?: number } = { process: kind };
    let pid: number | undefined;
    let killWhenSpawned = false;
    child.once('spawn', () => {
      pid = child.pid;
      if (pid !== undefined) peer.pid = pid;
      tracked.spawned(pid);
      if (killWhenSpawned) sigkill();
    });
    child.once('exit', (code) => tracked.exited(code));
    const sigkill = () => {
      // SIGKILL, as the Chromium shell does; child.kill() would ask politely (SIGTERM).
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
          return;
        } catch {
          // gone already
        }
      }
      child.kill();
    };
    let killed = false;
    return {
      get pid() {
        return exit ? undefined : pid;
      },
      transport: utilityProcessTransport(child, peer),
      kill: () => {
        if (exit || killed) return;
        killed = true;
        // Before `spawn` there is no pid to signal: end it as soon as it has one.
        if (pid === undefined) killWhenSpawned = true;
        else sigkill();
      },
      onDidExit(listener) {
        if (exit) listener(exit);
        else exitListeners.push(listener);
      },
    };
  }
}

function failedChild(kind: UtilityKind): LaunchedChild {
  const exit: ChildExit = { reason: 'launch-failed' };
  return {
    pid: undefined,
    transport: { peer: { process: kind }, post: () => {}, on: () => {}, off: () => {} },
    kill: () => {},
    onDidExit: (listener) => listener(exit),
  };
}
