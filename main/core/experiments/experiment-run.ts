/**
 * One experiment as the browser process runs it: the contract between the runner (which injects
 * faults and measures) and its three ways in — `npm run experiment`, the Experiments view, the e2e
 * suite — so that the same code measures in all three.
 */
import type { Report, ScenarioName } from '../../../protocol/experiments/report.ts';

export interface ExperimentRequest {
  readonly scenario: ScenarioName;
  /** Trials per arm (the control arm runs as many, with no fault). */
  readonly trials: number;
  /** Tabs open during each trial: the target and the others whose ticks measure the blast radius. */
  readonly tabs: number;
  /** Chaos only: how many faults to inject. */
  readonly faults?: number;
  /** Every random choice of the run comes from it. */
  readonly seed: number;
  /** Run the control arm (default true). */
  readonly control?: boolean;
}

export interface ExperimentRun {
  readonly id: string;
  readonly request: ExperimentRequest;
  /**
   * The report so far: the newest trials (at most 200) and live summaries; `verdict`, every trial and
   * the final intervals only once `done` settles.
   */
  report(): Report;
  /** Listens for each trial as it lands; returns the unsubscribe. */
  onDidFinishTrial(listener: (trial: Report['trials'][number]) => void): () => void;
  /** Settles with the final report, also when stopped (then `interrupted: true`, what was measured kept). */
  readonly done: Promise<Report>;
  /** Stops after the current step, cleans up what the run opened, and settles `done`. */
  stop(): void;
}
