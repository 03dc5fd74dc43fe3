/**
 * The GPU process and the plugin host as Electron utility processes (`utilityProcess.fork`, each
 * with a serviceName, so `app.getAppMetrics()` and `child-process-gone` name them). How one ended
 * comes from `app`'s `child-process-gone` details (reason, exitCode) when Electron reports it, else
 * from the child's 'exit' code. Type-only Electron imports: main.ts passes `app` and `utilityProcess`.
 */
import type { App, Details, UtilityProcess } from 'electron';
import { utilityProcessTransport } from '../../protocol/transport/electron.ts';
import type { LaunchedChild, UtilityKind, UtilityProcessLauncher } from '../core/ports.ts';
import type { ChildExit } from '../core/process-registry.ts';
import type { ExitReason } from '../../protocol/interfaces/browser-state.ts';

export const SERVICE_NAMES: Readonly<Record<UtilityKind, string>> = { gpu: 'Lab GPU process', 'plugin-host': 'Lab plugin host' };

/** Electron's `reason` (child-process-gone, render-process-gone) in the core's vocabulary. */
export function exitReasonOf(reason: Details['reason']): ExitReason {
  switch (reason) {
    case 'clean-exit':
    case 'abnormal-exit':
    case 'killed':
    case 'crashed':
    case 'oom':
    case 'launch-failed':
      return reason;
    case 'memory-eviction':
      return 'oom';
    case 'integrity-failure':
      return 'crashed';
    default:
      return 'abnormal-exit';
  }
}

/** How a child ended: Electron's details when it gave them, else the 'exit' code alone. */
export function childExit(code: number, details: Pick<Details, 'reason' | 'exitCode'> | undefined): ChildExit {
  if (details) return { reason: exitReasonOf(details.reason), code: details.exitCode };
  return code === 0 ? { reason: 'clean-exit', code } : { reason: 'abnormal-exit', code };
}

export interface ElectronUtilityLauncherOptions {
  readonly app: Pick<App, 'on' | 'off'>;
  readonly utilityProcess: { fork: (typeof import('electron'))['utilityProcess']['fork'] };
  /** The built entry of each kind (dist-electron/gpu-worker.js, dist-electron/plugin-host.js). */
  readonly entries: Readonly<Record<UtilityKind, string>>;
}

export class ElectronUtilityLauncher implements UtilityProcessLauncher {
  /** child-process-gone carries no pid: its details go to the live child of that service name. */
  private readonly byService = new Map<string, (details: Details) => void>();

  constructor(private readonly options: ElectronUtilityLauncherOptions) {
    options.app.on('child-process-gone', (_event, details) => {
      if (details.type === 'Utility') this.byService.get(details.serviceName ?? '')?.(details);
    });
  }

  launch(kind: UtilityKind): LaunchedChild {
    const serviceName = SERVICE_NAMES[kind];
    const exitListeners: Array<(exit: ChildExit) => void> = [];
    let exit: ChildExit | undefined;
    let details: Details | undefined;
    const report = (ended: ChildExit) => {
      if (exit) return;
      exit = ended;
      this.byService.delete(serviceName);
      for (const listener of exitListeners) listener(ended);
    };
    let child: UtilityProcess;
    try {
      child = this.options.utilityProcess.fork(this.options.entries[kind], [], { serviceName, stdio: 'inherit' });
    } catch {
      return failedChild(kind);
    }
    this.byService.set(serviceName, (gone) => {
      details = gone;
      // A launch failure has no 'exit' to follow it.
      if (gone.reason === 'launch-failed') report({ reason: 'launch-failed' });
    });
    // 'exit' comes after child-process-gone for a crash; Electron gives the code only here.
    child.once('exit', (code) => report(childExit(code, details)));
    let killed = false;
    return {
      pid: child.pid,
      transport: utilityProcessTransport(child, { process: kind, ...(child.pid === undefined ? {} : { pid: child.pid }) }),
      kill: () => {
        if (exit || killed) return;
        killed = true;
        const pid = child.pid;
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
