/** Every scenario the runner knows, by name; chaos draws from CHAOS_MIX. */
import type { ScenarioName } from '../../../protocol/experiments/report.ts';
import { badMessage, sameSite, tabCrash, tabKill } from './renderer-end.ts';
import type { Scenario } from './scenario.ts';
import { tabHang } from './tab-hang.ts';
import { gpuCrash, gpuFallback, pluginCrash } from './utility-faults.ts';

export const SCENARIOS: Readonly<Record<Exclude<ScenarioName, 'chaos'>, Scenario>> = {
  'tab-crash': tabCrash,
  'tab-kill': tabKill,
  'tab-hang': tabHang,
  'gpu-crash': gpuCrash,
  'gpu-fallback': gpuFallback,
  'plugin-crash': pluginCrash,
  'bad-message': badMessage,
  'same-site': sameSite,
};

/**
 * What chaos draws from: every fault a browser comes back from. Not gpu-fallback (software
 * compositing is for the browser's life, so it could be drawn once) nor same-site (tab-crash under
 * the run's process model is the same fault).
 */
export const CHAOS_MIX: readonly Scenario[] = [tabCrash, tabKill, tabHang, gpuCrash, pluginCrash, badMessage];
