/**
 * The Chromium shell's TabHost: each tab is an `<iframe>` in the browser UI page, on its own
 * hostname (`http://<siteInstance>.localhost:<port>/…`), so Chromium's site isolation runs it in its
 * own renderer process (an out-of-process iframe, OOPIF); tabs of one site instance share one.
 *
 * Everything goes over raw CDP sessions, never Playwright pages (a tab's crash would poison the UI
 * page's). The UI page's session auto-attaches to every tab frame, paused before its first script,
 * so the tab's binding exists before the page can call it. The pid of a frame comes from a trace
 * (frame-pids.ts), a crash from the browser-level `Target.targetCrashed`.
 *
 * A tab's iframe element is its frame's identity: its content frame id is the OOPIF's target id.
 * Recovering a crashed tab replaces the element, which gives a new target every CDP client sees
 * (resetting `src` of the dead frame is less reliable).
 *
 * A spare renderer (TabHost.startSpare) is a hidden iframe (`data-lab-spare`) on a host of its own
 * (`spare-N.localhost`) showing a blank document: its OOPIF's process runs, bound to that host
 * only. A tab that takes it gets the element (`data-lab-tab`), and its site instance is served from
 * the spare's host from then on (`siteHosts`), so its page loads same-site, in the spare's process,
 * whose pid is already known (no trace on that commit); other tabs of that site instance follow it.
 * Over 400 lines because a tab frame's CDP life (attach, pause, bind, commit, crash, remount) is one
 * sequence of events read best in one place; URLs and exit reasons are split out.
 */
import type { Transport } from '../../protocol/transport/transport.ts';
import type {
  RendererGone,
  SiteInstance,
  SpareReady,
  TabHost,
  TabHostEvents,
  TabLoadOptions,
} from '../core/tab-host.ts';
import type { CdpConnection, CdpEventParams, CdpSession } from './cdp-connection.ts';
import { FramePids } from './frame-pids.ts';
import { exitReason, isRenderer } from './renderer-exits.ts';
import { TAB_RECEIVE_FUNCTION, TAB_SEND_BINDING, TabPageChannel } from './tab-page-channel.ts';
import type { TabUrls } from './tab-urls.ts';

/** How long a frame's renderer pid is looked for before its document is given up on (framePid). */
const FRAME_PID_MS = 15_000;

export interface ChromiumTabHostOptions {
  readonly connection: CdpConnection;
  /** The browser UI page's session: tab frames are created in it. */
  readonly ui: CdpSession;
  readonly urls: TabUrls;
  /** CSS selector of the UI page's element that holds the tab iframes. */
  readonly containerSelector?: string;
  /** The core's clock, to stamp when a renderer's end was observed (default: performance.now, the system clock's). */
  readonly now?: () => number;
}

export const DEFAULT_TAB_CONTAINER = '[data-tab-container]';
/** The blank document a spare renderer shows (main/chromium/app-server.ts serves it on any `*.localhost`). */
export const SPARE_DOCUMENT_PATH = '/__spare-renderer';
/** How long a spare may take to have its process running before it counts as failed. */
const SPARE_START_TIMEOUT_MS = 10_000;

interface Tab {
  readonly id: string;
  site: SiteInstance;
  /** The URL asked for, then as committed; what reload loads. */
  url: string;
  /** Counts element replacements, so an older, slower one gives way. */
  mounts: number;
  /** The content frame of the tab's current element, which is also its OOPIF's target id. */
  frameId: string | undefined;
  session: CdpSession | undefined;
  document: TabDocument | undefined;
  /** Its renderer ended (reported); cleared by a new element. */
  gone: boolean;
  /**
   * Crash or hang asked for before the frame's first document (no renderer to act on yet): done
   * once the document commits, as the user asked, rather than lost. Cleared by a new element.
   */
  pending: 'crash' | 'hang' | undefined;
  /** The pid of the spare renderer the tab took: its next document commits there, no trace needed. */
  sparePid: number | undefined;
}

/** A spare renderer: a hidden iframe on its own host, its process started, no tab yet. */
interface Spare {
  readonly id: string;
  frameId: string | undefined;
  session: CdpSession | undefined;
  pid: number | undefined;
  /** What it listens to while it is a spare, ended when a tab takes it. */
  readonly listeners: Array<() => void>;
  readonly ready: Deferred<SpareReady>;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => {}); // its owner may have stopped waiting
  return { promise, resolve, reject };
}

/** One page load in a tab's frame. */
interface TabDocument {
  readonly contextId: number;
  readonly url: string;
  readonly channel: TabPageChannel;
  pid: number | undefined;
  transport: Transport | undefined;
}

// Scripts run in the UI page. Plain JS text, not stringified TS functions: a bundler may rewrite
// those (helpers, renamed identifiers). Each finds the tab's iframe by its `data-lab-tab`.
const FIND_FRAME = `const container = document.querySelector(selector);
  const frame = container && [...container.querySelectorAll('iframe[data-lab-tab]')].find((element) => element.dataset.labTab === tabId);`;
const MOUNT_FRAME = `(selector, tabId) => {
  ${FIND_FRAME}
  if (!container) throw new Error('The browser UI has no tab container ' + selector);
  const fresh = document.createElement('iframe');
  fresh.dataset.labTab = tabId;
  if (frame) frame.replaceWith(fresh); else container.append(fresh);
  return fresh;
}`;
const NAVIGATE_FRAME = `(selector, tabId, src) => {
  ${FIND_FRAME}
  if (!frame) throw new Error('Tab ' + tabId + ' has no iframe');
  frame.src = src;
}`;
const REMOVE_FRAME = `(selector, tabId) => {
  ${FIND_FRAME}
  frame?.remove();
}`;
const SET_SRC = 'function (src) { this.src = src; }';
const FIND_SPARE = `const spare = container && [...container.querySelectorAll('iframe[data-lab-spare]')].find((element) => element.dataset.labSpare === spareId);`;
// Hidden like every frame that is not the selected tab's (the UI's tab-frame CSS), and out of the
// accessibility tree and the tab order: it is no tab.
const MOUNT_SPARE = `(selector, spareId) => {
  const container = document.querySelector(selector);
  if (!container) throw new Error('The browser UI has no tab container ' + selector);
  const spare = document.createElement('iframe');
  spare.dataset.labSpare = spareId;
  spare.title = 'Spare renderer';
  spare.setAttribute('aria-hidden', 'true');
  spare.tabIndex = -1;
  container.append(spare);
  return spare;
}`;
// The tab takes the spare's element (in place of its old one, after a crash) and loads its page there.
const ADOPT_SPARE = `(selector, spareId, tabId, src) => {
  ${FIND_FRAME}
  ${FIND_SPARE}
  if (!spare) throw new Error('There is no spare ' + spareId);
  delete spare.dataset.labSpare;
  spare.removeAttribute('aria-hidden');
  spare.removeAttribute('tabindex');
  spare.title = '';
  spare.src = src;
  // The dead frame goes once the new page's load has started, not in its way.
  frame?.remove();
  spare.dataset.labTab = tabId;
}`;
const REMOVE_SPARE = `(selector, spareId) => {
  const container = document.querySelector(selector);
  ${FIND_SPARE}
  spare?.remove();
}`;

export class ChromiumTabHost implements TabHost {
  private events: TabHostEvents | undefined;
  private readonly tabs = new Map<string, Tab>();
  private readonly tabsByFrame = new Map<string, Tab>();
  private readonly spares = new Map<string, Spare>();
  private readonly sparesByFrame = new Map<string, Spare>();
  /** Site instances served from a spare's host (`spare-3`) since a tab of theirs took it. */
  private readonly siteHosts = new Map<SiteInstance, string>();
  private readonly pids: FramePids;
  /** Renderers this host sent SIGKILL, to report the signal (CDP's errorCode is 0 either way). */
  private readonly killed = new Set<number>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly selector: string;
  /**
   * The last frame-target lifecycle events (attach, detach, create, destroy, change), printed when a
   * frame has to be mounted again: evidence for the flake that is not root-caused yet.
   */
  private readonly frameHistory: string[] = [];

  private constructor(private readonly options: ChromiumTabHostOptions) {
    this.pids = new FramePids(options.ui);
    this.selector = options.containerSelector ?? DEFAULT_TAB_CONTAINER;
  }

  /** Starts watching the UI page's frames and the browser's crash reports. */
  static async start(options: ChromiumTabHostOptions): Promise<ChromiumTabHost> {
    const host = new ChromiumTabHost(options);
    const { connection, ui } = options;
    host.unsubscribe.push(
      connection.root.on('Target.targetCrashed', (event) => host.onTargetCrashed(event)),
      ui.on('Target.attachedToTarget', (event) => void host.onFrameAttached(event)),
    );
    const started = performance.now();
    const note = (what: string, targetId: string, detail = '') => {
      host.frameHistory.push(`+${Math.round(performance.now() - started)} ms ${what} ${targetId.slice(0, 8)}${detail}`);
      if (host.frameHistory.length > 40) host.frameHistory.shift();
    };
    host.unsubscribe.push(
      ui.on('Target.attachedToTarget', (e) =>
        note('attached', e.targetInfo.targetId, ` waiting=${e.waitingForDebugger} url=${e.targetInfo.url}`),
      ),
      ui.on('Target.detachedFromTarget', (e) => note('detached', e.targetId ?? '?')),
      connection.root.on(
        'Target.targetCreated',
        (e) => e.targetInfo.type === 'iframe' && note('created', e.targetInfo.targetId),
      ),
      connection.root.on('Target.targetDestroyed', (e) => note('destroyed', e.targetId)),
      connection.root.on(
        'Target.targetInfoChanged',
        (e) => e.targetInfo.type === 'iframe' && note('changed', e.targetInfo.targetId, ` url=${e.targetInfo.url}`),
      ),
    );
    await connection.root.send('Target.setDiscoverTargets', { discover: true });
    await ui.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
      filter: [{ type: 'iframe' }],
    });
    // The first trace of a browser's life is ~10x slower (the tracing service starts): pay it now
    // rather than on the first tab's commit.
    await host.pids.snapshot().catch(() => {}); // a warm-up only: the first real snapshot reports its own failure
    return host;
  }

  attach(events: TabHostEvents): void {
    this.events = events;
  }

  async create(tabId: string, url: string, site: SiteInstance, options?: TabLoadOptions): Promise<void> {
    if (this.tabs.has(tabId)) throw new Error(`Tab ${tabId} exists already`);
    const tab: Tab = {
      id: tabId,
      site,
      url,
      mounts: 0,
      frameId: undefined,
      session: undefined,
      document: undefined,
      gone: false,
      pending: undefined,
      sparePid: undefined,
    };
    this.tabs.set(tabId, tab);
    const spare = this.takeSpare(options?.spare);
    await (spare ? this.adopt(tab, spare, url, site) : this.mount(tab, url, site));
  }

  async navigate(tabId: string, url: string, site: SiteInstance): Promise<void> {
    const tab = this.require(tabId);
    const src = this.frameSrc(url, site);
    const current = tab.document ? this.frameSrc(tab.url, tab.site) : undefined;
    // Same site instance, live frame: load in place (same process). A change of only the fragment
    // would load no new document, and so report no commit: that gets a new element too. So does a
    // tab whose first document has not committed yet (typed into right after New tab): its late
    // commit, or a remount of its stuck first frame, would otherwise put the old URL back.
    if (
      site === tab.site &&
      tab.frameId &&
      !tab.gone &&
      current !== undefined &&
      current.split('#')[0] !== src.split('#')[0]
    ) {
      tab.url = url;
      await this.inUi(NAVIGATE_FRAME, tab.id, src);
      return;
    }
    await this.mount(tab, url, site);
  }

  async reload(tabId: string, options?: TabLoadOptions): Promise<void> {
    const tab = this.require(tabId);
    const spare = this.takeSpare(options?.spare);
    await (spare ? this.adopt(tab, spare, tab.url, tab.site) : this.mount(tab, tab.url, tab.site));
  }

  async close(tabId: string): Promise<void> {
    const tab = this.require(tabId);
    this.tabs.delete(tabId);
    this.forgetFrame(tab);
    tab.mounts++;
    this.forgetUnusedSiteHosts();
    await this.inUi(REMOVE_FRAME, tabId);
  }

  /**
   * Starts spare `spareId`: a hidden iframe on `<spareId>.localhost` showing a blank document.
   * Resolves with its renderer's pid once that document runs (a trace, taken now, while nothing
   * waits for it, instead of on the taking tab's commit).
   */
  async startSpare(spareId: string): Promise<SpareReady> {
    if (this.spares.has(spareId)) throw new Error(`Spare ${spareId} exists already`);
    const spare: Spare = {
      id: spareId,
      frameId: undefined,
      session: undefined,
      pid: undefined,
      listeners: [],
      ready: deferred(),
    };
    this.spares.set(spareId, spare);
    const timer = setTimeout(
      () => this.failSpare(spare, `spare ${spareId} did not start within ${SPARE_START_TIMEOUT_MS} ms`),
      SPARE_START_TIMEOUT_MS,
    );
    void spare.ready.promise.finally(() => clearTimeout(timer)).catch(() => {});
    try {
      const { ui } = this.options;
      const { result } = await this.mountSpareElement(spareId);
      const objectId = result.objectId!;
      try {
        const { node } = await ui.send('DOM.describeNode', { objectId });
        if (!node.frameId) throw new Error(`The iframe of spare ${spareId} has no frame`);
        if (this.spares.get(spareId) !== spare) throw new Error(`Spare ${spareId} was discarded`);
        spare.frameId = node.frameId;
        this.sparesByFrame.set(node.frameId, spare);
        const src = this.options.urls.toFrame(`lab:/${SPARE_DOCUMENT_PATH}`, spareId);
        await ui.send('Runtime.callFunctionOn', {
          objectId,
          functionDeclaration: SET_SRC,
          arguments: [{ value: src }],
        });
      } finally {
        ui.fire('Runtime.releaseObject', { objectId });
      }
    } catch (error) {
      this.failSpare(spare, (error as Error).message);
    }
    return spare.ready.promise;
  }

  /**
   * The spare's iframe; asked for while the UI page is still rendering its tab container (the
   * browser warms one as it starts), it waits for the container a while rather than fail.
   */
  private async mountSpareElement(spareId: string) {
    const deadline = performance.now() + SPARE_START_TIMEOUT_MS / 2;
    for (;;) {
      try {
        return await this.inUi(MOUNT_SPARE, spareId);
      } catch (error) {
        const noContainer = (error as Error).message.includes('has no tab container');
        if (!noContainer || performance.now() > deadline || !this.spares.has(spareId)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  discardSpare(spareId: string): void {
    const spare = this.spares.get(spareId);
    if (!spare) return;
    this.forgetSpare(spare);
    spare.ready.reject(new Error(`Spare ${spareId} was discarded`));
    void this.inUi(REMOVE_SPARE, spareId).catch(() => {}); // the UI page may be closing
  }

  crash(tabId: string): void {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.gone) return;
    if (!tab.document?.pid) {
      tab.pending = 'crash';
      return;
    }
    // Never awaited: Page.crash's reply sometimes never comes.
    tab.session?.fire('Page.crash', undefined, { timeoutMs: 1000 });
  }

  kill(tabId: string): void {
    const tab = this.tabs.get(tabId);
    const pid = tab?.gone ? undefined : tab?.document?.pid;
    // Before its first commit the tab's pid is unknown: end it from the inside instead.
    if (pid === undefined || !isRenderer(pid)) return this.crash(tabId);
    this.killed.add(pid);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ESRCH: it ended meanwhile; its crash report is on its way.
    }
  }

  hang(tabId: string): void {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.gone) return;
    if (!tab.document?.pid) {
      tab.pending ??= 'hang';
      return;
    }
    // Not awaited: it answers only once stopScript ends the loop; its timeout just forgets it.
    tab.session?.fire('Runtime.evaluate', { expression: 'while (true) {}' });
  }

  async stopScript(tabId: string): Promise<boolean> {
    const tab = this.tabs.get(tabId);
    if (!tab?.session || tab.gone) return false;
    try {
      await tab.session.send('Runtime.terminateExecution', undefined, { timeoutMs: 1000 });
      return true;
    } catch {
      return false;
    }
  }

  transport(tabId: string): Transport | undefined {
    return this.tabs.get(tabId)?.document?.transport;
  }

  /** Stops listening; the tabs' frames stay in the UI page. */
  dispose(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    for (const tab of this.tabs.values()) this.forgetFrame(tab);
    this.tabs.clear();
    for (const spare of [...this.spares.values()]) this.discardSpare(spare.id);
  }

  // ---- spares ------------------------------------------------------------------------------------

  /** The iframe `src` for `url` in site instance `site`: on the host of the spare it took, if it did. */
  private frameSrc(url: string, site: SiteInstance): string {
    return this.options.urls.toFrame(url, this.siteHosts.get(site) ?? site);
  }

  /** Spare `spareId`, if it is ready and alive, no longer a spare; else undefined (the tab starts cold). */
  private takeSpare(spareId: string | undefined): Spare | undefined {
    const spare = spareId === undefined ? undefined : this.spares.get(spareId);
    if (!spare?.pid || !spare.session || !spare.frameId) return undefined;
    this.forgetSpare(spare);
    return spare;
  }

  private forgetSpare(spare: Spare): void {
    this.spares.delete(spare.id);
    if (spare.frameId) this.sparesByFrame.delete(spare.frameId);
    for (const stop of spare.listeners.splice(0)) stop();
  }

  /**
   * The spare is lost without a crash report: before it was ready, its start fails; after, it is
   * reported gone (the core replaces it). Its element goes.
   */
  private failSpare(spare: Spare, why: string): void {
    if (this.spares.get(spare.id) !== spare) return;
    this.forgetSpare(spare);
    void this.inUi(REMOVE_SPARE, spare.id).catch(() => {});
    if (spare.pid === undefined) spare.ready.reject(new Error(why));
    else this.events?.onDidSpareGone?.(spare.id, { reason: 'abnormal-exit' });
  }

  /**
   * The tab takes the spare's element, session and process: its site instance is served from the
   * spare's host from now on, so its page loads same-site, in the process already running.
   */
  private async adopt(tab: Tab, spare: Spare, url: string, site: SiteInstance): Promise<void> {
    ++tab.mounts;
    this.forgetFrame(tab);
    this.siteHosts.set(site, spare.id);
    this.forgetUnusedSiteHosts();
    Object.assign(tab, { url, site, gone: false, pending: undefined, sparePid: spare.pid });
    const frameId = spare.frameId!;
    tab.frameId = frameId;
    tab.session = spare.session;
    this.tabsByFrame.set(frameId, tab);
    // Listening before the navigation: its document's context is reported after it starts.
    this.wireTabSession(
      tab,
      spare.session!,
      frameId,
      this.options.urls.toFrame(`lab:/${SPARE_DOCUMENT_PATH}`, spare.id),
    );
    try {
      await this.inUi(ADOPT_SPARE, spare.id, tab.id, this.frameSrc(url, site));
    } catch (error) {
      // The spare's element went (the UI page reloaded): the tab starts cold instead of loading forever.
      console.error(`[chromium] tab ${tab.id} could not take spare ${spare.id}:`, (error as Error).message);
      this.siteHosts.delete(site);
      await this.mount(tab, url, site);
    }
  }

  /** A site instance no tab has any more keeps no spare's host (a new tab of it starts afresh). */
  private forgetUnusedSiteHosts(): void {
    const used = new Set([...this.tabs.values()].map((tab) => tab.site));
    for (const site of [...this.siteHosts.keys()]) if (!used.has(site)) this.siteHosts.delete(site);
  }

  // ---- frames ------------------------------------------------------------------------------------

  /** Gives the tab a new iframe element (in place of its old one) showing `url`. */
  private async mount(tab: Tab, url: string, site: SiteInstance): Promise<void> {
    const src = this.frameSrc(url, site);
    const mount = ++tab.mounts;
    this.forgetFrame(tab);
    Object.assign(tab, { url, site, gone: false, pending: undefined, sparePid: undefined });
    const { ui } = this.options;
    const { result } = await this.inUi(MOUNT_FRAME, tab.id);
    const objectId = result.objectId!;
    try {
      // Learn the frame's id before it navigates, so its target is known as this tab's when it
      // attaches (the frame keeps its id when it moves to the tab's renderer process).
      const { node } = await ui.send('DOM.describeNode', { objectId });
      if (tab.mounts !== mount) return;
      if (!node.frameId) throw new Error(`The iframe of tab ${tab.id} has no frame`);
      tab.frameId = node.frameId;
      this.tabsByFrame.set(node.frameId, tab);
      await ui.send('Runtime.callFunctionOn', { objectId, functionDeclaration: SET_SRC, arguments: [{ value: src }] });
    } finally {
      ui.fire('Runtime.releaseObject', { objectId });
    }
  }

  /** Runs one of the scripts above in the UI page with (container selector, ...args). */
  private async inUi(script: string, ...args: string[]) {
    const expression = `(${script})(${[this.selector, ...args].map((arg) => JSON.stringify(arg)).join(', ')})`;
    const answer = await this.options.ui.send('Runtime.evaluate', { expression });
    if (answer.exceptionDetails) {
      throw new Error(
        `The browser UI page failed: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`,
      );
    }
    return answer;
  }

  /** The tab lets go of its element's frame: its document's channel closes. */
  private forgetFrame(tab: Tab): void {
    this.endDocument(tab);
    if (tab.frameId) this.tabsByFrame.delete(tab.frameId);
    tab.frameId = undefined;
    tab.session = undefined;
  }

  private endDocument(tab: Tab): void {
    tab.document?.channel.close();
    tab.document = undefined;
  }

  /** A frame of the UI page attached, paused before its first script. */
  private async onFrameAttached({
    sessionId,
    targetInfo,
    waitingForDebugger,
  }: CdpEventParams<'Target.attachedToTarget'>) {
    const session = this.options.connection.session(sessionId);
    const tab = this.tabsByFrame.get(targetInfo.targetId);
    const spare = this.sparesByFrame.get(targetInfo.targetId);
    if (!session) return;
    if (tab) {
      tab.session = session;
      const remountIfStuck = this.wireTabSession(tab, session, targetInfo.targetId, targetInfo.url);
      try {
        await this.enableTabSession(session);
      } catch (error) {
        remountIfStuck((error as Error).message);
      }
    } else if (spare) {
      await this.onSpareAttached(spare, session, targetInfo.targetId);
    }
    if (waitingForDebugger) session.fire('Runtime.runIfWaitingForDebugger');
  }

  /** What a tab's frame session needs before its page's first script: events, and the binding. */
  private async enableTabSession(session: CdpSession): Promise<void> {
    await Promise.all([
      session.send('Runtime.enable'),
      session.send('Page.enable'),
      session.send('Runtime.addBinding', { name: TAB_SEND_BINDING }),
    ]);
  }

  /**
   * The spare's frame attached: it gets a tab's session set-up now (the binding stays for later
   * documents), and its pid once its blank document runs. Its death before a tab takes it is
   * reported in onTargetCrashed.
   */
  private async onSpareAttached(spare: Spare, session: CdpSession, targetId: string): Promise<void> {
    spare.session = session;
    spare.listeners.push(
      session.on('Runtime.executionContextCreated', ({ context }) => {
        const aux = context.auxData as { isDefault?: boolean; frameId?: string } | undefined;
        if (aux?.isDefault && aux.frameId === targetId && spare.pid === undefined)
          void this.onSpareDocument(spare, targetId);
      }),
      // A crash comes as Target.targetCrashed; a detach without one (rare) loses the spare all the same.
      session.onDidDetach((reason) =>
        setTimeout(() => this.failSpare(spare, `spare ${spare.id}'s frame detached: ${reason}`), 200),
      ),
    );
    try {
      await this.enableTabSession(session);
    } catch (error) {
      this.failSpare(spare, (error as Error).message);
    }
  }

  /**
   * A frame's renderer pid, from traces, until it is known, it is no longer wanted, or FRAME_PID_MS
   * pass. On a loaded machine a trace can time out, or list a frame whose process is still starting
   * without a pid: a few fixed tries then left the tab uncommitted for good (a crash asked of it never
   * sent), so it keeps asking, a moment apart.
   */
  private async framePid(targetId: string, wanted: () => boolean): Promise<number | undefined> {
    const deadline = performance.now() + FRAME_PID_MS;
    while (wanted()) {
      const pid = (await this.pids.snapshot().catch(() => undefined))?.get(targetId);
      if (pid !== undefined || performance.now() > deadline) return pid;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }

  private async onSpareDocument(spare: Spare, targetId: string): Promise<void> {
    const pid = await this.framePid(targetId, () => this.spares.get(spare.id) === spare);
    if (this.spares.get(spare.id) !== spare) return;
    if (pid === undefined) return this.failSpare(spare, `no renderer pid for spare ${spare.id}`);
    spare.pid = pid;
    spare.ready.resolve({ pid });
  }

  /**
   * Routes a tab frame's session events to the tab (its documents, its binding calls); returns what
   * mounts the tab again when the session could not be set up.
   */
  private wireTabSession(tab: Tab, session: CdpSession, targetId: string, url: string): (why: string) => void {
    const current = () => tab.frameId === targetId && this.tabs.get(tab.id) === tab;
    let frameUrl = url;
    session.on('Page.frameNavigated', ({ frame }) => {
      if (frame.id === targetId) frameUrl = frame.url;
    });
    // A new main-world context of the tab's own frame is a new document (it follows frameNavigated).
    session.on('Runtime.executionContextCreated', ({ context }) => {
      const aux = context.auxData as { isDefault?: boolean; frameId?: string } | undefined;
      if (aux?.isDefault && aux.frameId === targetId && current())
        void this.onDocument(tab, session, context, frameUrl);
    });
    session.on('Runtime.bindingCalled', ({ name, payload, executionContextId }) => {
      const document = tab.document;
      if (name === TAB_SEND_BINDING && current() && document?.contextId === executionContextId)
        document.channel.receive(payload);
    });
    // Seen now and then on a fresh frame: our session is detached a few ms after it attached,
    // while the target lives on (no targetDestroyed), and no document is ever reported; the setup
    // fails, or worse, has already succeeded. Either way, mount the tab again rather than
    // leave it loading forever. The frame history printed says what Chromium did.
    const mounts = tab.mounts;
    const remountIfStuck = (why: string) =>
      setTimeout(() => {
        if (this.tabs.get(tab.id) === tab && tab.mounts === mounts && !tab.document && !tab.gone) {
          console.error(
            `[chromium] tab ${tab.id}'s frame could not be set up (${why}); mounting it again.\n` +
              `  frame ${targetId.slice(0, 8)}; recent frame targets:\n    ${this.frameHistory.join('\n    ')}`,
          );
          void this.reload(tab.id).catch((error: unknown) =>
            console.error(`[chromium] mounting tab ${tab.id} again failed:`, error),
          );
        }
      }, 500);
    session.onDidDetach((reason) => {
      if (current()) remountIfStuck(reason);
    });
    return remountIfStuck;
  }

  /** The tab's frame committed a new document: report it once its renderer's pid is known. */
  private async onDocument(
    tab: Tab,
    session: CdpSession,
    context: CdpEventParams<'Runtime.executionContextCreated'>['context'],
    frameUrl: string,
  ): Promise<void> {
    this.endDocument(tab);
    const receive = `globalThis.${TAB_RECEIVE_FUNCTION}?.(`;
    const channel = new TabPageChannel((text) =>
      // Bound to this document's context: after a navigation it fails rather than reach the new page.
      session.fire('Runtime.evaluate', {
        expression: `${receive}${JSON.stringify(text)})`,
        uniqueContextId: context.uniqueId,
      }),
    );
    const document: TabDocument = {
      contextId: context.id,
      url: this.options.urls.fromFrame(frameUrl),
      channel,
      pid: undefined,
      transport: undefined,
    };
    tab.document = document;
    // The first document in a spare's process: its pid is the spare's (a same-site navigation of
    // the frame stays in its process); the e2e test checks it against a trace.
    const sparePid = tab.sparePid;
    tab.sparePid = undefined;
    const pid = sparePid ?? (await this.framePid(session.targetId!, () => tab.document === document));
    if (tab.document !== document || tab.gone) return; // replaced or crashed meanwhile
    if (pid === undefined) {
      console.error(`[chromium] no renderer pid for tab ${tab.id}; its commit is not reported`);
      return;
    }
    document.pid = pid;
    document.transport = channel.transport({ process: 'renderer', id: tab.id, pid });
    tab.url = document.url;
    this.events?.onDidCommit(tab.id, { pid, url: document.url });
    const pending = tab.pending;
    tab.pending = undefined;
    if (pending === 'crash') this.crash(tab.id);
    else if (pending === 'hang') this.hang(tab.id);
  }

  /** A renderer ended: every tab it hosted is gone, each reported once. */
  private onTargetCrashed({ targetId, status, errorCode }: CdpEventParams<'Target.targetCrashed'>): void {
    const observedAt = (this.options.now ?? performance.now.bind(performance))();
    const spare = this.sparesByFrame.get(targetId);
    if (spare) return this.onSpareCrashed(spare, status, errorCode);
    const tab = this.tabsByFrame.get(targetId);
    if (!tab || tab.gone) return;
    const pid = tab.document?.pid;
    const gone: RendererGone = {
      reason: exitReason(status),
      // 0 is what Chromium reports when it has no code (Page.crash and SIGKILL alike).
      ...(errorCode === 0 ? {} : { code: errorCode }),
      ...(pid !== undefined && status === 'killed' && this.killed.has(pid) ? { signal: 'SIGKILL' } : {}),
      observedAt,
    };
    if (pid !== undefined) this.killed.delete(pid);
    // Tabs of the same site instance share the process; each frame's own crash event may come
    // later (or not at all), so they are all reported now.
    const victims = [...this.tabs.values()].filter(
      (other) => other === tab || (pid !== undefined && !other.gone && other.document?.pid === pid),
    );
    for (const victim of victims) {
      victim.gone = true;
      this.endDocument(victim);
    }
    for (const victim of victims) this.events?.onDidRendererGone(victim.id, gone);
  }

  /** The spare's renderer ended before a tab took it: reported, its element removed. */
  private onSpareCrashed(spare: Spare, status: string, errorCode: number): void {
    const pid = spare.pid;
    this.forgetSpare(spare);
    const gone: RendererGone = {
      reason: exitReason(status),
      ...(errorCode === 0 ? {} : { code: errorCode }),
      ...(pid !== undefined && status === 'killed' && this.killed.has(pid) ? { signal: 'SIGKILL' } : {}),
    };
    if (pid !== undefined) this.killed.delete(pid);
    spare.ready.reject(new Error(`spare ${spare.id}'s renderer ended (${gone.reason}) before it was ready`));
    void this.inUi(REMOVE_SPARE, spare.id).catch(() => {});
    this.events?.onDidSpareGone?.(spare.id, gone);
  }

  private require(tabId: string): Tab {
    const tab = this.tabs.get(tabId);
    if (!tab) throw new Error(`There is no tab ${tabId}`);
    return tab;
  }
}
