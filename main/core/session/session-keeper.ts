/**
 * Keeps the browser's session saved and brings it back (Chrome's SessionService): the tabs with
 * their history and titles, the selected tab, the process model and the window size are saved a
 * moment after they change (coalesced, through the SessionStore port), the run is marked clean on an
 * orderly exit, and at start the session read by session-at-start.ts is restored silently or offered
 * as "Restore tabs?" (the notice goes to the UI as a `session-notice` event and in the state).
 *
 * While an offer is unanswered nothing is written: the file still holds the crashed session, so a
 * second crash or a quit offers it again. Restore or dismiss hands the file to this session.
 */
import {
  MAX_SESSION_TABS,
  SESSION_VERSION,
  type SavedHistory,
  type SavedTab,
  type SessionState,
} from '../../../protocol/session/session-state.ts';
import { OFFER_TITLES, type SessionNotice } from '../../../protocol/session/session-notice.ts';
import type { ProcessModel, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import type { Clock, TimerId } from '../clock.ts';
import type { EventLog } from '../event-log.ts';
import type { SessionAtStart } from './session-at-start.ts';
import type { SessionStore } from './session-store.ts';

/** Chrome saves its session 2.5 s after a change (SessionService's kSaveDelayMS); a lab restarts sooner. */
export const DEFAULT_SAVE_DELAY_MS = 500;
/** As the saved format allows (session-state.ts). */
const MAX_URL = 2048;
const MAX_TITLE = 512;

/** What the keeper needs of the tabs (TabManager). */
export interface SessionTabs {
  readonly processModel: ProcessModel;
  readonly selectedTabId: string | undefined;
  list(): TabInfo[];
  historyOf(tabId: string): SavedHistory;
  open(url: string, restored?: { readonly history: SavedHistory }): Promise<TabInfo>;
  select(tabId: string): void;
}

export interface WindowSize {
  readonly width: number;
  readonly height: number;
}

export interface SessionKeeperOptions {
  readonly store: SessionStore;
  readonly tabs: SessionTabs;
  readonly log: EventLog;
  readonly clock: Clock;
  /** What was read at start (session-at-start.ts). */
  readonly atStart: SessionAtStart;
  /** One-line messages (the shell's console). */
  readonly report: (line: string) => void;
  /** Wall-clock time for `savedAt`. */
  readonly now?: () => number;
  readonly saveDelayMs?: number;
}

export class SessionKeeper {
  private notice: SessionNotice | undefined;
  private offered: SessionState | undefined;
  private windowSize: WindowSize | undefined;
  /** Saving runs once the start's session is restored, dismissed or absent; never after close(). */
  private saving = false;
  private closed = false;
  private disposed = false;
  private restoring: Promise<number> | undefined;
  private timer: TimerId | undefined;
  private lastSave: Promise<void> = Promise.resolve();
  private failing = false;
  private readonly stopListening: () => void;
  private readonly now: () => number;

  constructor(private readonly options: SessionKeeperOptions) {
    this.now = options.now ?? (() => Date.now());
    const { atStart } = options;
    if (atStart.kind === 'offer') {
      this.offered = atStart.state;
      this.notice = offerOf(atStart.state);
    } else if (atStart.kind === 'unreadable') {
      this.notice = { kind: 'unreadable', problem: atStart.problem.slice(0, 2048) };
    }
    if (atStart.kind === 'restore' || atStart.kind === 'offer') this.windowSize = atStart.state.window;
    this.stopListening = options.log.onDidRecord((event) => {
      if (event.type === 'tab-changed' || event.type === 'tab-selected' || event.type === 'tab-closed')
        this.scheduleSave();
    });
  }

  /** What the UI shows about the session; undefined: nothing. */
  get currentNotice(): SessionNotice | undefined {
    return this.notice;
  }

  /**
   * Once the browser has started: restores the last session if it exited cleanly (and says how many
   * tabs came back: the shell opens its first tab only when none did), then saves from here on,
   * unless "Restore tabs?" waits for an answer.
   */
  async start(): Promise<number> {
    const { atStart } = this.options;
    const restored = atStart.kind === 'restore' ? await this.restoreTabs(atStart.state) : 0;
    if (!this.offered) this.beginSaving();
    return restored;
  }

  /**
   * The infobar's Restore: the offered tabs open beside the ones open now, the saved selection
   * selected; the notice goes at once (the tabs appear as they open). Resolves with how many opened;
   * never rejects (a tab that fails to open is one line).
   */
  async restore(): Promise<number> {
    const offered = this.offered;
    if (!offered) return this.restoring ?? 0; // answered already (a second click, another UI document)
    this.offered = undefined;
    this.setNotice(undefined);
    this.restoring = this.restoreTabs(offered);
    const restored = await this.restoring;
    this.beginSaving();
    return restored;
  }

  /** The notice's close button: an offer declined, its session replaced by this one from now on. */
  dismiss(): void {
    if (this.offered) {
      this.offered = undefined;
      this.beginSaving();
    }
    this.setNotice(undefined);
  }

  /** The shell's window changed size (or reports it at start). */
  noteWindowSize(size: WindowSize): void {
    const width = Math.round(size.width);
    const height = Math.round(size.height);
    if (!(width >= 1 && width <= 65535 && height >= 1 && height <= 65535)) return;
    if (this.windowSize?.width === width && this.windowSize.height === height) return;
    this.windowSize = { width, height };
    this.scheduleSave();
  }

  /**
   * An orderly exit: the session is written marked clean, so the next start restores it without
   * asking. With an offer unanswered the file keeps the crashed session, still to be offered.
   * Nothing is saved after this (the tabs' renderers ending on the way out are no change to keep).
   */
  async close(): Promise<void> {
    if (this.closed) return this.lastSave;
    this.closed = true;
    this.stopListening();
    this.cancelTimer();
    if (!this.saving) return this.lastSave;
    await this.lastSave.catch(() => {});
    this.lastSave = this.write(true);
    return this.lastSave;
  }

  /**
   * Stops following changes (the browser is torn down). close() may still follow and mark the exit
   * clean: the Electron shell disposes the core as its window closes, and quits after.
   */
  dispose(): void {
    this.disposed = true;
    this.stopListening();
    this.cancelTimer();
  }

  /** The current session as saved; `cleanExit` false while running. */
  capture(cleanExit: boolean): SessionState {
    const { tabs } = this.options;
    const saved: SavedTab[] = [];
    let selected: number | undefined;
    for (const info of tabs.list()) {
      if (saved.length >= MAX_SESSION_TABS) break;
      const history = savable(tabs.historyOf(info.id));
      if (!history) continue;
      if (info.id === tabs.selectedTabId) selected = saved.length;
      saved.push({ url: history.entries[history.index]!, title: info.title.slice(0, MAX_TITLE), history });
    }
    return {
      version: SESSION_VERSION,
      savedAt: this.now(),
      cleanExit,
      processModel: tabs.processModel,
      ...(this.windowSize ? { window: this.windowSize } : {}),
      tabs: saved,
      ...(saved.length > 0 ? { selected: selected ?? 0 } : {}),
    };
  }

  private async restoreTabs(state: SessionState): Promise<number> {
    const { tabs, report } = this.options;
    const opened: (string | undefined)[] = [];
    // One after another: the tabs keep their order, and a restart does not start every renderer at once.
    for (const tab of state.tabs) {
      try {
        opened.push((await tabs.open(tab.url, { history: tab.history })).id);
      } catch (error) {
        opened.push(undefined);
        report(`The saved tab ${JSON.stringify(tab.url.slice(0, 200))} did not open: ${(error as Error).message}`);
      }
    }
    const selected = state.selected === undefined ? undefined : opened[state.selected];
    if (selected !== undefined) {
      try {
        tabs.select(selected);
      } catch {
        // closed while the others opened
      }
    }
    return opened.filter((id) => id !== undefined).length;
  }

  private beginSaving(): void {
    if (this.saving || this.closed || this.disposed) return;
    this.saving = true;
    // At once: from now on the file says this run has not exited cleanly.
    this.saveNow();
  }

  private scheduleSave(): void {
    if (!this.saving || this.closed || this.disposed || this.timer !== undefined) return;
    // Not pushed back by later changes: a tab changing all the time is still saved every delay.
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.saveNow();
    }, this.options.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
  }

  private saveNow(): void {
    this.cancelTimer();
    this.lastSave = this.write(false);
  }

  private async write(cleanExit: boolean): Promise<void> {
    try {
      await this.options.store.save(this.capture(cleanExit));
      if (this.failing) this.options.report(`The session is saved again to ${this.options.store.location}.`);
      this.failing = false;
    } catch (error) {
      // Once until a save works again: a full disk must not fill the console.
      if (!this.failing)
        this.options.report(
          `The session could not be saved to ${this.options.store.location}: ${(error as Error).message}`,
        );
      this.failing = true;
    }
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private setNotice(notice: SessionNotice | undefined): void {
    if (this.notice === notice) return;
    this.notice = notice;
    this.options.log.record({ type: 'session-notice', ...(notice ? { notice } : {}) });
  }
}

function offerOf(state: SessionState): SessionNotice {
  return {
    kind: 'offer',
    tabs: state.tabs.length,
    titles: state.tabs.slice(0, OFFER_TITLES).map((tab) => tab.title),
    savedAt: state.savedAt,
  };
}

/** A history as the format allows it: entries over its URL limit left out, none left is no tab to save. */
function savable(history: SavedHistory): SavedHistory | undefined {
  const entries: string[] = [];
  let index = 0;
  for (const [at, url] of history.entries.entries()) {
    if (url.length > MAX_URL || url.length === 0) continue;
    if (at <= history.index) index = entries.length;
    entries.push(url);
  }
  return entries.length === 0 ? undefined : { entries, index };
}
