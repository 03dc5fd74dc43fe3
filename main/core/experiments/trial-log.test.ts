import { describe, expect, it } from 'vitest';
import { summarizeLatencies } from '../../../protocol/experiments/stats.ts';
import { SYNTHETIC_LATENCIES, syntheticReport } from '../../../protocol/experiments/testing/synthetic-report.ts';
import { memoryTrialJournal, RECENT_TRIALS, TrialLog } from './trial-log.ts';

// SYNTHETIC trials (made-up numbers): what is under test is the bookkeeping, not a measurement.
const { trials } = syntheticReport({ trials: 150, failures: 7, seed: 3 });

describe('TrialLog', () => {
  it('gives the final report every trial and the same summaries as summarizing them all', async () => {
    const log = new TrialLog(memoryTrialJournal(), SYNTHETIC_LATENCIES, 11);
    for (const trial of trials) log.add(trial);
    const final = await log.final();
    expect(final.trials).toEqual(trials);
    expect(final.summaries).toEqual(summarizeLatencies(trials, SYNTHETIC_LATENCIES, 11));
  });

  it('keeps only the newest trials in memory, and counts and quotes the failed ones', () => {
    const log = new TrialLog(memoryTrialJournal(), SYNTHETIC_LATENCIES, 11);
    for (const trial of trials) log.add(trial);
    expect(log.recent()).toEqual(trials.slice(-RECENT_TRIALS));
    expect([log.count, log.experimentTrials, log.failedExperimentTrials]).toEqual([300, 150, 7]);
    expect(log.failures()).toHaveLength(5);
    expect(log.failures()[0]).toMatch(/^#0 \S/);
  });

  it('recomputes the live summaries only when a trial landed; their counts and medians are the final ones', async () => {
    const log = new TrialLog(memoryTrialJournal(), SYNTHETIC_LATENCIES, 11);
    for (const trial of trials.slice(0, 40)) log.add(trial);
    const live = log.liveSummaries();
    expect(log.liveSummaries()).toBe(live);
    log.add(trials[40]!);
    expect(log.liveSummaries()).not.toBe(live);
    const final = summarizeLatencies(trials.slice(0, 41), SYNTHETIC_LATENCIES, 11);
    expect(log.liveSummaries().map((summary) => [summary.name, summary.arm, summary.n, summary.p50?.value])).toEqual(
      final.map((summary) => [summary.name, summary.arm, summary.n, summary.p50?.value]),
    );
  });
});
