/**
 * A scenario: what it claims (hypothesis), which latencies it reports, and one trial's steps, run
 * with or without the fault (the control arm does the same steps with no fault).
 */
import type { LatencyDefinition, ScenarioName } from '../../../protocol/experiments/report.ts';
import type { Browser } from '../browser.ts';
import type { Clock } from '../clock.ts';
import type { ExperimentHost } from './experiment-host.ts';
import type { HeartbeatWatch } from './heartbeat-watch.ts';
import type { TrialRecorder } from './trial-recorder.ts';

export interface TrialContext {
  readonly host: ExperimentHost;
  readonly browser: Browser;
  readonly clock: Clock;
  readonly heartbeats: HeartbeatWatch;
  readonly trial: TrialRecorder;
  /** The tab the fault is aimed at (selected, so its sad tab or dialog is what the UI paints). */
  readonly target: string;
  /** Every tab the run opened, the target included. */
  readonly tabs: readonly string[];
  /** false: the control arm (the same steps, no fault). */
  readonly fault: boolean;
}

/** What the soak counts of a trial. */
export interface TrialOutcome {
  /** The fault's end (or hang) was seen and named with the reason expected. */
  readonly detectedAndNamed: boolean;
  /** Everything the fault took down came back (a live tick after reload, a restarted process). */
  readonly recovered: boolean;
}

export interface Scenario {
  readonly name: Exclude<ScenarioName, 'chaos'>;
  readonly hypothesis: string;
  readonly latencies: readonly LatencyDefinition[];
  /** Whether the fault aimed at `target` is meant to end process `processId`. */
  expectedToEnd(browser: Browser, target: string, processId: string): boolean;
  run(context: TrialContext): Promise<TrialOutcome>;
  /** The most trials per arm one browser can give (gpu-fallback: one, software compositing is for good). */
  readonly maxTrials?: number;
  /** Needs this many tabs at least. */
  readonly minTabs?: number;
}

export function latency(
  name: string,
  from: LatencyDefinition['from'],
  to: LatencyDefinition['to'],
  description: string,
): LatencyDefinition {
  return { name, from, to, description };
}
