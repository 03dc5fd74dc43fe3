/**
 * Bringing tabs back after a fault: reload (or navigate) a tab and wait for its new page's first
 * heartbeat; and after every trial, every tab of the run that is crashed or hung, so the next trial
 * starts from a steady state.
 */
import type { TrialContext } from './scenario.ts';
import { expectEvent, until } from './waiting.ts';

/** How long a reloaded tab may take to tick again (a cold renderer is ~200 ms; a loaded machine far more). */
export const FIRST_TICK_TIMEOUT_MS = 10_000;

/**
 * Reloads the target (or loads `url` in it), marking reloadAsked and the new page's firstTick.
 * Returns whether it ticked.
 */
export async function reloadUntilTick(context: TrialContext, url?: string): Promise<boolean> {
  const { browser, clock, trial, target } = context;
  let asked = false;
  const first = expectEvent(clock, browser.tabs.onDidHeartbeat, (beat) => asked && beat.tabId === target);
  try {
    trial.mark('reloadAsked');
    asked = true;
    // Leaving the old page is synchronous: no heartbeat of it arrives after this.
    const loading = url === undefined ? browser.tabs.reload(target) : browser.tabs.navigate(target, url);
    await loading;
    const beat = await first.next(FIRST_TICK_TIMEOUT_MS);
    if (!beat) {
      trial.fail(`the reloaded tab did not tick within ${FIRST_TICK_TIMEOUT_MS} ms`);
      return false;
    }
    trial.mark('firstTick', beat.at);
    return true;
  } catch (error) {
    trial.fail(`reloading failed: ${(error as Error).message}`);
    return false;
  } finally {
    first.dispose();
  }
}

/** Brings back every run tab that is not live (crashed: reload; hung: Stop); returns those that did not come back. */
export async function recoverTabs(context: Omit<TrialContext, 'target' | 'trial' | 'fault'>): Promise<string[]> {
  const { browser, clock, heartbeats, tabs } = context;
  const pending: Promise<void>[] = [];
  const since = clock.now();
  const brought = new Set<string>();
  for (const tabId of tabs) {
    const info = browser.tabs.get(tabId);
    if (!info) continue;
    if (info.state === 'crashed' || info.state === 'unresponsive') brought.add(tabId);
    if (info.state === 'crashed') pending.push(browser.tabs.reload(tabId).catch(() => {}));
    else if (info.state === 'unresponsive') pending.push(browser.tabs.stop(tabId).catch(() => {}));
  }
  await Promise.all(pending);
  // A tab brought back ticks after it was; the others tick as before.
  const back = (tabId: string) =>
    brought.has(tabId) ? (heartbeats.lastBeat(tabId)?.at ?? -Infinity) >= since : heartbeats.ticking(tabId, 1000);
  await until(clock, () => tabs.every((tabId) => !browser.tabs.get(tabId) || back(tabId)), FIRST_TICK_TIMEOUT_MS);
  return tabs.filter((tabId) => !browser.tabs.get(tabId) || browser.tabs.get(tabId)!.state !== 'live' || !back(tabId));
}
