/**
 * The ports a shell implements for the core: how to start a utility-style child process, and (in
 * tab-host.ts) how to host a tab. The Electron shell implements them with utilityProcess and
 * WebContentsView; the Chromium shell with child_process.fork and real Chromium renderer processes.
 */
import type { Transport } from '../../protocol/transport/transport.ts';
import type { ChildExit } from './process-registry.ts';

export type UtilityKind = 'gpu' | 'plugin-host';

/** A child started by a launcher, with its message channel to the browser process. */
export interface LaunchedChild {
  /** OS pid, when the platform knows it at once. */
  readonly pid: number | undefined;
  readonly transport: Transport;
  /** Ends it now (SIGKILL or the platform's equivalent). */
  kill(): void;
  /** Called once when it has ended, however it ended; the reason uses Electron's vocabulary. */
  onDidExit(listener: (exit: ChildExit) => void): void;
}

export interface UtilityProcessLauncher {
  /** Starts a GPU process or plugin host. A launch failure is reported as an exit with 'launch-failed'. */
  launch(kind: UtilityKind): LaunchedChild;
}

/** One process's resource use, as the task manager shows it. */
export interface ProcessMetrics {
  /** CPU use since the previous sample, in percent of one core (Chrome's task manager's unit). */
  readonly cpuPercent: number;
  /**
   * Memory in bytes: on Linux the proportional set size (PSS), which counts shared pages (the
   * browser binary every renderer maps) once across processes instead of once per process.
   */
  readonly memoryBytes: number;
}

/** Samples processes' CPU and memory: /proc in the Chromium shell, app.getAppMetrics() in Electron. */
export interface ProcessMetricsSource {
  /** Metrics of each pid still alive; CPU is relative to the previous call that included it. */
  sample(pids: readonly number[]): Promise<Map<number, ProcessMetrics>>;
}
