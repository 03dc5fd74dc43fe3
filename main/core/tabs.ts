/**
 * Tabs, and the renderer processes they run in. The core decides which tabs share a process (a
 * process per tab by default; Chrome's process-per-site as an option), keeps each tab's state
 * (loading, live, unresponsive, crashed with a reason and a code: sad-tab.ts), watches for hangs
 * (tab-hang-watch.ts), serves each page's requests (its GPU and plugin channels, noted in
 * direct-channels.ts), keeps each tab's history (tab-history.ts), ends a renderer that sends a
 * bad message, and hands a tab needing a new process the spare renderer (spare-renderer.ts). The
 * shell behind the TabHost port does the hosting.
 * Over 400 lines because one tab's life (open, commit, exit, reload, close) is one state machine whose
 * transitions read best together; what stands on its own (hang watch, history, sad tab, channels) is split out.
 */
import {
  TAB_MESSAGE_BUDGET,
  TabHostErrorCode,
  TabHostService,
  TabPage,
} from '../../protocol/interfaces/browser-tab.ts';
import type { DirectChannel, ExitReason, ProcessModel, TabInfo } from '../../protocol/interfaces/browser-state.ts';
import { BrowserUiErrorCode } from '../../protocol/interfaces/ui-browser.ts';
import type { BadMessageReason } from '../../protocol/rpc/bad-message.ts';
import { connect, type BadMessageReport, type Connection, type MessageBudget } from '../../protocol/rpc/endpoint.ts';
import { CodedError } from '../../protocol/rpc/errors.ts';
import type { Clock } from './clock.ts';
import { DirectChannels } from './direct-channels.ts';
import { DisposableStore } from './disposable.ts';
import { Emitter } from './emitter.ts';
import type { EventLog } from './event-log.ts';
import type { GpuProcessHost } from './gpu-process-host.ts';
import { LAB_PAGE_SITES, type LabProcessHost } from './lab-host-host.ts';
import type { PluginProcessHost } from './plugin-process-host.ts';
import type { ProcessRegistry } from './process-registry.ts';
import type { LoadFailure, RendererGone, SiteInstance, TabCommit, TabHost } from './tab-host.ts';
import { sadTabReport } from './sad-tab.ts';
import { SpareRenderer, type SpareRefill } from './spare-renderer.ts';
import { TabHangWatch } from './tab-hang-watch.ts';
import { TabHistory } from './tab-history.ts';
import { resolveUrl } from './urls.ts';
import type { SavedHistory } from '../../protocol/session/session-state.ts';
import { DEFAULT_HANG_THRESHOLD_MS } from './watchdog.ts';

/** What tabs need of the GPU process host: when to tell pages to ask again, and a channel per tab. */
export type TabsGpuHost = Pick<
  GpuProcessHost,
  'onDidBecomeReady' | 'onDidChangeMode' | 'establishChannel' | 'closeChannel'
>;
/** What tabs need of the plugin host's host: when to tell pages it went or came back, and a channel per tab. */
export type TabsPluginHost = Pick<
  PluginProcessHost,
  'onDidCrash' | 'onDidBecomeReady' | 'establishChannel' | 'closeChannel'
>;

/** What tabs need of the lab host's host: when to tell lab pages it went or came back, and a channel per tab. */
export type TabsLabHost = Pick<LabProcessHost, 'onDidCrash' | 'onDidBecomeReady' | 'establishChannel' | 'closeChannel'>;

export interface TabManagerOptions {
  readonly host: TabHost;
  readonly registry: ProcessRegistry;
  readonly log: EventLog;
  readonly clock: Clock;
  readonly gpu: TabsGpuHost;
  readonly plugins: TabsPluginHost;
  /** The lab host, for lab pages; without one, every lab channel is refused. */
  readonly labs?: TabsLabHost;
  /** The sites whose pages may have a lab channel (LAB_PAGE_SITES; a test may name a page it has). */
  readonly labSites?: readonly string[];
  readonly processModel?: ProcessModel;
  /** Heartbeat silence after which a tab is unresponsive (Chrome: 15 s; here 1 s by default). */
  readonly hangThresholdMs?: number;
  /** Wall-clock time for crash records. */
  readonly now?: () => number;
  /**
   * Keep a spare renderer for the next tab needing a new process (where the shell can): the shells
   * turn it on unless `--lab-spare-renderer=off` (spare-renderer-switch.ts). Off by default here.
   */
  readonly spareRenderer?: boolean;
  /** When the next spare starts after a tab took one (default: once that tab is live). */
  readonly spareRefill?: SpareRefill;
  /** What each tab's page may send (default TAB_MESSAGE_BUDGET; the fuzzing test lets its batches through). */
  readonly messageBudget?: MessageBudget;
}

/** A page's heartbeat as the core received it (`at` on the core's clock). */
export interface TabHeartbeat {
  readonly tabId: string;
  readonly seq: number;
  readonly at: number;
}

/** A tab's renderer ended, as the core recorded it: `at` when it did, `observedAt` when the shell saw it. */
export interface TabRendererGone {
  readonly tabId: string;
  readonly rendererId: string;
  readonly pid: number | undefined;
  readonly reason: ExitReason;
  /** The sad tab's code (RESULT_CODE_CRASHED, SIGKILL, ...). */
  readonly code: string;
  readonly observedAt: number | undefined;
  readonly at: number;
}
/** How long a committed page that sends no heartbeat (a web page) counts as still loading, for the spare's refill. */
const NO_HEARTBEAT_GRACE_MS = 1500;

interface Tab {
  info: TabInfo;
  site: SiteInstance;
  connection: Connection<typeof TabHostService, typeof TabPage> | undefined;
  /** What the browser listens to on the current page's connection, ended with it. */
  readonly page: DisposableStore;
  lastCrashAt: number | undefined;
  history: TabHistory;
  /** A load started and its page has not sent its first heartbeat yet: the spare waits for it. */
  awaitingFirstBeat: boolean;
}

export class TabManager {
  readonly processModel: ProcessModel;
  private readonly labSites: readonly string[];
  private readonly tabs = new Map<string, Tab>();
  private readonly hangWatch: TabHangWatch;
  private nextTabNumber = 1;
  private selected: string | undefined;
  /** Why a renderer is being ended by the browser itself, to report instead of what the shell sees. */
  private readonly endingRenderers = new Map<string, { reason: ExitReason; hung: boolean }>();
  private readonly now: () => number;
  private readonly channels: DirectChannels;
  private readonly subscriptions = new DisposableStore();
  private readonly heartbeatEmitter = new Emitter<TabHeartbeat>();
  private readonly goneEmitter = new Emitter<TabRendererGone>();
  /** Every page's heartbeat, for experiments (tabs ticking, the blast radius, the first live tick). */
  readonly onDidHeartbeat = this.heartbeatEmitter.event;
  /** A tab's renderer ended (each tab of a shared renderer gets one). */
  readonly onDidRendererGone = this.goneEmitter.event;
  /** The spare renderer (spare-renderer.ts); inert unless `spareRenderer` and the shell supports it. */
  readonly spare: SpareRenderer;
  private readonly spareEnabled: boolean;
  private readonly firstHeartbeat = new Emitter<string>();
  /** A tab's page sent its first heartbeat (its id): the "first live tick" the benchmarks measure to. */
  readonly onDidFirstHeartbeat = this.firstHeartbeat.event;

  constructor(private readonly options: TabManagerOptions) {
    this.processModel = options.processModel ?? 'process-per-tab';
    this.labSites = options.labSites ?? LAB_PAGE_SITES;
    this.now = options.now ?? (() => Date.now());
    this.hangWatch = new TabHangWatch(
      options.clock,
      options.hangThresholdMs ?? DEFAULT_HANG_THRESHOLD_MS,
      (tabId, responsive) => this.setResponsive(tabId, responsive),
    );
    this.channels = new DirectChannels(options.registry, options.log);
    this.spare = new SpareRenderer({
      host: options.host,
      registry: options.registry,
      log: options.log,
      clock: options.clock,
      ...(options.spareRefill === undefined ? {} : { refill: options.spareRefill }),
    });
    this.spareEnabled = options.spareRenderer ?? false;
    const { subscriptions } = this;
    // The shell's port: one TabManager per TabHost for the browser's life, nothing to detach.
    options.host.attach({
      onDidCommit: (tabId, commit) => this.onCommit(tabId, commit),
      onDidRendererGone: (tabId, gone) => this.onRendererGone(tabId, gone),
      onDidBecomeUnresponsive: (tabId) => this.onShellResponsiveness(tabId, false),
      onDidBecomeResponsive: (tabId) => this.onShellResponsiveness(tabId, true),
      onDidFailLoad: (tabId, failure) => this.onLoadFailed(tabId, failure),
      onDidSpareGone: (spareId, gone) => this.spare.onGone(spareId, gone),
    });
    subscriptions.add(
      options.gpu.onDidBecomeReady(() => this.broadcast((page) => page.emit('gpuChanged', { mode: 'hardware' }))),
    );
    subscriptions.add(
      options.gpu.onDidChangeMode((mode) => this.broadcast((page) => page.emit('gpuChanged', { mode }))),
    );
    subscriptions.add(
      options.plugins.onDidCrash(() => this.broadcast((page) => page.emit('pluginHostChanged', { running: false }))),
    );
    subscriptions.add(
      options.plugins.onDidBecomeReady(() =>
        this.broadcast((page) => page.emit('pluginHostChanged', { running: true })),
      ),
    );
    const labs = options.labs;
    if (labs) {
      subscriptions.add(
        labs.onDidCrash(() =>
          this.broadcast(
            (page) => page.emit('labHostChanged', { running: false }),
            (tab) => this.isLabTab(tab),
          ),
        ),
      );
      subscriptions.add(
        labs.onDidBecomeReady(() =>
          this.broadcast(
            (page) => page.emit('labHostChanged', { running: true }),
            (tab) => this.isLabTab(tab),
          ),
        ),
      );
    }
  }

  list(): TabInfo[] {
    return [...this.tabs.values()].map((tab) => tab.info);
  }

  get(tabId: string): TabInfo | undefined {
    return this.tabs.get(tabId)?.info;
  }

  get selectedTabId(): string | undefined {
    return this.selected;
  }

  /** The direct channels brokered for the tabs' pages whose GPU process or plugin host is still the one granted. */
  directChannels(): DirectChannel[] {
    return this.channels.list();
  }

  select(tabId: string): void {
    this.require(tabId);
    if (this.selected === tabId) return;
    this.selected = tabId;
    this.options.log.record({ type: 'tab-selected', tabId });
  }

  /**
   * Opens a tab (and selects it). `url` as a page would ask: built-in pages and http(s) only. A tab
   * restored from a saved session (session/session-keeper.ts) brings its history and opens at its
   * current entry, Back and Forward as they were.
   */
  async open(url: string, restored?: { readonly history: SavedHistory }): Promise<TabInfo> {
    const history = restored ? TabHistory.restore(restored.history) : undefined;
    const resolved = resolveUrl(history?.current ?? url, { typed: false });
    if (resolved.kind !== 'page') throw new Error('unreachable: debug URLs are refused untyped');
    const id = `tab-${this.nextTabNumber++}`;
    const site = this.siteInstance(id, resolved.site);
    const tab: Tab = {
      info: { id, url: resolved.url, title: resolved.title, rendererId: rendererIdOf(site), state: 'loading' },
      site,
      connection: undefined,
      page: new DisposableStore(),
      lastCrashAt: undefined,
      history: history ?? new TabHistory(resolved.url),
      awaitingFirstBeat: true,
    };
    this.tabs.set(id, tab);
    this.changed(tab);
    this.select(id);
    const spare = this.takeSpare(tab);
    await this.options.host.create(id, resolved.url, site, spare);
    if (spare) this.refillAtOnce();
    return tab.info;
  }

  /** The tab's history as a session saves it. */
  historyOf(tabId: string): SavedHistory {
    return this.require(tabId).history.snapshot();
  }

  async navigate(tabId: string, url: string): Promise<void> {
    const tab = this.require(tabId);
    const resolved = resolveUrl(url, { typed: false });
    if (resolved.kind !== 'page') throw new Error('unreachable: debug URLs are refused untyped');
    tab.history.push(resolved.url);
    await this.load(tab, resolved.url);
  }

  /** Back: the previous entry of the tab's history, if any. */
  async goBack(tabId: string): Promise<void> {
    const tab = this.require(tabId);
    const url = tab.history.back();
    if (url !== undefined) await this.load(tab, url);
  }

  /** Forward: the next entry of the tab's history, if any. */
  async goForward(tabId: string): Promise<void> {
    const tab = this.require(tabId);
    const url = tab.history.forward();
    if (url !== undefined) await this.load(tab, url);
  }

  private async load(tab: Tab, url: string): Promise<void> {
    const tabId = tab.info.id;
    const resolved = resolveUrl(url, { typed: false });
    if (resolved.kind !== 'page') throw new Error('unreachable: debug URLs are refused untyped');
    this.leaveRenderer(tab);
    tab.site = this.siteInstance(tabId, resolved.site);
    tab.awaitingFirstBeat = true;
    this.update(tab, {
      url: resolved.url,
      title: resolved.title,
      rendererId: rendererIdOf(tab.site),
      state: 'loading',
    });
    await this.options.host.navigate(tabId, resolved.url, tab.site);
  }

  /** Reloads a tab; a crashed one gets a new renderer process. */
  async reload(tabId: string): Promise<void> {
    const tab = this.require(tabId);
    // A crashed tab needs a new process: the spare's, unless its site has one again (per site).
    const spare = tab.info.state === 'crashed' ? this.takeSpare(tab) : undefined;
    this.leaveRenderer(tab);
    tab.awaitingFirstBeat = true;
    this.update(tab, { state: 'loading' });
    await this.options.host.reload(tabId, spare);
    if (spare) this.refillAtOnce();
  }

  /**
   * Starts the spare renderer if it is on and none is ready or starting, unless a tab is loading
   * (it would compete for the CPU): then once that tab is live. The browser calls it once started.
   */
  warmSpare(): void {
    if (!this.spareEnabled) return;
    if (this.spare.refill === 'after-live' && [...this.tabs.values()].some((tab) => tab.awaitingFirstBeat)) return;
    this.spare.ensure();
  }

  async close(tabId: string): Promise<void> {
    const tab = this.require(tabId);
    const order = [...this.tabs.keys()];
    this.tabs.delete(tabId);
    this.leaveRenderer(tab);
    tab.awaitingFirstBeat = false;
    if (this.selected === tabId) {
      // Like Chrome: the tab to the right, else the one to the left.
      const index = order.indexOf(tabId);
      const next = order[index + 1] ?? order[index - 1];
      this.selected = undefined;
      if (next !== undefined) this.select(next);
    }
    await this.options.host.close(tabId);
    this.options.gpu.closeChannel(tabId);
    this.options.plugins.closeChannel(tabId);
    this.options.labs?.closeChannel(tabId);
    // Its process is gone once no other tab uses it.
    if (!this.tabsIn(tab.info.rendererId).length) this.options.registry.remove(tab.info.rendererId);
    this.options.log.record({ type: 'tab-closed', tabId });
  }

  /** "Crash this tab" and chrome://crash. */
  crash(tabId: string): void {
    this.require(tabId);
    this.options.host.crash(tabId);
  }

  /** "Kill process" and chrome://kill: ends the tab's renderer process from outside. */
  kill(tabId: string): void {
    this.require(tabId);
    this.options.host.kill(tabId);
  }

  /**
   * The renderer memory cap (memory-cap.ts): a renderer over it is ended from outside, and its tabs
   * report reason oom, as Electron names a renderer that ran out of memory. `pid`: the process
   * measured, so a renderer replaced meanwhile is left alone.
   */
  endOverMemory(rendererId: string, pid: number): void {
    const tab = this.tabsIn(rendererId).find((other) => other.info.pid === pid && other.info.state !== 'crashed');
    if (!tab || this.endingRenderers.has(rendererId)) return;
    this.endingRenderers.set(rendererId, { reason: 'oom', hung: false });
    this.options.host.kill(tab.info.id);
  }

  /** "Hang this tab" and chrome://hang. */
  hang(tabId: string): void {
    this.require(tabId);
    this.options.host.hang(tabId);
  }

  /** The unresponsive dialog's Wait: ask again after another threshold. */
  wait(tabId: string): void {
    const tab = this.require(tabId);
    this.hangWatch.wait(tabId);
    if (tab.info.state === 'unresponsive') this.setResponsive(tabId, true);
  }

  /** The unresponsive dialog's Stop: stop the script and keep the page, or end the process. */
  async stop(tabId: string): Promise<void> {
    const tab = this.require(tabId);
    if (await this.options.host.stopScript(tabId)) {
      this.hangWatch.wait(tabId);
      if (tab.info.state === 'unresponsive') this.setResponsive(tabId, true);
      return;
    }
    this.endingRenderers.set(tab.info.rendererId, { reason: 'killed', hung: true });
    this.options.host.kill(tabId);
  }

  // ---- reports from the shell ----------------------------------------------------------------

  private onCommit(tabId: string, commit: TabCommit): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    const { registry } = this.options;
    const rendererId = rendererIdOf(tab.site);
    const known = registry.get(rendererId);
    if (!known || known.pid !== commit.pid || !['starting', 'running', 'unresponsive'].includes(known.state)) {
      registry.launched(rendererId, 'renderer', this.rendererLabel(rendererId, tab.info.title), commit.pid);
    }
    registry.setState(rendererId, 'running');
    const { crash: _previousCrash, ...info } = tab.info;
    tab.info = { ...info, url: commit.url, rendererId, pid: commit.pid, state: 'live' };
    this.changed(tab);
    this.connectPage(tab);
    // A page that never beats (a web page) stops holding the spare back after a while.
    const page = tab.connection;
    this.options.clock.setTimeout(() => {
      if (tab.connection === page && tab.awaitingFirstBeat) this.loaded(tab);
    }, NO_HEARTBEAT_GRACE_MS);
  }

  /** An error page took the tab's place: it is live in its renderer, saying why the page is not there. */
  private onLoadFailed(tabId: string, failure: LoadFailure): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    this.onCommit(tabId, { pid: failure.pid, url: failure.url });
    this.update(tab, { title: `${failure.description} · ${failure.url}`.slice(0, 512) });
  }

  private onRendererGone(tabId: string, gone: RendererGone): void {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.info.state === 'crashed') return;
    const at = this.options.clock.now();
    const rendererId = tab.info.rendererId;
    const pid = tab.info.pid;
    const ending = this.endingRenderers.get(rendererId);
    const reason = ending?.reason ?? gone.reason;
    const crash = sadTabReport(reason, gone, ending?.hung ?? false, this.now(), tab.lastCrashAt);
    tab.lastCrashAt = crash.at;
    this.options.registry.exited(rendererId, { ...gone, reason }, false);
    // Every tab of this renderer gets its own report from the shell; forget the reason after the last.
    if (this.tabsIn(rendererId).every((other) => other === tab || other.info.state === 'crashed')) {
      this.endingRenderers.delete(rendererId);
    }
    this.leaveRenderer(tab);
    tab.awaitingFirstBeat = false;
    this.update(tab, { state: 'crashed', crash });
    if (this.goneEmitter.hasListeners) {
      const { observedAt } = gone;
      this.goneEmitter.fire({ tabId, rendererId, pid, reason, code: crash.code, observedAt, at });
    }
  }

  // ---- the page's channel ----------------------------------------------------------------------

  private connectPage(tab: Tab): void {
    tab.connection?.close('the page was replaced');
    tab.page.clear();
    const transport = this.options.host.transport(tab.info.id);
    if (!transport) return;
    const tabId = tab.info.id;
    let watching = false;
    const connection = connect({
      transport,
      self: { process: 'browser' },
      local: TabHostService,
      remote: TabPage,
      handlers: {
        requestGpuChannel: (_request, { signal }) =>
          this.brokered(tab, 'TabGpu', signal, this.options.gpu.establishChannel(tabId), (grant) =>
            grant.mode === 'hardware' ? grant.gpuPid : undefined,
          ),
        requestPluginChannel: async (_request, { signal }) => {
          try {
            return await this.brokered(
              tab,
              'TabPlugin',
              signal,
              this.options.plugins.establishChannel(tabId),
              (grant) => grant.hostPid,
            );
          } catch (error) {
            throw new CodedError(TabHostErrorCode.PLUGIN_HOST_DOWN, (error as Error).message);
          }
        },
        requestLabChannel: async (_request, { signal }) => {
          // The page committed in this tab decides, as the browser recorded it: nothing the page says.
          const labs = this.options.labs;
          if (!labs || !this.isLabTab(tab))
            throw new CodedError(
              TabHostErrorCode.LAB_NOT_ALLOWED,
              `Only lab pages (sites ${this.labSites.join(', ')}) may have a lab channel; this tab shows ${tab.info.url}`,
            );
          try {
            return await this.brokered(tab, 'TabLab', signal, labs.establishChannel(tabId), (grant) => grant.hostPid);
          } catch (error) {
            throw new CodedError(TabHostErrorCode.LAB_HOST_DOWN, (error as Error).message);
          }
        },
      },
      onBadMessage: (report, code) => this.onBadMessage(tab, report, code),
      messageBudget: this.options.messageBudget ?? TAB_MESSAGE_BUDGET,
    });
    tab.page.add(
      connection.on('heartbeat', ({ seq }) => {
        // A page is watched from its first heartbeat: one that runs no lab script is never flagged.
        if (!watching) this.firstHeartbeat.fire(tabId);
        this.hangWatch.heartbeat(tabId, !watching);
        watching = true;
        if (this.heartbeatEmitter.hasListeners)
          this.heartbeatEmitter.fire({ tabId, seq, at: this.options.clock.now() });
        if (tab.awaitingFirstBeat) this.loaded(tab);
      }),
    );
    tab.page.add(
      connection.on('titleChanged', ({ title }) => {
        if (title && title !== tab.info.title) {
          this.update(tab, { title });
          this.options.registry.update(tab.info.rendererId, { label: this.rendererLabel(tab.info.rendererId, title) });
        }
      }),
    );
    tab.connection = connection;
  }

  /** Chrome's bad_message::ReceivedBadMessage: the renderer that sent it is ended. */
  private onBadMessage(tab: Tab, report: BadMessageReport, code: BadMessageReason): void {
    this.options.log.recordBadMessage(tab.info.rendererId, report, code);
    if (this.endingRenderers.has(tab.info.rendererId)) return;
    this.endingRenderers.set(tab.info.rendererId, { reason: 'bad-message', hung: false });
    this.options.host.kill(tab.info.id);
  }

  // ---- the spare renderer ----------------------------------------------------------------------

  /**
   * The spare for `tab`'s load when it needs a new process: always under process per tab (a new
   * tab, or a crashed one's reload); under process per site only when no other tab of its site
   * instance has a process (Chrome's rule: the spare serves a site with no process yet).
   */
  private takeSpare(tab: Tab): { spare: string } | undefined {
    if (!this.spareEnabled) return undefined;
    const siteHasProcess =
      this.processModel === 'process-per-site' &&
      [...this.tabs.values()].some(
        (other) => other !== tab && other.site === tab.site && other.info.state !== 'crashed',
      );
    if (siteHasProcess) return undefined;
    const spare = this.spare.take(tab.info.id);
    return spare === undefined ? undefined : { spare };
  }

  /** The comparison's policy: the next spare starts while the tab that took one still loads. */
  private refillAtOnce(): void {
    if (this.spareEnabled && this.spare.refill === 'at-once') this.spare.ensure();
  }

  /** The tab's page is up (its first heartbeat, or a page that sends none): the next spare may start. */
  private loaded(tab: Tab): void {
    tab.awaitingFirstBeat = false;
    this.warmSpare();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private siteInstance(tabId: string, site: string): SiteInstance {
    return this.processModel === 'process-per-site' ? `site-${site}` : tabId;
  }

  private tabsIn(rendererId: string): Tab[] {
    return [...this.tabs.values()].filter((tab) => tab.info.rendererId === rendererId);
  }

  private rendererLabel(rendererId: string, fallback: string): string {
    const titles = this.tabsIn(rendererId).map((tab) => tab.info.title);
    return titles.length > 0 ? titles.join(', ') : fallback;
  }

  /** The tab no longer talks to its current page: stop watching it and close its channel. */
  private leaveRenderer(tab: Tab): void {
    this.hangWatch.forget(tab.info.id);
    tab.connection?.close('the page is gone');
    tab.connection = undefined;
    tab.page.clear();
    this.channels.closeAll(tab.info.id);
  }

  /** Notes the direct channel a page's request was granted (a pid) or refused, unless the page stopped waiting for it. */
  private brokered<T>(
    tab: Tab,
    channelInterface: DirectChannel['interface'],
    signal: AbortSignal,
    grant: Promise<T>,
    pidOf: (granted: T) => number | undefined,
  ): Promise<T> {
    const note = (toPid: number | undefined) => {
      // Aborted: the page asked again, or it is gone (its connection closed).
      if (!signal.aborted && this.tabs.get(tab.info.id) === tab)
        this.channels.note(tab.info.id, channelInterface, toPid, tab.info.rendererId);
    };
    return grant.then(
      (granted) => {
        note(pidOf(granted));
        return granted;
      },
      (error: unknown) => {
        note(undefined);
        throw error;
      },
    );
  }

  /** The shell's hang signal, for a tab whose page is up (not loading, not crashed). */
  private onShellResponsiveness(tabId: string, responsive: boolean): void {
    const state = this.tabs.get(tabId)?.info.state;
    if (state === 'live' || state === 'unresponsive') this.hangWatch.shellSignal(tabId, responsive);
  }

  private setResponsive(tabId: string, responsive: boolean): void {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.info.state === 'crashed' || tab.info.state === 'loading') return;
    this.update(tab, { state: responsive ? 'live' : 'unresponsive' });
    const others = this.tabsIn(tab.info.rendererId).some(
      (other) => other !== tab && other.info.state === 'unresponsive',
    );
    this.options.registry.setState(tab.info.rendererId, responsive && !others ? 'running' : 'unresponsive');
  }

  /** Whether the page the browser committed in `tab` is a lab page: its URL's site is a lab site. */
  private isLabTab(tab: Tab): boolean {
    try {
      const resolved = resolveUrl(tab.info.url, { typed: false });
      return resolved.kind === 'page' && this.labSites.includes(resolved.site);
    } catch {
      return false; // a URL navigation no longer accepts is no lab page
    }
  }

  private broadcast(
    send: (page: Connection<typeof TabHostService, typeof TabPage>) => void,
    only: (tab: Tab) => boolean = () => true,
  ): void {
    for (const tab of this.tabs.values())
      if (tab.connection && !tab.connection.closed && only(tab)) send(tab.connection);
  }

  private update(tab: Tab, changes: Partial<TabInfo>): void {
    tab.info = { ...tab.info, ...changes };
    this.changed(tab);
  }

  private changed(tab: Tab): void {
    this.options.log.record({ type: 'tab-changed', tab: tab.info });
  }

  private require(tabId: string): Tab {
    const tab = this.tabs.get(tabId);
    if (!tab) throw new CodedError(BrowserUiErrorCode.NO_SUCH_TAB, `There is no tab ${tabId}`);
    return tab;
  }

  dispose(): void {
    this.spare.dispose();
    this.subscriptions.dispose();
    this.hangWatch.dispose();
    for (const tab of this.tabs.values()) {
      tab.connection?.close('the browser is closing');
      tab.page.dispose();
    }
  }
}

function rendererIdOf(site: SiteInstance): string {
  return `renderer-${site}`;
}
