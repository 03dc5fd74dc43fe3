/**
 * Whether each tab's page is hung, from two signals: the core's heartbeat watchdog (a page is
 * watched from its first heartbeat, so one that runs no lab script is never flagged) and the shell's
 * own signal where it has one (TabHostEvents.onDidBecomeUnresponsive: Electron's `unresponsive`).
 * A tab is unresponsive as soon as either says so, and responsive again only when both agree.
 */
import type { Clock } from './clock.ts';
import { DisposableStore } from './disposable.ts';
import { Watchdog } from './watchdog.ts';

export class TabHangWatch {
  private readonly watchdog: Watchdog;
  /** Tabs the shell itself reports hung, beside the watchdog. */
  private readonly shellHung = new Set<string>();
  private readonly subscriptions = new DisposableStore();

  /** `onChange` hears a tab become unresponsive (false) or responsive again (true). */
  constructor(
    clock: Clock,
    thresholdMs: number,
    private readonly onChange: (tabId: string, responsive: boolean) => void,
  ) {
    this.watchdog = new Watchdog(clock, { thresholdMs });
    this.subscriptions.add(this.watchdog.onDidBecomeUnresponsive((tabId) => onChange(tabId, false)));
    this.subscriptions.add(
      this.watchdog.onDidBecomeResponsive((tabId) => {
        if (!this.shellHung.has(tabId)) onChange(tabId, true);
      }),
    );
  }

  /** A heartbeat from the tab's page; its first (`first`) starts the watch. */
  heartbeat(tabId: string, first: boolean): void {
    if (first) this.watchdog.watch(tabId);
    this.watchdog.heartbeat(tabId);
  }

  /** The shell's signal: unresponsive at once; responsive again only if the heartbeats agree. */
  shellSignal(tabId: string, responsive: boolean): void {
    if (!responsive) {
      this.shellHung.add(tabId);
      this.onChange(tabId, false);
    } else if (this.shellHung.delete(tabId) && !this.watchdog.isUnresponsive(tabId)) {
      this.onChange(tabId, true);
    }
  }

  /** Wait, or a stopped script: forget the shell's flag and give the page another full threshold. */
  wait(tabId: string): void {
    this.shellHung.delete(tabId);
    this.watchdog.wait(tabId);
  }

  /** The tab no longer shows the page it watched. */
  forget(tabId: string): void {
    this.watchdog.unwatch(tabId);
    this.shellHung.delete(tabId);
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.watchdog.dispose();
  }
}
