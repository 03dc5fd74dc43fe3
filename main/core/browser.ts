/**
 * The browser process's core, composed: the process registry and its event history, the supervised
 * GPU process, plugin host and lab host (started when a lab page first asks), and the tabs. Both shells build one of these with their own ports;
 * nothing here knows which shell runs it.
 */
import type { ProcessModel, SandboxState } from '../../protocol/interfaces/browser-state.ts';
import {
  BrowserUiErrorCode,
  STATE_EVENTS,
  type BrowserState,
  type PaintedOverlay,
} from '../../protocol/interfaces/ui-browser.ts';
import { CodedError } from '../../protocol/rpc/errors.ts';
import type { MessageBudget } from '../../protocol/rpc/endpoint.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
import type { Clock } from './clock.ts';
import { Emitter } from './emitter.ts';
import { EventLog } from './event-log.ts';
import { GpuProcessHost } from './gpu-process-host.ts';
import { LabProcessHost } from './lab-host-host.ts';
import { PluginProcessHost } from './plugin-process-host.ts';
import { RendererMemoryCap, type MemoryReader } from './memory-cap.ts';
import { MetricsSampler, type ProcessMetricsRow } from './metrics-sampler.ts';
import type { ChannelBroker, ProcessMetricsSource, UtilityProcessLauncher } from './ports.ts';
import { ProcessRegistry } from './process-registry.ts';
import type { TabHost } from './tab-host.ts';
import type { SpareRefill } from './spare-renderer.ts';
import { TabManager } from './tabs.ts';
import { TraceBuffer } from './trace-buffer.ts';
import type { SessionAtStart } from './session/session-at-start.ts';
import { SessionKeeper } from './session/session-keeper.ts';
import type { SessionStore } from './session/session-store.ts';
import { resolveUrl } from './urls.ts';

export interface BrowserOptions {
  readonly launcher: UtilityProcessLauncher;
  readonly tabHost: TabHost;
  /** How tabs' direct channels to the GPU process and plugin host are brokered (default: loopback WebSocket grants). */
  readonly broker?: ChannelBroker;
  readonly clock: Clock;
  /** The browser process's own pid, for the registry (the core reads no globals). */
  readonly pid: number;
  readonly processModel?: ProcessModel;
  /**
   * Whether the shell started the tab renderers in the OS sandbox, and if not why (the shells decide
   * with main/node/sandbox.ts); the status bar shows it.
   */
  readonly sandbox: SandboxState;
  readonly hangThresholdMs?: number;
  readonly gpuCrashWindowMs?: number;
  readonly gpuHangTimeoutMs?: number;
  /** Keep a hot-standby GPU process behind the active one (the shells: on unless `--lab-gpu-standby=off`). */
  readonly gpuStandby?: boolean;
  /** Silence after which the lab host counts as hung and is ended (lab-host-host.ts's default otherwise). */
  readonly labHangThresholdMs?: number;
  /** CPU and memory of processes, for the task manager; without it the task manager shows IPC rates only. */
  readonly metrics?: ProcessMetricsSource;
  /** Keep a spare renderer for the next tab (where the shell can); the shells read `--lab-spare-renderer`. */
  readonly spareRenderer?: boolean;
  /** When the next spare starts after a tab took one (tabs.ts); the benchmark compares the two. */
  readonly spareRefill?: SpareRefill;
  /** What each tab's page may send (tabs.ts; TAB_MESSAGE_BUDGET by default). */
  readonly tabMessageBudget?: MessageBudget;
  /**
   * The renderer memory cap (memory-cap.ts): each renderer's memory as the shell measures it; over
   * `capBytes`, the renderer is ended with reason oom. None: no cap.
   */
  readonly rendererMemory?: { readonly reader: MemoryReader; readonly capBytes: number; readonly intervalMs?: number };
  /** Keep the session and restore it (session/session-keeper.ts); without it nothing is saved. */
  readonly session?: {
    readonly store: SessionStore;
    readonly atStart: SessionAtStart;
    readonly report: (line: string) => void;
    readonly saveDelayMs?: number;
  };
}

export const BROWSER_PROCESS_ID = 'browser';

/** The UI's report of a painted overlay; `at` is when the browser received it, on its clock. */
export interface UiPainted {
  readonly tabId: string;
  readonly what: Static<typeof PaintedOverlay>;
  readonly at: number;
}

export class Browser {
  readonly log = new EventLog();
  readonly registry = new ProcessRegistry(this.log);
  readonly gpu: GpuProcessHost;
  readonly plugins: PluginProcessHost;
  readonly labs: LabProcessHost;
  readonly tabs: TabManager;
  readonly metrics: MetricsSampler;
  /** The renderer memory cap, when the shell gave one. */
  readonly memoryCap: RendererMemoryCap | undefined;
  /** The IPC inspector's feed: the browser process's recent messages, traced while someone reads. */
  readonly trace: TraceBuffer;
  private readonly sandbox: SandboxState;
  readonly clock: Clock;
  /** The saved session's keeper, where the shell keeps one. */
  readonly session: SessionKeeper | undefined;
  private readonly paintedEmitter = new Emitter<UiPainted>();
  /** The UI painted a sad tab or the unresponsive dialog (stamped on arrival, on the core's clock). */
  readonly onDidPaintUi = this.paintedEmitter.event;

  constructor(options: BrowserOptions) {
    this.sandbox = options.sandbox;
    const { launcher, clock } = options;
    this.clock = clock;
    const shared = {
      launcher,
      registry: this.registry,
      log: this.log,
      clock,
      ...(options.broker === undefined ? {} : { broker: options.broker }),
    };
    this.gpu = new GpuProcessHost({
      ...shared,
      ...(options.gpuCrashWindowMs === undefined ? {} : { crashWindowMs: options.gpuCrashWindowMs }),
      ...(options.gpuHangTimeoutMs === undefined ? {} : { hangTimeoutMs: options.gpuHangTimeoutMs }),
      standby: options.gpuStandby ?? false,
    });
    this.plugins = new PluginProcessHost(shared);
    this.labs = new LabProcessHost({
      ...shared,
      ...(options.labHangThresholdMs === undefined ? {} : { hangThresholdMs: options.labHangThresholdMs }),
    });
    this.tabs = new TabManager({
      host: options.tabHost,
      registry: this.registry,
      log: this.log,
      clock,
      gpu: this.gpu,
      plugins: this.plugins,
      labs: this.labs,
      ...(options.processModel === undefined ? {} : { processModel: options.processModel }),
      ...(options.hangThresholdMs === undefined ? {} : { hangThresholdMs: options.hangThresholdMs }),
      ...(options.spareRenderer === undefined ? {} : { spareRenderer: options.spareRenderer }),
      ...(options.spareRefill === undefined ? {} : { spareRefill: options.spareRefill }),
      ...(options.tabMessageBudget === undefined ? {} : { messageBudget: options.tabMessageBudget }),
    });
    this.metrics = new MetricsSampler({
      registry: this.registry,
      clock,
      browserId: BROWSER_PROCESS_ID,
      rendererOfTab: (tabId) => this.tabs.get(tabId)?.rendererId,
      directChannels: [
        { interface: 'TabGpu', read: (timeoutMs) => this.gpu.channelTraffic(timeoutMs) },
        { interface: 'TabPlugin', read: (timeoutMs) => this.plugins.channelTraffic(timeoutMs) },
        { interface: 'TabLab', read: (timeoutMs) => this.labs.channelTraffic(timeoutMs) },
      ],
      ...(options.metrics === undefined ? {} : { source: options.metrics }),
    });
    const memory = options.rendererMemory;
    this.memoryCap =
      memory &&
      new RendererMemoryCap({
        ...memory,
        clock,
        renderers: () => this.registry.list().filter((process) => process.kind === 'renderer'),
        onOverCap: (reading) => this.tabs.endOverMemory(reading.rendererId, reading.pid),
      });
    this.trace = new TraceBuffer({ clock });
    const session = options.session;
    this.session = session ? new SessionKeeper({ ...session, tabs: this.tabs, log: this.log, clock }) : undefined;
    this.registry.launched(BROWSER_PROCESS_ID, 'browser', 'Browser', options.pid);
    this.registry.setState(BROWSER_PROCESS_ID, 'running');
  }

  /** Starts the GPU process and the plugin host; the lab host starts when a lab page first asks for it. */
  async start(): Promise<void> {
    // A plugin host that fails to start is recorded (launch-failed) and shown, and the user can
    // restart it; the browser starts without it.
    await Promise.all([this.gpu.start(), this.plugins.start().catch(() => {})]);
    this.tabs.warmSpare();
    this.memoryCap?.start();
  }

  /**
   * What the omnibox does with typed text in a tab: Chrome's debug URLs act on the tab or the GPU
   * process (and chrome://labhang on the lab host); anything else navigates.
   */
  async omnibox(tabId: string, text: string): Promise<void> {
    const resolved = resolveUrl(text, { typed: true });
    if (resolved.kind === 'page') return this.tabs.navigate(tabId, resolved.url);
    switch (resolved.action) {
      case 'crash':
        return this.tabs.crash(tabId);
      case 'kill':
        return this.tabs.kill(tabId);
      case 'hang':
        return this.tabs.hang(tabId);
      case 'gpucrash':
        return this.gpu.crash();
      case 'gpuhang':
        return this.gpu.hang();
      case 'labhang':
        return this.labs.hang(); // forever: the lab host's watchdog ends it and it is started again
    }
  }

  /** The task manager's figures; sampling runs while it is asked for (metrics-sampler.ts). */
  getMetrics(): Promise<ProcessMetricsRow[]> {
    return this.metrics.watch();
  }

  /**
   * The task manager's "End process": a renderer is killed (every tab in it gets a sad tab), the GPU
   * process, the plugin host and the lab host are killed and handled like any crash of theirs. The browser process
   * cannot end itself from its own UI.
   */
  endProcess(processId: string): void {
    const info = this.registry.get(processId);
    if (!info || info.state === 'crashed' || info.state === 'killed' || info.state === 'exited') {
      throw new CodedError(BrowserUiErrorCode.NO_SUCH_PROCESS, `No running process ${processId}`);
    }
    switch (info.kind) {
      case 'browser':
        throw new CodedError(
          BrowserUiErrorCode.CANNOT_END_BROWSER,
          'The browser process cannot be ended from the task manager',
        );
      case 'gpu':
        return this.gpu.kill(processId); // the active GPU process or its standby
      case 'plugin-host':
        return this.plugins.kill();
      case 'lab-host':
        return this.labs.kill(); // restarted like any crash of it
      case 'renderer': {
        // The spare: ended and replaced by another, as a spare that died would be.
        if (this.tabs.spare.owns(processId)) return this.tabs.spare.discard(true);
        const tab = this.tabs.list().find((candidate) => candidate.rendererId === processId);
        if (!tab) throw new CodedError(BrowserUiErrorCode.NO_SUCH_PROCESS, `No tab runs in ${processId}`);
        return this.tabs.kill(tab.id);
      }
    }
  }

  /** The UI page says it painted `what` over `tabId` (BrowserUi.painted). */
  notePainted(tabId: string, what: UiPainted['what']): void {
    this.paintedEmitter.fire({ tabId, what, at: this.clock.now() });
  }

  /** Everything the browser UI shows. */
  state(): Static<typeof BrowserState> {
    const selectedTabId = this.tabs.selectedTabId;
    return {
      tabs: this.tabs.list(),
      ...(selectedTabId === undefined ? {} : { selectedTabId }),
      processes: this.registry.list(),
      gpuMode: this.gpu.mode,
      processModel: this.tabs.processModel,
      sandbox: this.sandbox,
      pluginHost: { running: this.plugins.running, recentCrashes: this.plugins.recentCrashes },
      badMessages: this.log.count('bad-message'),
      channels: this.tabs.directChannels(),
      events: this.log.history().slice(-STATE_EVENTS),
      ...(this.session?.currentNotice ? { session: this.session.currentNotice } : {}),
    };
  }

  dispose(): void {
    this.memoryCap?.dispose();
    this.session?.dispose();
    this.metrics.stop();
    this.trace.stop();
    this.tabs.dispose();
    this.gpu.dispose();
    this.plugins.dispose();
    this.labs.dispose();
  }
}
