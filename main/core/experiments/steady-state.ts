/**
 * The steady state, checked before and after a run (Chaos Toolkit's probes with tolerances): every
 * tab of the run ticking, the UI page answering, the browser process's event-loop delay and its
 * heap after GC. Tolerances hold on a loaded 2-core machine: they catch a browser in trouble, not
 * a slow one.
 */
import type { SteadyState, SteadyStateCheck } from '../../../protocol/experiments/report.ts';
import type { ExperimentHost } from './experiment-host.ts';
import type { HeartbeatWatch } from './heartbeat-watch.ts';

export const UI_ANSWER_TOLERANCE_MS = 2000;
export const EVENT_LOOP_P99_TOLERANCE_MS = 250;
/** After a run, the heap after GC may be this much over the one before (a soak asks more of itself). */
export const HEAP_GROWTH_TOLERANCE = 1.25;

export const CHECK_TICKING = 'every tab ticking';
export const CHECK_UI = 'UI answers';
export const CHECK_EVENT_LOOP = 'event-loop delay p99';
export const CHECK_HEAP = 'heap after GC';

export async function measureSteadyState(
  host: ExperimentHost,
  heartbeats: HeartbeatWatch,
  tabs: readonly string[],
  heapBefore?: number,
): Promise<SteadyState & { heap: number }> {
  const at = Date.now();
  const ticking = tabs.filter((tabId) => heartbeats.ticking(tabId, 1000)).length;
  const checks: SteadyStateCheck[] = [
    { name: CHECK_TICKING, ok: ticking === tabs.length, value: ticking, tolerance: tabs.length, unit: 'tabs' },
  ];
  let uiMs = Number.POSITIVE_INFINITY;
  try {
    uiMs = await host.uiRoundTrip();
  } catch {
    // Not answering is what the check reports.
  }
  const uiValue = Number.isFinite(uiMs) ? uiMs : -1;
  checks.push({
    name: CHECK_UI,
    ok: uiValue >= 0 && uiValue <= UI_ANSWER_TOLERANCE_MS,
    value: uiValue,
    tolerance: UI_ANSWER_TOLERANCE_MS,
    unit: 'ms',
  });
  const p99 = host.probe.eventLoopDelayP99();
  checks.push({
    name: CHECK_EVENT_LOOP,
    ok: p99 <= EVENT_LOOP_P99_TOLERANCE_MS,
    value: p99,
    tolerance: EVENT_LOOP_P99_TOLERANCE_MS,
    unit: 'ms',
  });
  const heap = await host.probe.heapUsedAfterGc();
  const heapTolerance = heapBefore === undefined ? heap : heapBefore * HEAP_GROWTH_TOLERANCE;
  checks.push({ name: CHECK_HEAP, ok: heap <= heapTolerance, value: heap, tolerance: heapTolerance, unit: 'bytes' });
  return { at, checks, heap };
}
