/**
 * What the report's plots and tables show, worked out from a report: plain data, no DOM, so the
 * in-app Experiments view and the tests share it with the HTML report.
 */
import { ecdf } from '../../protocol/experiments/stats.ts';
import type { Estimate, LatencyDefinition, MarkName, Report, Trial } from '../../protocol/experiments/report.ts';
import { MARK_NAMES } from '../../protocol/experiments/report.ts';

export type Arm = Trial['arm'];
/** The experiment arm first: it is what the report is about; the control beside it. */
export const ARMS: readonly Arm[] = ['experiment', 'control'];

/** One latency value of one trial. */
export interface LatencyPoint {
  readonly ms: number;
  readonly arm: Arm;
  readonly trial: number;
}

/** A latency's values over the report's trials, per arm: `marks[to] - marks[from]` where both exist. */
export function latencyPoints(trials: readonly Trial[], latency: LatencyDefinition): LatencyPoint[] {
  const points: LatencyPoint[] = [];
  for (const trial of trials) {
    const from = trial.marks[latency.from];
    const to = trial.marks[latency.to];
    if (from !== undefined && to !== undefined) points.push({ ms: to - from, arm: trial.arm, trial: trial.index });
  }
  return points;
}

/** One step of an arm's ECDF. */
export interface EcdfRow {
  readonly x: number;
  readonly p: number;
  readonly arm: Arm;
}

/** Each arm's empirical CDF of a latency, the arms concatenated. */
export function ecdfRows(points: readonly LatencyPoint[]): EcdfRow[] {
  return ARMS.flatMap((arm) =>
    ecdf(points.filter((point) => point.arm === arm).map((point) => point.ms)).map(({ x, p }) => ({ x, p, arm })),
  );
}

/** At most this many trials get a lane in the timeline (a soak's 1000 fit; 100,000 would not draw). */
export const MAX_TIMELINE_TRIALS = 2000;

export interface TimelineLane {
  readonly trial: number;
  readonly arm: Arm;
  readonly ok: boolean;
  readonly start: number;
  readonly end: number;
}
export interface TimelineMark {
  readonly trial: number;
  readonly mark: MarkName;
  readonly t: number;
}

/** A lane per trial from its first mark to its last, and a dot per mark; the first MAX_TIMELINE_TRIALS. */
export function timelineRows(trials: readonly Trial[]): {
  lanes: TimelineLane[];
  marks: TimelineMark[];
  shown: number;
  total: number;
} {
  const shown = trials.slice(0, MAX_TIMELINE_TRIALS);
  const lanes: TimelineLane[] = [];
  const marks: TimelineMark[] = [];
  for (const trial of shown) {
    const times: number[] = [];
    for (const mark of MARK_NAMES) {
      const t = trial.marks[mark];
      if (t === undefined) continue;
      marks.push({ trial: trial.index, mark, t });
      times.push(t);
    }
    if (times.length > 0) {
      lanes.push({
        trial: trial.index,
        arm: trial.arm,
        ok: trial.ok,
        start: Math.min(0, ...times),
        end: Math.max(...times),
      });
    }
  }
  return { lanes, marks, shown: shown.length, total: trials.length };
}

/** "12.3 ms (95% CI 10.1-15.0)", or a dash when there is no estimate. */
export function formatEstimate(estimate: Estimate | undefined): string {
  if (!estimate) return '–';
  return `${formatMs(estimate.value)} (${formatMs(estimate.low, false)}–${formatMs(estimate.high)})`;
}

/** Milliseconds, three significant figures or whole numbers. */
export function formatMs(ms: number, unit = true): string {
  const text = Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2);
  return unit ? `${text} ms` : text;
}

/** Blast radius per arm: what faults did beyond their target. */
export interface BlastRow {
  readonly arm: Arm;
  readonly trials: number;
  /** Trials where at least one other tab missed a heartbeat. */
  readonly trialsWithMissedTicks: number;
  readonly ticksMissed: number;
  /** Process deaths the trial's fault was not meant to cause. */
  readonly unexpectedDeaths: readonly { trial: number; id: string; kind: string; reason: string }[];
}

export function blastRows(trials: readonly Trial[]): BlastRow[] {
  return ARMS.map((arm) => {
    const own = trials.filter((trial) => trial.arm === arm);
    return {
      arm,
      trials: own.length,
      trialsWithMissedTicks: own.filter((trial) => trial.blastRadius.otherTabsMissedTicks > 0).length,
      ticksMissed: own.reduce((sum, trial) => sum + trial.blastRadius.ticksMissed, 0),
      unexpectedDeaths: own.flatMap((trial) =>
        trial.blastRadius.processesDied
          .filter((death) => !death.expected)
          .map((death) => ({ trial: trial.index, id: death.id, kind: death.kind, reason: death.reason })),
      ),
    };
  }).filter((row) => row.trials > 0);
}

/** The latencies that have at least one value, in the report's order. */
export function drawnLatencies(report: Report): { latency: LatencyDefinition; points: LatencyPoint[] }[] {
  return report.latencies
    .map((latency) => ({ latency, points: latencyPoints(report.trials, latency) }))
    .filter(({ points }) => points.length > 0);
}
