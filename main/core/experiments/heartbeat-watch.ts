/**
 * Which tabs keep ticking: every page heartbeats every 250 ms (protocol/interfaces/browser-tab.ts);
 * a gap over twice that is a missed heartbeat (the report's blast radius), and a tab with a
 * heartbeat in the last second is ticking (the steady state).
 */
import type { TabHeartbeat, TabManager } from '../tabs.ts';

export const HEARTBEAT_PERIOD_MS = 250;
/** A gap over this is at least one missed heartbeat. */
export const MISSED_GAP_MS = 2 * HEARTBEAT_PERIOD_MS;

export interface MissedTicks {
  /** Of the tabs watched, those that missed at least one heartbeat. */
  readonly tabsMissed: number;
  /** Heartbeats missed in all. */
  readonly ticksMissed: number;
}

/** Heartbeats a gap of `gapMs` stands for having missed. */
export function missedIn(gapMs: number): number {
  return gapMs > MISSED_GAP_MS ? Math.max(1, Math.round(gapMs / HEARTBEAT_PERIOD_MS) - 1) : 0;
}

export class HeartbeatWatch {
  private readonly last = new Map<string, TabHeartbeat>();
  private readonly windows = new Set<GapWindow>();
  private readonly stop: () => void;

  constructor(
    tabs: Pick<TabManager, 'onDidHeartbeat'>,
    private readonly now: () => number,
  ) {
    this.stop = tabs.onDidHeartbeat((beat) => {
      const previous = this.last.get(beat.tabId);
      this.last.set(beat.tabId, beat);
      if (previous)
        for (const window of this.windows) window.gap(beat.tabId, beat.at - Math.max(previous.at, window.from));
    });
  }

  /** The last heartbeat of `tabId`, if any. */
  lastBeat(tabId: string): TabHeartbeat | undefined {
    return this.last.get(tabId);
  }

  /** Whether `tabId` sent a heartbeat within the last `withinMs`. */
  ticking(tabId: string, withinMs = 1000): boolean {
    const beat = this.last.get(tabId);
    return beat !== undefined && this.now() - beat.at <= withinMs;
  }

  /** Starts counting missed heartbeats of `tabIds` from now; `end()` gives them (silence until then included). */
  watchGaps(tabIds: readonly string[]): { end(): MissedTicks } {
    const window = new GapWindow(new Set(tabIds), this.now());
    this.windows.add(window);
    return {
      end: () => {
        this.windows.delete(window);
        const end = this.now();
        for (const tabId of window.tabs) {
          const beat = this.last.get(tabId);
          window.gap(tabId, end - Math.max(beat?.at ?? window.from, window.from));
        }
        return { tabsMissed: window.missedTabs.size, ticksMissed: window.missed };
      },
    };
  }

  dispose(): void {
    this.stop();
    this.windows.clear();
  }
}

class GapWindow {
  missed = 0;
  readonly missedTabs = new Set<string>();
  constructor(
    readonly tabs: ReadonlySet<string>,
    readonly from: number,
  ) {}

  gap(tabId: string, gapMs: number): void {
    if (!this.tabs.has(tabId)) return;
    const missed = missedIn(gapMs);
    if (missed === 0) return;
    this.missed += missed;
    this.missedTabs.add(tabId);
  }
}
