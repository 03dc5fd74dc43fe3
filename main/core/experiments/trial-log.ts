/**
 * Where a run keeps its trials: every finished trial goes to a journal (a file in the shells,
 * main/node/trial-journal-file.ts), and the run keeps in memory only what it shows while it runs —
 * the newest trials, each latency's values per arm, the failed trials' first notes. So a 1,000-fault
 * soak does not grow the heap it judges by its own records (~1 KB each as objects), and the live
 * summaries are recomputed only when a trial lands, with fewer resamples than the final report's.
 */
import type { LatencyDefinition, LatencySummary, Trial } from '../../../protocol/experiments/report.ts';
import { latencyValues, summarizeLatencyValues } from '../../../protocol/experiments/stats.ts';

/** An append-only record of a run's trials, read back whole for the final report. */
export interface TrialJournal {
  append(trial: Trial): void;
  /** Every trial appended, in order (after the appends so far are written). */
  readAll(): Promise<Trial[]>;
  /** Removes what it kept (after the report is written, or the run failed). */
  dispose(): Promise<void>;
}

/** The journal when the shell gives none (tests on fakes): trials kept in memory. */
export function memoryTrialJournal(): TrialJournal {
  const trials: Trial[] = [];
  return {
    append: (trial) => void trials.push(trial),
    readAll: async () => [...trials],
    dispose: async () => void trials.splice(0),
  };
}

/** How many of the newest trials `report()` carries while a run goes (the view shows at most 200). */
export const RECENT_TRIALS = 200;
/** Resamples of the live summaries' intervals (the final report uses BOOTSTRAP_RESAMPLES, 2,000). */
export const LIVE_RESAMPLES = 200;
/** Failed experiment trials whose first note the verdict quotes. */
const QUOTED_FAILURES = 5;

export class TrialLog {
  private readonly recentTrials: Trial[] = [];
  private readonly values = new Map<string, number[]>();
  private readonly quoted: string[] = [];
  private readonly arms = new Map<string, number>();
  private summaries: { count: number; value: LatencySummary[] } = { count: 0, value: [] };
  count = 0;
  experimentTrials = 0;
  failedExperimentTrials = 0;

  constructor(
    private readonly journal: TrialJournal,
    private readonly latencies: readonly LatencyDefinition[],
    private readonly seed: number,
  ) {}

  add(trial: Trial): void {
    this.journal.append(trial);
    this.count++;
    this.arms.set(trial.arm, (this.arms.get(trial.arm) ?? 0) + 1);
    this.recentTrials.push(trial);
    if (this.recentTrials.length > RECENT_TRIALS) this.recentTrials.shift();
    for (const latency of this.latencies) {
      const [value] = latencyValues([trial], latency);
      if (value === undefined) continue;
      const key = valuesKey(latency.name, trial.arm);
      const list = this.values.get(key);
      if (list) list.push(value);
      else this.values.set(key, [value]);
    }
    if (trial.arm !== 'experiment') return;
    this.experimentTrials++;
    if (trial.ok) return;
    this.failedExperimentTrials++;
    if (this.quoted.length < QUOTED_FAILURES) this.quoted.push(`#${trial.index} ${trial.notes[0] ?? ''}`);
  }

  /** The newest trials (at most RECENT_TRIALS). */
  recent(): Trial[] {
    return [...this.recentTrials];
  }

  /** The first failed experiment trials, `#index first note` each. */
  failures(): readonly string[] {
    return this.quoted;
  }

  /** Summaries so far, with LIVE_RESAMPLES; recomputed only after a trial landed. */
  liveSummaries(): LatencySummary[] {
    if (this.summaries.count !== this.count)
      this.summaries = { count: this.count, value: this.summarize(LIVE_RESAMPLES) };
    return this.summaries.value;
  }

  /** The final summaries (the default resamples) and every trial, from the journal. */
  async final(): Promise<{ trials: Trial[]; summaries: LatencySummary[] }> {
    return { trials: await this.journal.readAll(), summaries: this.summarize() };
  }

  dispose(): Promise<void> {
    return this.journal.dispose();
  }

  private summarize(resamples?: number): LatencySummary[] {
    return summarizeLatencyValues(
      // An arm with no trial is left out; one whose trials lack the marks gets n = 0.
      (latency, arm) => (this.arms.has(arm) ? (this.values.get(valuesKey(latency.name, arm)) ?? []) : undefined),
      this.latencies,
      this.seed,
      resamples,
    );
  }
}

const valuesKey = (name: string, arm: string) => `${name}\u0000${arm}`;
