/**
 * The chaos soak's bookkeeping (the reliability proof): every pid the run saw, and at the end which
 * of them still live though the app no longer has them (orphans), tabs lost, the browser alive, and
 * the heap after GC at the end over the start.
 */
import type { SoakSummary } from '../../../protocol/experiments/report.ts';
import type { Browser } from '../browser.ts';
import type { HostProbe } from './experiment-host.ts';

/** Collects every pid the registry ever names during the run. */
export class PidLedger {
  private readonly seen = new Set<number>();
  private readonly stop: () => void;

  constructor(private readonly browser: Browser) {
    for (const info of browser.registry.list()) if (info.pid !== undefined) this.seen.add(info.pid);
    this.stop = browser.log.onDidRecord((event) => {
      if ('process' in event && event.process.pid !== undefined) this.seen.add(event.process.pid);
      if (event.type === 'tab-changed' && event.tab.pid !== undefined) this.seen.add(event.tab.pid);
    });
  }

  get pids(): readonly number[] {
    return [...this.seen];
  }

  /** Pids seen that are still alive and not one of the app's live processes. */
  orphans(probe: HostProbe, appPids: readonly number[]): number[] {
    const live = new Set(appPids);
    for (const info of this.browser.registry.list()) {
      if (info.pid !== undefined && ['starting', 'running', 'unresponsive'].includes(info.state)) live.add(info.pid);
    }
    for (const tab of this.browser.tabs.list()) if (tab.pid !== undefined && tab.state !== 'crashed') live.add(tab.pid);
    return this.pids.filter((pid) => !live.has(pid) && probe.isAlive(pid));
  }

  dispose(): void {
    this.stop();
  }
}

export interface SoakCounts {
  faults: number;
  detectedAndNamed: number;
  recovered: number;
}

export function soakSummary(
  counts: SoakCounts,
  tabsLost: number,
  orphanPids: readonly number[],
  browserAlive: boolean,
  heapBefore: number,
  heapAfter: number,
  /** The same two with V8's compiled code counted. */
  withCode?: { before: number; after: number },
): SoakSummary {
  return {
    faults: counts.faults,
    detectedAndNamed: counts.detectedAndNamed,
    recovered: counts.recovered,
    tabsLost,
    orphanPids: orphanPids.slice(0, 4096),
    browserAlive,
    heapGrowth: heapBefore > 0 ? heapAfter / heapBefore : 1,
    ...(withCode && withCode.before > 0 ? { heapGrowthWithCode: withCode.after / withCode.before } : {}),
  };
}

/**
 * The heap the soak's growth is judged from (runner.ts soakWarmUp): the heap after GC once the
 * warm-up's faults are done, taken again once the event log's bounded history is full, so bounded
 * buffers reaching their size and the JIT warming up are not counted as growth. Until a baseline
 * is taken, the run's starting heap.
 */
export class SoakHeapBaseline {
  private heap: number | undefined;
  private fullLog = false;

  constructor(private readonly warmUpFaults: number) {}

  /** After each fault: measures the heap (`heapAfterGc`) when a baseline is due. */
  async afterFault(faults: number, logFull: boolean, heapAfterGc: () => Promise<number>): Promise<void> {
    if (faults < this.warmUpFaults) return;
    if (this.heap !== undefined && (this.fullLog || !logFull)) return;
    this.heap = await heapAfterGc();
    this.fullLog = logFull;
  }

  /** Whether the baseline was taken with the event log's history full (else its filling is in the growth). */
  get withFullLog(): boolean {
    return this.fullLog;
  }

  /** The baseline, or `start` if no fault ended the warm-up. */
  from(start: number): number {
    return this.heap ?? start;
  }
}

/** What the soak must show, one line per failure (empty: it held). The heap may grow under 5 % (issue 15). */
export const SOAK_HEAP_GROWTH_LIMIT = 1.05;

/** `judgeHeap` false: the growth was measured while a bounded history still filled (the steady state's heap check judges it). */
export function soakFailures(soak: SoakSummary, judgeHeap = true): string[] {
  const failures: string[] = [];
  if (soak.detectedAndNamed < soak.faults)
    failures.push(`${soak.faults - soak.detectedAndNamed} of ${soak.faults} faults not detected and named right`);
  if (soak.recovered < soak.faults)
    failures.push(`${soak.faults - soak.recovered} of ${soak.faults} faults not recovered from`);
  if (soak.tabsLost > 0) failures.push(`${soak.tabsLost} tabs lost`);
  if (soak.orphanPids.length > 0) failures.push(`orphan processes: ${soak.orphanPids.join(', ')}`);
  if (!soak.browserAlive) failures.push('the browser process is not alive and answering');
  if (judgeHeap && soak.heapGrowth >= SOAK_HEAP_GROWTH_LIMIT)
    failures.push(
      `heap after GC grew ${((soak.heapGrowth - 1) * 100).toFixed(1)} % (limit ${((SOAK_HEAP_GROWTH_LIMIT - 1) * 100).toFixed(0)} %)`,
    );
  return failures;
}
