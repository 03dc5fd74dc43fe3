// What the report's plots and tables are drawn from, on synthetic reports (made-up numbers).
import { describe, expect, it } from 'vitest';
import { syntheticReport, SYNTHETIC_LATENCIES } from '../../protocol/experiments/testing/synthetic-report.ts';
import {
  blastRows,
  drawnLatencies,
  ecdfRows,
  formatEstimate,
  latencyPoints,
  MAX_TIMELINE_TRIALS,
  timelineRows,
} from './report-data.ts';

describe('report data', () => {
  const report = syntheticReport({ trials: 12, failures: 2 });

  it('takes a latency from the trials that have both marks, per arm', () => {
    const sadTab = latencyPoints(report.trials, SYNTHETIC_LATENCIES[2]!);
    // The control arm injects no fault: it has no sad tab.
    expect(sadTab.filter((p) => p.arm === 'experiment')).toHaveLength(12);
    expect(sadTab.filter((p) => p.arm === 'control')).toHaveLength(0);
    for (const point of sadTab) {
      const trial = report.trials[point.trial]!;
      expect(point.ms).toBe(trial.marks.uiPainted! - trial.marks.injected!);
    }
    const reload = latencyPoints(report.trials, SYNTHETIC_LATENCIES[3]!);
    expect(new Set(reload.map((p) => p.arm))).toEqual(new Set(['experiment', 'control']));
  });

  it('gives each arm its own ECDF, ending at 1', () => {
    const rows = ecdfRows(latencyPoints(report.trials, SYNTHETIC_LATENCIES[3]!));
    for (const arm of ['experiment', 'control'] as const) {
      const own = rows.filter((row) => row.arm === arm);
      expect(own.at(-1)!.p).toBe(1);
      expect(own.map((row) => row.x)).toEqual([...own.map((row) => row.x)].sort((a, b) => a - b));
    }
  });

  it('draws only latencies with values, in the report order', () => {
    expect(drawnLatencies(report).map(({ latency }) => latency.name)).toEqual(SYNTHETIC_LATENCIES.map((l) => l.name));
    const noMarks = { ...report, trials: report.trials.map((trial) => ({ ...trial, marks: {} })) };
    expect(drawnLatencies(noMarks)).toEqual([]);
  });

  it('lays a lane per trial from its first mark to its last, at most MAX_TIMELINE_TRIALS', () => {
    const { lanes, marks, shown, total } = timelineRows(report.trials);
    expect(lanes).toHaveLength(24);
    expect(shown).toBe(total);
    for (const lane of lanes) {
      const own = marks.filter((mark) => mark.trial === lane.trial).map((mark) => mark.t);
      expect(lane.end).toBe(Math.max(...own));
    }
    const many = syntheticReport({ trials: MAX_TIMELINE_TRIALS, control: true });
    const capped = timelineRows(many.trials);
    expect(capped.shown).toBe(MAX_TIMELINE_TRIALS);
    expect(capped.total).toBe(2 * MAX_TIMELINE_TRIALS);
  });

  it('counts the blast radius per arm, listing only unexpected deaths', () => {
    const [experiment, control] = blastRows(report.trials);
    expect(experiment).toMatchObject({ arm: 'experiment', trials: 12, trialsWithMissedTicks: 2, ticksMissed: 6 });
    expect(experiment!.unexpectedDeaths.map((death) => death.reason)).toEqual(['killed', 'killed']);
    expect(control).toMatchObject({ arm: 'control', trials: 12, trialsWithMissedTicks: 0, unexpectedDeaths: [] });
  });

  it('formats an estimate with its interval', () => {
    expect(formatEstimate({ value: 12.345, low: 9.5, high: 130 })).toBe('12.3 ms (9.50–130 ms)');
    expect(formatEstimate(undefined)).toBe('–');
  });
});
