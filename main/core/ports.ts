/**
 * The ports a shell implements for the core: how to start a utility-style child process, how to
 * broker a tab's direct channel to one, and (in tab-host.ts) how to host a tab. The Electron shell
 * implements them with utilityProcess, MessageChannelMain and WebContentsView; the Chromium shell
 * with child_process.fork, loopback WebSockets and real Chromium renderer processes.
 */
import type { DirectChannelEndpoint } from '../../protocol/interfaces/browser-tab.ts';
import type { ProcessSandbox } from '../../protocol/interfaces/ui-browser.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import type { ChildExit } from './process-registry.ts';

export type UtilityKind = 'gpu' | 'plugin-host' | 'lab-host';

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
  /** Starts a GPU process, plugin host or lab host. A launch failure is reported as an exit with 'launch-failed'. */
  launch(kind: UtilityKind): LaunchedChild;
}

/** What a tab is told to connect with: a loopback WebSocket URL, or the id of a port delivered to it. */
export type ChannelEndpoint = Static<typeof DirectChannelEndpoint>;

/** A running utility child a tab's channel goes to, as the core hands it to the broker. */
export interface BrokerTarget {
  readonly kind: UtilityKind;
  /** The child as the shell's launcher made it: its transport carries transfers where the runtime can. */
  readonly child: LaunchedChild;
  /** Asks the child for a one-time loopback WebSocket URL for `clientId` (its `establishChannel`). */
  grantWebSocket(clientId: string): Promise<string>;
}

/**
 * Brokers a tab's direct channel to a utility child (Chrome's EstablishGpuChannel). Called for every
 * request the tab makes (first load, a new document, after the child restarted), each time for a new
 * channel; the child serves one channel per tab, a new one replacing the old.
 */
export interface ChannelBroker {
  /** Opens a channel between the tab `tabId` (the child knows it as its client id) and `target`. */
  establish(target: BrokerTarget, tabId: string): Promise<ChannelEndpoint>;
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
  /** Its sandbox as the OS reports it (Linux: /proc); absent where the shell cannot measure it. */
  readonly sandbox?: Static<typeof ProcessSandbox>;
}

/** Samples processes' CPU, memory and sandbox: /proc in the Chromium shell, app.getAppMetrics() in Electron. */
export interface ProcessMetricsSource {
  /** Metrics of each pid still alive; CPU is relative to the previous call that included it. */
  sample(pids: readonly number[]): Promise<Map<number, ProcessMetrics>>;
}
