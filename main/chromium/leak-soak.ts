/**
 * The leak soak (issue 19, "No leaks") on the real Chromium shell: open and close `tabs` tabs, each
 * to its first heartbeat, and crash-and-reload one tab `crashes` times (Page.crash and SIGKILL in
 * turn, as the experiments inject them), interleaved. Measured once after a warm-up (the event
 * log's bounded history full, the JIT warm, the spare renderer in use) and again at the end:
 * - the heap after GC with V8's compiled code aside (HostProbe, as the chaos soak judges it; also
 *   reported with the code), which may grow under 5 %;
 * - Node's active handles and requests by type, which must not end above where they started;
 * - listeners on the process object and on every emitter reachable from the shell and from the
 *   objects behind the handles (the core's emitters, sockets, child processes), which must not end
 *   above where they started;
 * - every pid the run saw (the registry's, and the browser process's descendants sampled
 *   throughout): none may be alive at the end unless the app still has it;
 * - no MaxListenersExceededWarning and no unhandled rejection during the run.
 * `npm run soak:leaks` runs 1,000 and 200 (scripts/soak-leaks.ts); leak-soak-on-chromium.test.ts a scaled run.
 */
import { DEFAULT_HISTORY } from '../core/event-log.ts';
import { PidLedger, SOAK_HEAP_GROWTH_LIMIT } from '../core/experiments/soak.ts';
import type { ExperimentHost } from '../core/experiments/experiment-host.ts';
import { expectEvent, sleep, until } from '../core/experiments/waiting.ts';
import {
  activeResourceCounts,
  countListeners,
  activeHandleOwners,
  countsAbove,
  descendantPids,
  processListenerCounts,
  type Counts,
} from '../node/resource-census.ts';
import type { ChromiumShell } from './shell.ts';

export interface LeakSoakRequest {
  /** Tabs opened (each to its first heartbeat) and closed after the warm-up. */
  readonly tabs: number;
  /** Crash-and-reloads of one tab after the warm-up, spread among the tabs. */
  readonly crashes: number;
  /** Before the baseline: at least this many of each (default 5 % of the run, at least 10 tabs and 3 crashes). */
  readonly warmUp?: { readonly tabs: number; readonly crashes: number };
  /** After every operation: how many of `total` are done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Ends the run after the current operation; it is then reported as interrupted. */
  readonly signal?: AbortSignal;
}

/** What was measured at one moment. */
export interface LeakSnapshot {
  /** Heap used after a full GC, bytes. */
  readonly heap: number;
  /** Of it, V8's compiled code (code spaces), bytes. */
  readonly code: number;
  readonly handles: Counts;
  readonly listeners: { readonly total: number; readonly byEmitter: Counts; readonly emitters: number };
  /** The browser process's descendants. */
  readonly children: number;
}

export interface LeakSoakReport {
  readonly request: { readonly tabs: number; readonly crashes: number };
  readonly warmUp: { readonly tabs: number; readonly crashes: number };
  readonly done: { readonly tabs: number; readonly crashes: number };
  readonly interrupted: boolean;
  readonly durationMs: number;
  readonly baseline: LeakSnapshot;
  readonly end: LeakSnapshot;
  /** End over baseline, V8's compiled code aside (judged) and with it (reported). */
  readonly heapGrowth: number;
  readonly heapGrowthWithCode: number;
  /** Handle types above the baseline at the end (after up to SETTLE_MS). */
  readonly handlesAbove: Counts;
  /** Listener counts above the baseline at the end (after up to SETTLE_MS), by emitter. */
  readonly listenersAbove: Counts;
  /**
   * Every listener count that differs at the end, end minus baseline: fewer is no leak (the warm-up's
   * last HTTP connections closing after the baseline), reported all the same.
   */
  readonly listenersChanged: Counts;
  /** Pids the run saw. */
  readonly pidsSeen: number;
  /** Pids seen that are alive at the end though the app no longer has them. */
  readonly leftoverPids: readonly number[];
  /** Operations that did not complete (a tab that never ticked, a crash not reported…), first 20. */
  readonly operationFailures: readonly string[];
  readonly operationFailureCount: number;
  /** MaxListenersExceededWarning and unhandled rejections during the run. */
  readonly warnings: readonly string[];
  readonly unhandledRejections: readonly string[];
  /** The browser process's heap over the run: after GC, code aside, every `tabs / 10` tabs. */
  readonly heapTrend: readonly { readonly tabs: number; readonly crashes: number; readonly heap: number }[];
}

/** A tab's first heartbeat, or a crashed tab's end: on a loaded machine a cold renderer has taken seconds. */
const STEP_TIMEOUT_MS = 15_000;
/** How long handles and listeners may take to return after the last operation (timers of closed tabs run out). */
export const SETTLE_MS = 10_000;
const PAGE = 'lab://live';
const KEEP_ALIVE_SETTLE_MS = 6000;
/** Of the operations, the share that may fail (time out under load) with the run still judged. */
export const MAX_FAILED_SHARE = 0.1;

export async function runLeakSoak(
  shell: ChromiumShell,
  host: ExperimentHost,
  request: LeakSoakRequest,
): Promise<LeakSoakReport> {
  const { browser } = shell;
  const { clock } = browser;
  const started = clock.now();
  const warmUp = request.warmUp ?? {
    tabs: Math.max(10, Math.round(request.tabs * 0.05)),
    crashes: Math.max(3, Math.round(request.crashes * 0.05)),
  };
  const failures: string[] = [];
  let failureCount = 0;
  const fail = (what: string) => {
    failureCount++;
    if (failures.length < 20) failures.push(what);
  };
  const warnings: string[] = [];
  const rejections: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning.message);
  };
  const onRejection = (reason: unknown) => rejections.push(String((reason as Error)?.stack ?? reason));
  process.on('warning', onWarning);
  process.on('unhandledRejection', onRejection);
  const ledger = new PidLedger(browser);
  const treeSeen = new Set<number>();
  const sampleTree = () => {
    for (const pid of descendantPids()) treeSeen.add(pid);
  };

  const crashTab = (await browser.tabs.open(PAGE)).id;
  const done = { tabs: 0, crashes: 0 };
  const warm = { tabs: 0, crashes: 0 };
  const total = warmUp.tabs + warmUp.crashes + request.tabs + request.crashes;
  let operations = 0;
  const progress = () => request.onProgress?.(++operations, total);

  /** The crash tab live before a crash (a load can fail on a loaded machine: then it is reloaded, and that counts as a failure). */
  async function crashTabLive(): Promise<boolean> {
    const live = () => browser.tabs.get(crashTab)?.state === 'live';
    if (await until(clock, live, STEP_TIMEOUT_MS, 10)) return true;
    fail(`the crash-and-reload tab was not live within ${STEP_TIMEOUT_MS} ms: reloaded`);
    await browser.tabs.reload(crashTab).catch(() => {});
    return until(clock, live, STEP_TIMEOUT_MS, 10);
  }

  async function openAndClose(): Promise<void> {
    const beaten = new Set<string>();
    const stop = browser.tabs.onDidFirstHeartbeat((tabId) => beaten.add(tabId));
    try {
      const tab = await browser.tabs.open(PAGE);
      if (!(await until(clock, () => beaten.has(tab.id), STEP_TIMEOUT_MS, 10)))
        fail(`${tab.id} did not tick within ${STEP_TIMEOUT_MS} ms`);
      await browser.tabs.close(tab.id);
    } catch (error) {
      fail(`opening and closing a tab: ${(error as Error).message}`);
    } finally {
      stop();
    }
  }

  let crashes = 0;
  async function crashAndReload(): Promise<void> {
    const kill = crashes++ % 2 === 1;
    const gone = expectEvent(clock, browser.tabs.onDidRendererGone, (end) => end.tabId === crashTab);
    const beaten = new Set<string>();
    const stop = browser.tabs.onDidFirstHeartbeat((tabId) => beaten.add(tabId));
    try {
      if (!(await crashTabLive())) return;
      if (kill) browser.tabs.kill(crashTab);
      else browser.tabs.crash(crashTab);
      const end = await gone.next(STEP_TIMEOUT_MS);
      if (!end) fail(`${kill ? 'killing' : 'crashing'} the tab was not reported within ${STEP_TIMEOUT_MS} ms`);
      else if (end.reason !== (kill ? 'killed' : 'crashed')) fail(`a ${kill ? 'kill' : 'crash'} named ${end.reason}`);
      await browser.tabs.reload(crashTab);
      if (!(await until(clock, () => beaten.has(crashTab), STEP_TIMEOUT_MS, 10)))
        fail(`the reloaded tab did not tick within ${STEP_TIMEOUT_MS} ms`);
    } catch (error) {
      fail(`crash and reload: ${(error as Error).message}`);
    } finally {
      gone.dispose();
      stop();
    }
  }

  /** `tabs` open-and-closes with `crashes` crash-and-reloads spread among them. */
  async function mix(
    tabs: number,
    crashCount: number,
    counted: { tabs: number; crashes: number },
    everyTenth?: () => Promise<void>,
  ) {
    const steps = tabs + crashCount;
    for (let step = 0; step < steps && !request.signal?.aborted; step++) {
      // Crashes at even spacing: step k is a crash when it passes the next multiple of steps / crashCount.
      const isCrash =
        crashCount > 0 &&
        counted.crashes < crashCount &&
        Math.floor(((step + 1) * crashCount) / steps) > counted.crashes;
      if (isCrash) {
        await crashAndReload();
        counted.crashes++;
      } else {
        await openAndClose();
        counted.tabs++;
        if (everyTenth && counted.tabs % Math.max(1, Math.round(tabs / 10)) === 0) await everyTenth();
      }
      if (step % 10 === 0) sampleTree();
      progress();
    }
  }

  const measure = async (): Promise<LeakSnapshot> => {
    const heap = await host.probe.heapUsedAfterGc();
    const code = host.probe.compiledCodeBytes?.() ?? 0;
    const listeners = listenerCensus(shell);
    return {
      heap,
      code,
      handles: activeResourceCounts(),
      listeners: { total: listeners.total, byEmitter: listeners.byEmitter, emitters: listeners.emitters },
      children: descendantPids().length,
    };
  };

  try {
    await mix(warmUp.tabs, warmUp.crashes, warm);
    // More tabs until bounded histories are full (the event log's 500 events): their filling is not growth.
    for (let extra = 0; extra < 200 && browser.log.history().length < DEFAULT_HISTORY; extra++) {
      await openAndClose();
      warm.tabs++;
    }
    await settle(shell);
    sampleTree();
    // Processes that live as long as the app and never had a tab (Chromium's zygotes, tsx's esbuild
    // service): the registry never names them, so they are not judged by it; everything else is.
    const named = new Set(ledger.pids);
    const standing = new Set(descendantPids().filter((pid) => !named.has(pid)));
    const baseline = await measure();
    const heapTrend: { tabs: number; crashes: number; heap: number }[] = [];
    await mix(request.tabs, request.crashes, done, async () => {
      const heap = await host.probe.heapUsedAfterGc();
      heapTrend.push({ tabs: done.tabs, crashes: done.crashes, heap: heap - (host.probe.compiledCodeBytes?.() ?? 0) });
    });
    sampleTree();
    await settle(shell);
    // Timers a closed tab left (its no-heartbeat grace, a hang watch) run out: give them SETTLE_MS.
    const baselineListeners = { ...baseline.listeners.byEmitter, ...processListenerCounts() };
    const sameAsBaseline = () => {
      const listeners = { ...listenerCensus(shell).byEmitter, ...processListenerCounts() };
      return (
        Object.keys(countsAbove(baseline.handles, activeResourceCounts())).length === 0 &&
        Object.keys(countsAbove(baselineListeners, listeners)).length === 0
      );
    };
    await until(clock, sameAsBaseline, SETTLE_MS, 250);
    const end = await measure();
    const endListeners = { ...end.listeners.byEmitter, ...processListenerCounts() };
    const appPids = new Set(await host.appPids?.());
    const heapGrowth = (end.heap - end.code) / (baseline.heap - baseline.code);
    return {
      request: { tabs: request.tabs, crashes: request.crashes },
      warmUp: warm,
      done,
      interrupted: request.signal?.aborted ?? false,
      durationMs: clock.now() - started,
      baseline,
      end,
      heapGrowth,
      heapGrowthWithCode: end.heap / baseline.heap,
      handlesAbove: countsAbove(baseline.handles, end.handles),
      listenersAbove: countsAbove(baselineListeners, endListeners),
      listenersChanged: countsChanged(baselineListeners, endListeners),
      pidsSeen: new Set([...ledger.pids, ...treeSeen]).size,
      leftoverPids: leftovers(shell, host, ledger, treeSeen, new Set([...appPids, ...standing])),
      operationFailures: failures,
      operationFailureCount: failureCount,
      warnings,
      unhandledRejections: rejections,
      heapTrend,
    };
  } finally {
    ledger.dispose();
    process.off('warning', onWarning);
    process.off('unhandledRejection', onRejection);
    await browser.tabs.close(crashTab).catch(() => {});
  }
}

/**
 * Waits until no tab is loading and the spare renderer (if on) is ready, then past the app server's
 * keep-alive timeout (Node's 5 s): Chromium's idle HTTP connections to it close, as do their sockets'
 * listeners, and late timers (a tab's no-heartbeat grace) run out.
 */
async function settle(shell: ChromiumShell): Promise<void> {
  const { browser } = shell;
  await until(
    browser.clock,
    () =>
      browser.tabs.list().every((tab) => tab.state === 'live') &&
      (!browser.tabs.spare.supported || browser.tabs.spare.current?.ready === true),
    STEP_TIMEOUT_MS,
    50,
  );
  await sleep(browser.clock, KEEP_ALIVE_SETTLE_MS);
}

/** From the shell, and from every object holding a handle (sockets, servers, child processes, timers): what closures hide, these reach. */
function listenerCensus(shell: ChromiumShell) {
  return countListeners({ shell, handles: activeHandleOwners() });
}

/** Keys whose count differs, end minus start. */
function countsChanged(before: Counts, after: Counts): Counts {
  const changed: Counts = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const difference = (after[key] ?? 0) - (before[key] ?? 0);
    if (difference !== 0) changed[key] = difference;
  }
  return changed;
}

/** Seen pids alive now that are not the app's: neither in its registry, a live tab's, nor Chromium's own. */
function leftovers(
  shell: ChromiumShell,
  host: ExperimentHost,
  ledger: PidLedger,
  treeSeen: ReadonlySet<number>,
  appPids: ReadonlySet<number>,
): number[] {
  const fromRegistry = ledger.orphans(host.probe, [...appPids]);
  const live = new Set(appPids);
  for (const info of shell.browser.registry.list())
    if (info.pid !== undefined && ['starting', 'running', 'unresponsive'].includes(info.state)) live.add(info.pid);
  for (const tab of shell.browser.tabs.list()) if (tab.pid !== undefined) live.add(tab.pid);
  const current = new Set(descendantPids());
  const fromTree = [...treeSeen].filter((pid) => current.has(pid) && !live.has(pid) && host.probe.isAlive(pid));
  return [...new Set([...fromRegistry, ...fromTree])].sort((a, b) => a - b);
}

/** What the soak must show, one line per failure (empty: no leak). */
export function leakSoakFailures(report: LeakSoakReport): string[] {
  const failures: string[] = [];
  if (report.heapGrowth >= SOAK_HEAP_GROWTH_LIMIT)
    failures.push(
      `heap after GC (compiled code aside) grew ${((report.heapGrowth - 1) * 100).toFixed(1)} % (limit ${((SOAK_HEAP_GROWTH_LIMIT - 1) * 100).toFixed(0)} %)`,
    );
  if (Object.keys(report.handlesAbove).length > 0)
    failures.push(`handles above the baseline: ${JSON.stringify(report.handlesAbove)}`);
  if (Object.keys(report.listenersAbove).length > 0)
    failures.push(`listeners above the baseline: ${JSON.stringify(report.listenersAbove)}`);
  if (report.leftoverPids.length > 0) failures.push(`processes left over: ${report.leftoverPids.join(', ')}`);
  // A step that timed out on a loaded machine is the other tests' business (experiments, e2e); the leak
  // judgement only needs most steps done: more than 1 in 10 failed and the run measured too little.
  const operations = report.done.tabs + report.done.crashes + report.warmUp.tabs + report.warmUp.crashes;
  if (report.operationFailureCount > operations * MAX_FAILED_SHARE)
    failures.push(
      `${report.operationFailureCount} of ${operations} operations failed, too many to judge: ${report.operationFailures.join('; ')}`,
    );
  for (const warning of report.warnings) failures.push(`MaxListenersExceededWarning: ${warning}`);
  for (const rejection of report.unhandledRejections) failures.push(`unhandled rejection: ${rejection}`);
  if (report.interrupted) failures.push('interrupted before the end');
  return failures;
}
