/**
 * The port through which the core hosts tabs: each tab is a frame in a renderer process the shell
 * owns (a WebContentsView in Electron; a cross-site iframe of the UI page in the Chromium shell).
 * The core decides which tabs share a renderer process by giving each tab a *site instance*: tabs
 * with the same site instance share one process (Chrome's process-per-site), tabs with different
 * ones never do (process-per-tab, the default here).
 *
 * A shell may also keep a *spare renderer*, as Chrome does (SpareRenderProcessHostManager): a
 * renderer process started ahead, bound to no site yet, which the next tab needing a new process
 * takes; its site instance then runs in that process. The core decides when to start one and who
 * takes it (spare-renderer.ts, tabs.ts); a shell without `startSpare` simply starts every process cold.
 */
import type { ExitReason } from '../../protocol/interfaces/browser-state.ts';
import type { Transport } from '../../protocol/transport/transport.ts';

/**
 * Names the renderer process a tab runs in: a DNS label (`tab-3`, `site-news`). The Chromium shell
 * serves the tab from `http://<siteInstance>.localhost:<port>/`, so Chromium's site isolation puts
 * each site instance in its own process.
 */
export type SiteInstance = string;

export interface TabCommit {
  /** The OS pid of the renderer process the tab's frame now runs in. */
  readonly pid: number;
  readonly url: string;
}

export interface RendererGone {
  readonly reason: ExitReason;
  readonly code?: number;
  readonly signal?: string;
  /**
   * When the shell itself learned of the end (the CDP event's arrival, Electron's
   * `render-process-gone`), on the core's clock: what experiments report as "observed", before the
   * core's own bookkeeping.
   */
  readonly observedAt?: number;
}

/** A tab's page could not be loaded: Chromium shows an error page in its place, in renderer `pid`. */
export interface LoadFailure {
  readonly pid: number;
  /** The URL that failed, as the core names it (`lab://…` for built-in pages). */
  readonly url: string;
  /** Chromium's net error: its code (e.g. -105) and name (e.g. ERR_NAME_NOT_RESOLVED). */
  readonly code: number;
  readonly description: string;
}

/** What a shell reports about the tabs it hosts. */
export interface TabHostEvents {
  /** A tab's page loaded (first load, navigation, reload after a crash) in renderer `pid`. */
  onDidCommit(tabId: string, commit: TabCommit): void;
  /** A tab's renderer process ended (all tabs in it get this). */
  onDidRendererGone(tabId: string, gone: RendererGone): void;
  /**
   * The shell's own hang signal, where it has one (Electron's `unresponsive`): a second source beside
   * the core's heartbeat watchdog, which also covers pages that send no heartbeats. The tab stays
   * unresponsive until both say it is responsive again.
   */
  onDidBecomeUnresponsive?(tabId: string): void;
  /** The shell's hang signal cleared (Electron's `responsive`). */
  onDidBecomeResponsive?(tabId: string): void;
  /**
   * The tab's main-frame load failed and an error page took its place (Electron's `did-fail-load`,
   * which comes instead of a commit). The Chromium shell reports its error pages as commits.
   */
  onDidFailLoad?(tabId: string, failure: LoadFailure): void;
  /** The spare renderer `spareId` ended before a tab took it (a ready one, or one still starting). */
  onDidSpareGone?(spareId: string, gone: RendererGone): void;
}

/** How a tab's new process starts. */
export interface TabLoadOptions {
  /**
   * A ready spare renderer (`startSpare` resolved) the tab takes: its site instance runs in the
   * spare's process from now on, and other tabs of that site instance join it there.
   */
  readonly spare?: string;
}

/** A spare renderer whose process runs, its page loaded: ready to be taken. */
export interface SpareReady {
  readonly pid: number;
}

export interface TabHost {
  /** Starts reporting to `events`; called once by the core before anything else. */
  attach(events: TabHostEvents): void;
  /** Creates a tab showing `url` in site instance `site`; resolves when its frame exists (not loaded). */
  create(tabId: string, url: string, site: SiteInstance, options?: TabLoadOptions): Promise<void>;
  /** Loads `url` in the tab, in site instance `site` (which may differ from before). */
  navigate(tabId: string, url: string, site: SiteInstance): Promise<void>;
  /** Loads the tab again; after a crash this starts a new renderer process (or takes `options.spare`). */
  reload(tabId: string, options?: TabLoadOptions): Promise<void>;
  /** Removes the tab; its renderer process ends once no tab uses it. */
  close(tabId: string): Promise<void>;
  /** Makes the tab's renderer crash (Page.crash / forcefullyCrashRenderer). */
  crash(tabId: string): void;
  /** Ends the tab's renderer process from outside (SIGKILL to its pid). */
  kill(tabId: string): void;
  /** Makes the tab's page spin forever on its main thread (chrome://hang). */
  hang(tabId: string): void;
  /**
   * Stops the script running in the tab, keeping the page (Runtime.terminateExecution). Resolves
   * false when the shell cannot, and the caller then ends the process instead.
   */
  stopScript(tabId: string): Promise<boolean>;
  /**
   * The channel between the browser process and the tab's page, for the browser<->tab interface.
   * A new transport after every commit (the old page is gone); its peer names the tab and pid.
   */
  transport(tabId: string): Transport | undefined;
  /**
   * Starts spare renderer `spareId` (a renderer process with a blank page, no tab yet); resolves
   * once its process runs, rejects when it could not start. Its end before a tab takes it is
   * reported with `onDidSpareGone`. Absent: the shell keeps no spare.
   */
  startSpare?(spareId: string): Promise<SpareReady>;
  /** Ends spare `spareId`, which no tab took (the switch is off, the browser closes, End process). */
  discardSpare?(spareId: string): void;
}
