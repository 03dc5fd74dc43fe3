/**
 * `ElectronTabHost implements TabHost` (main/core/tab-host.ts): each tab is a WebContentsView in
 * the UI window, sandboxed and context-isolated, with the tab preload (`__labTabSend` /
 * `__labTabReceive`). Type-only Electron imports: main.ts passes the window, ipcMain and the
 * WebContentsView class, so `tsc` checks every call against Electron's types.
 *
 * Site instances: Electron gives each WebContentsView its own renderer process (process per tab);
 * `site` is recorded but cannot make two views share a process.
 *
 * A spare renderer (TabHost.startSpare) is a WebContentsView made ahead, with the tab preload and
 * webPreferences, showing a blank page of the tab origin (`lab-app://pages/__spare-renderer`), not
 * in the window. A tab that takes it gets that view: its page loads same-origin, in the process
 * already running. Until then its `render-process-gone` is the spare's (`onDidSpareGone`).
 */
import type { BaseWindow, Rectangle, RenderProcessGoneDetails, WebContents, WebContentsView } from 'electron';
import type {
  RendererGone,
  SiteInstance,
  SpareReady,
  TabHost,
  TabHostEvents,
  TabLoadOptions,
} from '../core/tab-host.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import { appToLabUrl, APP_SCHEME, labToAppUrl, PAGES_HOST, SPARE_DOCUMENT_URL } from './app-protocol.ts';
import { IPC } from '../../protocol/transport/electron-ipc-channels.ts';
import { documentChannels, type IpcRouter } from './string-ipc.ts';
import { exitReasonOf } from './utility-exits.ts';

/** Where a tab may go by itself (a link, a redirect): the built-in pages and the web. */
export function tabMayNavigate(url: string): boolean {
  const parsed = URL.parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return true;
  return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname === PAGES_HOST;
}

/** Chromium's net::ERR_ABORTED: a load replaced by another, or stopped; not a failure to show. */
export const ERR_ABORTED = -3;

/**
 * Whether a `did-fail-load` means an error page now stands in the tab's place: the main frame's,
 * not an abort, and not after its document committed (Chromium then reports a failed load of a
 * page that is there).
 */
export function isErrorPageLoad(errorCode: number, isMainFrame: boolean, committedSinceStart: boolean): boolean {
  return isMainFrame && errorCode !== ERR_ABORTED && !committedSinceStart;
}

/** A content-area rect the UI reported, checked and rounded; undefined when it is not one. */
export function contentBounds(value: unknown): Rectangle | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { x, y, width, height } = value as Record<string, unknown>;
  const numbers = [x, y, width, height];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 100_000)) return undefined;
  const [rx, ry, rw, rh] = (numbers as number[]).map(Math.round) as [number, number, number, number];
  return { x: rx, y: ry, width: rw, height: rh };
}

/**
 * What the UI preload reports on `lab:ui-content-bounds` (preload/content-area.ts), checked: the
 * content area's rect, and whether a popup of the page is over it. Undefined when it is not one.
 */
export function contentArea(value: unknown): { bounds: Rectangle; covered: boolean } | undefined {
  const bounds = contentBounds(value);
  if (!bounds) return undefined;
  const covered = (value as Record<string, unknown>).covered ?? false;
  return typeof covered === 'boolean' ? { bounds, covered } : undefined;
}

export interface ElectronTabHostOptions {
  /** The UI window; tab views are its child views. */
  readonly window: BaseWindow;
  /** ipcMain, one listener per channel for every tab. */
  readonly ipc: IpcRouter;
  /** Electron's WebContentsView class. */
  readonly WebContentsView: typeof WebContentsView;
  /** dist-electron/tab-preload.cjs */
  readonly preload: string;
  /** A tab asked for a new window (window.open, target=_blank): open it as a tab, or ignore it. */
  readonly openTab?: (url: string) => void;
  /** Until the UI reports its content area: the window's content size minus the UI's top chrome. */
  readonly chromeHeight?: number;
}

interface Tab {
  readonly id: string;
  /** Replaced when a crashed tab's reload takes a spare's view. */
  view: WebContentsView;
  site: SiteInstance;
  /** The URL asked for, then as committed (lab:// form): what a reload after a crash loads. */
  url: string;
  crashed: boolean;
  /** We sent SIGKILL: the exit is reported with that signal. */
  killed: boolean;
  channels: ReturnType<typeof documentChannels>;
}

/** A view made ahead, its renderer running (`pid` once its blank page loaded), no tab yet. */
interface Spare {
  readonly view: WebContentsView;
  pid: number | undefined;
  /** Stops listening as a spare (its process's end is then a tab's). */
  readonly stop: () => void;
}

export class ElectronTabHost implements TabHost {
  private events: TabHostEvents | undefined;
  private readonly tabs = new Map<string, Tab>();
  private readonly spares = new Map<string, Spare>();
  private bounds: Rectangle | undefined;
  private shown: string | undefined;
  /** A popup of the UI page is over the content area: no tab view may paint over it. */
  private covered = false;

  constructor(private readonly options: ElectronTabHostOptions) {}

  attach(events: TabHostEvents): void {
    this.events = events;
  }

  create(tabId: string, url: string, site: SiteInstance, options?: TabLoadOptions): Promise<void> {
    const view = this.takeSpare(options?.spare) ?? this.newView();
    const tab: Tab = {
      id: tabId,
      view,
      site,
      url,
      crashed: false,
      killed: false,
      channels: this.channelsOf(tabId, view),
    };
    this.tabs.set(tabId, tab);
    this.mountView(tab);
    this.load(tab, url);
    return Promise.resolve();
  }

  /**
   * Starts spare `spareId`: a view with the tabs' webPreferences and preload, loading a blank page
   * of the tab origin; resolves with its renderer's pid once that page loaded.
   */
  startSpare(spareId: string): Promise<SpareReady> {
    if (this.spares.has(spareId)) return Promise.reject(new Error(`Spare ${spareId} exists already`));
    const view = this.newView();
    const contents = view.webContents;
    return new Promise<SpareReady>((resolve, reject) => {
      const onLoaded = () => {
        const pid = contents.getOSProcessId();
        spare.pid = pid;
        resolve({ pid });
      };
      const onFailed = (
        _event: unknown,
        errorCode: number,
        description: string,
        _url: string,
        isMainFrame: boolean,
      ) => {
        if (!isMainFrame || spare.pid !== undefined) return;
        this.endSpare(spareId);
        reject(new Error(`spare ${spareId} failed to load: ${description} (${errorCode})`));
      };
      const onGone = (_event: unknown, details: RenderProcessGoneDetails) => {
        const ready = spare.pid !== undefined;
        this.endSpare(spareId);
        if (!ready)
          return reject(new Error(`spare ${spareId}'s renderer ended (${details.reason}) before it was ready`));
        this.events?.onDidSpareGone?.(spareId, { reason: exitReasonOf(details.reason), code: details.exitCode });
      };
      const spare: Spare = {
        view,
        pid: undefined,
        stop: () => {
          contents.off('did-finish-load', onLoaded);
          contents.off('did-fail-load', onFailed);
          contents.off('render-process-gone', onGone);
        },
      };
      this.spares.set(spareId, spare);
      contents.once('did-finish-load', onLoaded);
      contents.on('did-fail-load', onFailed);
      contents.on('render-process-gone', onGone);
      contents.loadURL(SPARE_DOCUMENT_URL).catch(() => {}); // a failure comes as did-fail-load
    });
  }

  discardSpare(spareId: string): void {
    this.endSpare(spareId);
  }

  navigate(tabId: string, url: string, site: SiteInstance): Promise<void> {
    const tab = this.tabs.get(tabId);
    if (!tab) return Promise.resolve();
    tab.site = site;
    tab.url = url;
    this.load(tab, url);
    return Promise.resolve();
  }

  reload(tabId: string, options?: TabLoadOptions): Promise<void> {
    const tab = this.tabs.get(tabId);
    if (!tab) return Promise.resolve();
    const spare = tab.crashed ? this.takeSpare(options?.spare) : undefined;
    if (spare) {
      // The dead view makes way for the spare's, whose process runs already.
      const dead = tab.view;
      tab.channels.dispose();
      this.options.window.contentView.removeChildView(dead);
      if (!dead.webContents.isDestroyed()) dead.webContents.close();
      tab.view = spare;
      tab.channels = this.channelsOf(tab.id, spare);
      this.mountView(tab);
    }
    // After a crash, loading again starts a new renderer process (or uses the spare's).
    if (tab.crashed) this.load(tab, tab.url);
    else tab.view.webContents.reload();
    return Promise.resolve();
  }

  close(tabId: string): Promise<void> {
    const tab = this.tabs.get(tabId);
    if (!tab) return Promise.resolve();
    this.tabs.delete(tabId);
    tab.channels.dispose();
    this.options.window.contentView.removeChildView(tab.view);
    // Removing a view does not destroy its webContents.
    if (!tab.view.webContents.isDestroyed()) tab.view.webContents.close();
    return Promise.resolve();
  }

  crash(tabId: string): void {
    this.live(tabId)?.forcefullyCrashRenderer();
  }

  kill(tabId: string): void {
    const tab = this.tabs.get(tabId);
    const contents = tab && this.live(tabId);
    if (!tab || !contents) return;
    const pid = contents.getOSProcessId();
    if (pid <= 0) return;
    tab.killed = true;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      tab.killed = false;
    }
  }

  hang(tabId: string): void {
    // The promise never settles while the page spins; a crash or Stop rejects it.
    this.live(tabId)
      ?.executeJavaScript('while (true) {}')
      .catch(() => {});
  }

  async stopScript(tabId: string): Promise<boolean> {
    const contents = this.live(tabId);
    if (!contents) return false;
    const { debugger: cdp } = contents;
    let attachedHere = false;
    try {
      if (!cdp.isAttached()) {
        cdp.attach('1.3');
        attachedHere = true;
      }
    } catch {
      return false; // DevTools or another client holds it
    }
    try {
      // Handled on Chromium's IO thread, so it interrupts a busy main thread.
      await cdp.sendCommand('Runtime.terminateExecution');
      return true;
    } catch {
      return false;
    } finally {
      if (attachedHere && cdp.isAttached()) cdp.detach();
    }
  }

  transport(tabId: string): Transport | undefined {
    return this.tabs.get(tabId)?.channels.current()?.transport;
  }

  /**
   * The tab's current document while its renderer lives: its webContents and the token its preload
   * made for it (where, and to whom, the channel broker delivers ports).
   */
  documentOf(tabId: string): { contents: WebContents; token: string | undefined } | undefined {
    const contents = this.live(tabId);
    return contents && { contents, token: this.tabs.get(tabId)?.channels.current()?.token };
  }

  /** Shows `tabId`'s view (the selected, live tab) and hides the others; undefined hides them all. */
  show(tabId: string | undefined): void {
    this.shown = tabId;
    for (const tab of this.tabs.values()) tab.view.setVisible(this.isVisible(tab.id));
    const shown = tabId === undefined ? undefined : this.tabs.get(tabId);
    // addChildView of an existing child moves it on top.
    if (shown) this.options.window.contentView.addChildView(shown.view);
  }

  /** The UI's content area moved or resized (window coordinates, DIPs). */
  setContentBounds(bounds: Rectangle): void {
    this.bounds = bounds;
    for (const tab of this.tabs.values()) tab.view.setBounds(bounds);
  }

  /**
   * The UI's content area, and whether a popup of the page (a menu, the omnibox's error) is over
   * it: a native view paints above the page, so the shown tab's view steps aside while one is.
   */
  setContentArea({ bounds, covered }: { bounds: Rectangle; covered: boolean }): void {
    this.setContentBounds(bounds);
    if (covered === this.covered) return;
    this.covered = covered;
    for (const tab of this.tabs.values()) tab.view.setVisible(this.isVisible(tab.id));
  }

  private isVisible(tabId: string): boolean {
    return tabId === this.shown && !this.covered;
  }

  /** Ends every tab and spare (the window is closing: its views' webContents are not destroyed with it). */
  dispose(): void {
    for (const id of [...this.tabs.keys()]) void this.close(id);
    for (const id of [...this.spares.keys()]) this.endSpare(id);
  }

  /** A view for a tab: sandboxed, isolated, the tab preload. */
  private newView(): WebContentsView {
    return new this.options.WebContentsView({
      webPreferences: {
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // A hidden tab keeps its timers: the core's heartbeat watchdog would otherwise call a
        // background tab hung (Chromium throttles hidden pages to 1/s, then 1/min).
        backgroundThrottling: false,
        preload: this.options.preload,
      },
    });
  }

  /** The tab's string channels on `view`'s webContents, wired to the tab's events. */
  private channelsOf(tabId: string, view: WebContentsView): Tab['channels'] {
    const contents = view.webContents;
    return documentChannels(
      this.options.ipc,
      contents,
      IPC.tab,
      () => ({ process: 'renderer', id: tabId, pid: contents.getOSProcessId() }),
      () => {},
    );
  }

  /** Puts the tab's view in the window, wired, sized and shown or hidden as the tab is. */
  private mountView(tab: Tab): void {
    const { view } = tab;
    this.wire(tab, view.webContents);
    view.setBackgroundColor('#FFFFFFFF');
    view.setVisible(this.isVisible(tab.id));
    view.setBounds(this.currentBounds());
    this.options.window.contentView.addChildView(view);
  }

  /** Spare `spareId`'s view, if its process runs, no longer a spare; else undefined (a new view starts cold). */
  private takeSpare(spareId: string | undefined): WebContentsView | undefined {
    const spare = spareId === undefined ? undefined : this.spares.get(spareId);
    if (spare?.pid === undefined || spare.view.webContents.isDestroyed() || spare.view.webContents.isCrashed())
      return undefined;
    spare.stop();
    this.spares.delete(spareId!);
    return spare.view;
  }

  private endSpare(spareId: string): void {
    const spare = this.spares.get(spareId);
    if (!spare) return;
    this.spares.delete(spareId);
    spare.stop();
    if (!spare.view.webContents.isDestroyed()) spare.view.webContents.close();
  }

  private currentBounds(): Rectangle {
    if (this.bounds) return this.bounds;
    const [width = 0, height = 0] = this.options.window.getContentSize();
    const top = this.options.chromeHeight ?? 84;
    return { x: 0, y: top, width, height: Math.max(0, height - top) };
  }

  private live(tabId: string): WebContents | undefined {
    const contents = this.tabs.get(tabId)?.view.webContents;
    return contents && !contents.isDestroyed() && !contents.isCrashed() ? contents : undefined;
  }

  private load(tab: Tab, url: string): void {
    tab.crashed = false;
    tab.killed = false;
    // A failed load is reported by did-fail-load; the core learns of commits from did-navigate.
    tab.view.webContents.loadURL(labToAppUrl(url)).catch(() => {});
  }

  private wire(tab: Tab, contents: WebContents): void {
    // Whether the main frame's current navigation committed a document (then a did-fail-load is
    // about that document's load, not an error page in its place).
    let committed = false;
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) committed = false;
    });
    // documentChannels listened first: the new document's transport exists when the core asks.
    contents.on('did-navigate', () => {
      committed = true;
      const url = appToLabUrl(contents.getURL());
      tab.url = url;
      this.events?.onDidCommit(tab.id, { pid: contents.getOSProcessId(), url });
    });
    // An error page committed instead of the page (no did-navigate comes): the core learns the tab
    // is live there, and the old document's channel ends.
    contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
      if (!isErrorPageLoad(errorCode, isMainFrame, committed)) return;
      tab.channels.end();
      this.events?.onDidFailLoad?.(tab.id, {
        pid: contents.getOSProcessId(),
        url: appToLabUrl(validatedURL),
        code: errorCode,
        description: errorDescription,
      });
    });
    contents.on('render-process-gone', (_event, details) => {
      // On the system clock's timeline (performance.now), as the core's clock in main/electron/main.ts.
      const observedAt = performance.now();
      tab.crashed = true;
      const gone: RendererGone = tab.killed
        ? { reason: 'killed', code: details.exitCode, signal: 'SIGKILL', observedAt }
        : { reason: exitReasonOf(details.reason), code: details.exitCode, observedAt };
      tab.killed = false;
      this.events?.onDidRendererGone(tab.id, gone);
    });
    // Chromium's own hang monitor (input events not acknowledged): a second signal to the core's
    // heartbeat watchdog, and the only one for a page that sends no heartbeats.
    contents.on('unresponsive', () => this.events?.onDidBecomeUnresponsive?.(tab.id));
    contents.on('responsive', () => this.events?.onDidBecomeResponsive?.(tab.id));
    // A tab leaves for the web or another built-in page only; never file:, the UI, or other schemes.
    contents.on('will-navigate', (event) => {
      if (!tabMayNavigate(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!tabMayNavigate(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (tabMayNavigate(url)) this.options.openTab?.(appToLabUrl(url));
      return { action: 'deny' };
    });
  }
}
