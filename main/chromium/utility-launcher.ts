/**
 * The Chromium shell's launcher for the GPU process, the plugin host and the lab host: `child_process.fork` with
 * an IPC channel (structured-clone serialization), the same entry files Electron starts with
 * utilityProcess.fork. Exits are reported in Electron's vocabulary.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { REPORT_VIEWER_PATH } from '../../protocol/experiments/report-page.ts';
import { childProcessTransport } from '../../protocol/transport/child-process.ts';
import type { LaunchedChild, UtilityKind, UtilityProcessLauncher } from '../core/ports.ts';
import type { ChildExit } from '../core/process-registry.ts';

/** Signals that mean the process crashed rather than was ended from outside. */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGSYS']);

/** How a Node child ended, in Electron's `child-process-gone` vocabulary. */
export function classifyExit(code: number | null, signal: NodeJS.Signals | null): ChildExit {
  if (signal) return { reason: CRASH_SIGNALS.has(signal) ? 'crashed' : 'killed', signal };
  if (code === 0) return { reason: 'clean-exit', code };
  return { reason: 'abnormal-exit', code: code ?? -1 };
}

export interface ChildProcessLauncherOptions {
  /** The entry file of each kind of child. */
  readonly entries: Readonly<Record<UtilityKind, string>>;
  /** Where the children's stdout/stderr go; 'inherit' by default. */
  readonly stdio?: 'inherit' | 'ignore';
  /** Environment added for a kind of child (the lab host's `labHostEnvironment`), over the browser's own. */
  readonly env?: Readonly<Partial<Record<UtilityKind, Readonly<Record<string, string>>>>>;
}

/**
 * The lab host's environment: where the IPC lab's native addon is (`LAB_IPC_NATIVE`) and the HTML
 * report's built viewer (`LAB_REPORT_VIEWER`, lab-host/ipc/report-file.ts). A bundled lab host is not
 * beside the sources, so it is told where `npm run lab:ipc:build` and `npm run build` (or a test run)
 * put them; without the addon the lab runs its labelled stand-ins. Kept as given when set already.
 */
export function labHostEnvironment(root: string): Record<string, string> {
  return {
    LAB_IPC_NATIVE: process.env.LAB_IPC_NATIVE ?? path.join(root, 'lab-host/ipc/native/build/ipc_native.node'),
    LAB_REPORT_VIEWER: process.env.LAB_REPORT_VIEWER ?? path.join(root, REPORT_VIEWER_PATH),
  };
}

/** Entries as built by `npm run build`. */
export function builtEntries(root: string): Record<UtilityKind, string> {
  return {
    gpu: path.join(root, 'dist-electron/gpu-worker.js'),
    'plugin-host': path.join(root, 'dist-electron/plugin-host.js'),
    'lab-host': path.join(root, 'dist-electron/lab-host.js'),
  };
}

export function childProcessLauncher(options: ChildProcessLauncherOptions): UtilityProcessLauncher {
  return {
    launch(kind: UtilityKind): LaunchedChild {
      const entry = options.entries[kind];
      const stdio = options.stdio ?? 'inherit';
      const env = options.env?.[kind];
      const child = fork(entry, [], {
        ...(env ? { env: { ...process.env, ...env } } : {}),
        serialization: 'advanced',
        execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
        stdio: [stdio, stdio, stdio, 'ipc'],
      });
      const exitListeners: Array<(exit: ChildExit) => void> = [];
      let exit: ChildExit | undefined;
      const report = (ended: ChildExit) => {
        if (exit) return;
        exit = ended;
        for (const listener of exitListeners) listener(ended);
      };
      child.once('exit', (code, signal) => report(classifyExit(code, signal)));
      // Spawning itself failed (no such binary, no resources): no 'exit' follows.
      child.once('error', (error) => {
        if (child.pid === undefined) report({ reason: 'launch-failed' });
        // A message posted as the child died (EPIPE): its exit is on the way and says it all.
        else if ((error as NodeJS.ErrnoException).code !== 'EPIPE')
          console.error(`[browser] ${kind} process error:`, error);
      });
      return {
        pid: child.pid,
        transport: childProcessTransport(child, {
          process: kind,
          ...(child.pid === undefined ? {} : { pid: child.pid }),
        }),
        kill: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        },
        onDidExit(listener) {
          if (exit) listener(exit);
          else exitListeners.push(listener);
        },
      };
    },
  };
}
