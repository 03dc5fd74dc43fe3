/**
 * The data every candidate draws: what an experiment report's plots show, in one neutral shape,
 * made from a seeded generator (synthetic, for the benchmark only). Imported by the bench script
 * (Node) and bundled into each candidate's page (`browser/`), so no DOM or Node types here.
 */
export interface EcdfSeries {
  readonly latency: string;
  /** Step points per arm: the share `p` of trials at or below `x` ms. */
  readonly points: readonly { x: number; p: number; arm: 'experiment' | 'control' }[];
}

export interface HistogramSeries {
  readonly latency: string;
  readonly values: readonly { ms: number; arm: 'experiment' | 'control' }[];
}

export interface TimelineData {
  /** One lane per trial, from its first mark to its last. */
  readonly lanes: readonly { trial: number; start: number; end: number }[];
  readonly marks: readonly { trial: number; mark: string; t: number }[];
}

export interface ChartData {
  readonly ecdfs: readonly EcdfSeries[];
  readonly histograms: readonly HistogramSeries[];
  readonly timeline: TimelineData;
}

/** What one timed draw reports to the benchmark. */
export interface DrawMeasurement {
  readonly evalMs: number;
  readonly drawMs: number;
  /** Sections holding an <svg> or <canvas>. */
  readonly plots: number;
  readonly violations: string[];
  readonly failed: string;
}

const LATENCIES = ['crash-to-observed', 'crash-to-sad-tab', 'reload-to-first-tick'];
const MARKS = ['injected', 'observed', 'coreKnew', 'uiPainted', 'reloadAsked', 'firstTick'];

/** mulberry32: the benchmark's data is the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ecdfPoints(values: number[], arm: 'experiment' | 'control') {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.map((x, i) => ({ x, p: (i + 1) / sorted.length, arm }));
}

/** `trials` per arm; latencies log-normal-ish around 10-250 ms, the control arm much faster. */
export function syntheticChartData(trials: number, seed = 1): ChartData {
  const next = random(seed);
  const skewed = (median: number) => median * Math.exp(0.5 * (next() + next() + next() - 1.5));
  const ecdfs: EcdfSeries[] = [];
  const histograms: HistogramSeries[] = [];
  LATENCIES.forEach((latency, i) => {
    const experiment = Array.from({ length: trials }, () => skewed([12, 40, 220][i]!));
    const control = Array.from({ length: trials }, () => skewed([2, 5, 20][i]!));
    ecdfs.push({ latency, points: [...ecdfPoints(experiment, 'experiment'), ...ecdfPoints(control, 'control')] });
    histograms.push({
      latency,
      values: [
        ...experiment.map((ms) => ({ ms, arm: 'experiment' as const })),
        ...control.map((ms) => ({ ms, arm: 'control' as const })),
      ],
    });
  });
  const lanes: { trial: number; start: number; end: number }[] = [];
  const marks: { trial: number; mark: string; t: number }[] = [];
  for (let trial = 0; trial < trials; trial++) {
    let t = 0;
    for (const mark of MARKS) {
      marks.push({ trial, mark, t });
      t += skewed(mark === 'uiPainted' ? 100 : 15);
    }
    lanes.push({ trial, start: 0, end: marks.at(-1)!.t });
  }
  return { ecdfs, histograms, timeline: { lanes, marks } };
}

/** Bins for the libraries without a binning transform: 20 equal bins over both arms. */
export function binned(series: HistogramSeries, bins = 20) {
  const all = series.values.map((v) => v.ms);
  const min = Math.min(...all);
  const width = (Math.max(...all) - min) / bins || 1;
  const counts = { experiment: new Array<number>(bins).fill(0), control: new Array<number>(bins).fill(0) };
  for (const { ms, arm } of series.values) counts[arm][Math.min(bins - 1, Math.floor((ms - min) / width))]!++;
  return { starts: Array.from({ length: bins }, (_, i) => min + i * width), width, counts };
}
