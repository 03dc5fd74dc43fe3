/**
 * The statistics of an experiment report, and the check every reader of a report runs first.
 * Runtime-neutral (the runner in the browser process, the HTML report page, the in-app view and
 * `experiment:compare` all import it), and deterministic: every random draw comes from a seeded
 * generator, so the same trials and seed give the same intervals on every machine.
 *
 * - Quantiles: linear interpolation between order statistics (Hyndman & Fan type 7, numpy's and
 *   R's default): `h = (n - 1) q`, `x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])`.
 * - Intervals: percentile bootstrap, 95%, `BOOTSTRAP_RESAMPLES` resamples with replacement.
 */
import { Value } from 'typebox/value';
import {
  REPORT_KIND,
  REPORT_SCHEMA_VERSION,
  Report,
  type Estimate,
  type LatencyDefinition,
  type LatencySummary,
  type Trial,
} from './report.ts';

/** Resamples per bootstrap interval: enough that the 2.5% and 97.5% tails rest on 50 draws each. */
export const BOOTSTRAP_RESAMPLES = 2000;
/** The interval's coverage. */
export const CONFIDENCE = 0.95;
/** The percentiles a report gives per latency. */
export const REPORTED_QUANTILES = { p50: 0.5, p90: 0.9, p99: 0.99 } as const;

/**
 * The q-quantile of an ascending array, by linear interpolation (numpy's default, type 7).
 * Throws on an empty array or a q outside [0, 1]: there is no honest number to give.
 */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const below = Math.floor(h);
  const lower = sorted[below]!;
  if (below === n - 1) return lower;
  const upper = sorted[below + 1]!;
  // lower + f (upper - lower) can leave [lower, upper] by rounding; clamp so q-monotonicity holds.
  return Math.min(upper, Math.max(lower, lower + (h - below) * (upper - lower)));
}

/**
 * A seeded generator of uniform numbers in [0, 1): mulberry32 (32-bit state; small, fast and good
 * enough for resampling, not for secrets). The same seed gives the same sequence everywhere.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a seed and a label (FNV-1a), so each latency and arm draws its own stream. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  return Math.imul(hash ^ Math.floor(seed / 4294967296), 0x01000193) >>> 0;
}

/**
 * A resample of ascending `sorted` with replacement, itself ascending: the draws are counted per index
 * and expanded in order, which gives what sorting the drawn values would, in O(n) rather than O(n log n).
 */
function resampleSorted(sorted: readonly number[], random: () => number): number[] {
  const n = sorted.length;
  const counts = new Uint32Array(n);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
  const sample = new Array<number>(n);
  let k = 0;
  for (let i = 0; i < n; i++) for (let c = counts[i]!; c > 0; c--) sample[k++] = sorted[i]!;
  return sample;
}

const ascending = (a: number, b: number) => a - b;

export interface BootstrapOptions {
  readonly seed: number;
  /** Default `BOOTSTRAP_RESAMPLES`. */
  readonly resamples?: number;
}

/**
 * Percentile-bootstrap 95% intervals of several statistics of one sample, from the same resamples
 * (one sort per resample serves them all). Each statistic receives a sorted sample. `value` is the
 * statistic of the sample itself; `low`/`high` the 2.5% and 97.5% quantiles of the resampled ones.
 * Throws on an empty sample.
 */
export function bootstrapIntervals(
  values: readonly number[],
  statistics: readonly ((sorted: readonly number[]) => number)[],
  { seed, resamples = BOOTSTRAP_RESAMPLES }: BootstrapOptions,
): Estimate[] {
  if (values.length === 0) throw new RangeError('bootstrap of no values');
  const sorted = [...values].sort(ascending);
  const random = seededRandom(seed);
  const draws = statistics.map(() => new Array<number>(resamples));
  for (let r = 0; r < resamples; r++) {
    const sample = resampleSorted(sorted, random);
    statistics.forEach((statistic, s) => (draws[s]![r] = statistic(sample)));
  }
  return statistics.map((statistic, s) => percentileInterval(statistic(sorted), draws[s]!));
}

/** One statistic's percentile-bootstrap 95% interval (see `bootstrapIntervals`). */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (sorted: readonly number[]) => number,
  options: BootstrapOptions,
): Estimate {
  return bootstrapIntervals(values, [statistic], options)[0]!;
}

/**
 * The difference `statistic(b) - statistic(a)` of two independent samples, with a percentile-
 * bootstrap 95% interval (both samples resampled each round), and the ratio `statistic(b) /
 * statistic(a)` with its interval the same way (absent where a resampled `statistic(a)` is 0).
 */
export function bootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  statistic: (sorted: readonly number[]) => number,
  { seed, resamples = BOOTSTRAP_RESAMPLES }: BootstrapOptions,
): { difference: Estimate; ratio?: Estimate } {
  if (a.length === 0 || b.length === 0) throw new RangeError('bootstrap difference needs values on both sides');
  const sortedA = [...a].sort(ascending);
  const sortedB = [...b].sort(ascending);
  const random = seededRandom(seed);
  const differences = new Array<number>(resamples);
  const ratios = new Array<number>(resamples);
  let ratioDefined = statistic(sortedA) !== 0;
  for (let r = 0; r < resamples; r++) {
    const statA = statistic(resampleSorted(sortedA, random));
    const statB = statistic(resampleSorted(sortedB, random));
    differences[r] = statB - statA;
    if (statA === 0) ratioDefined = false;
    else ratios[r] = statB / statA;
  }
  const statA = statistic(sortedA);
  const statB = statistic(sortedB);
  const difference = percentileInterval(statB - statA, differences);
  return ratioDefined ? { difference, ratio: percentileInterval(statB / statA, ratios) } : { difference };
}

function percentileInterval(value: number, draws: number[]): Estimate {
  draws.sort(ascending);
  const tail = (1 - CONFIDENCE) / 2;
  return { value, low: quantile(draws, tail), high: quantile(draws, 1 - tail) };
}

/** A latency's values over trials: `marks[to] - marks[from]` where the trial has both marks. */
export function latencyValues(trials: readonly Trial[], latency: LatencyDefinition): number[] {
  const values: number[] = [];
  for (const trial of trials) {
    const from = trial.marks[latency.from];
    const to = trial.marks[latency.to];
    if (from !== undefined && to !== undefined && Number.isFinite(to - from)) values.push(to - from);
  }
  return values;
}

const ARMS = ['experiment', 'control'] as const;

/**
 * Per latency and per arm present in `trials` (the experiment arm first), the count and
 * p50/p90/p99 with a bootstrap 95% interval each (absent when no trial of that arm has both marks).
 * Each latency and arm resamples from its own stream derived from `seed`, so adding a latency does
 * not change another's interval.
 */
export function summarizeLatencies(
  trials: readonly Trial[],
  latencies: readonly LatencyDefinition[],
  seed: number,
): LatencySummary[] {
  return summarizeLatencyValues(
    (latency, arm) => {
      const armTrials = trials.filter((trial) => trial.arm === arm);
      return armTrials.length === 0 ? undefined : latencyValues(armTrials, latency);
    },
    latencies,
    seed,
  );
}

/**
 * `summarizeLatencies` from values already taken out of the trials: `valuesOf(latency, arm)` gives
 * that arm's values (empty: the arm ran but no trial had both marks), or undefined when the arm ran
 * no trial. `resamples` as in BootstrapOptions.
 */
export function summarizeLatencyValues(
  valuesOf: (latency: LatencyDefinition, arm: (typeof ARMS)[number]) => readonly number[] | undefined,
  latencies: readonly LatencyDefinition[],
  seed: number,
  resamples?: number,
): LatencySummary[] {
  const summaries: LatencySummary[] = [];
  for (const latency of latencies) {
    for (const arm of ARMS) {
      const values = valuesOf(latency, arm);
      if (values === undefined) continue;
      if (values.length === 0) {
        summaries.push({ name: latency.name, arm, n: 0 });
        continue;
      }
      const [p50, p90, p99] = bootstrapIntervals(
        values,
        Object.values(REPORTED_QUANTILES).map((q) => (sorted: readonly number[]) => quantile(sorted, q)),
        { seed: deriveSeed(seed, `${latency.name}\u0000${arm}`), ...(resamples === undefined ? {} : { resamples }) },
      );
      summaries.push({ name: latency.name, arm, n: values.length, p50: p50!, p90: p90!, p99: p99! });
    }
  }
  return summaries;
}

/** One step of an empirical CDF: the share `p` of values at or below `x`. */
export interface EcdfPoint {
  readonly x: number;
  readonly p: number;
}

/** The empirical CDF of `values`: one point per distinct value, ascending, the last at p = 1. */
export function ecdf(values: readonly number[]): EcdfPoint[] {
  const sorted = values.filter(Number.isFinite).sort(ascending);
  const points: EcdfPoint[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i + 1 < sorted.length && sorted[i + 1] === sorted[i]) continue;
    points.push({ x: sorted[i]!, p: (i + 1) / sorted.length });
  }
  return points;
}

/** At most this many schema errors are listed; the rest are counted. */
const MAX_LISTED_ERRORS = 20;

/**
 * Checks that `value` is a report this code can read: the kind and schema version first (so an
 * older or newer file is refused with that reason rather than a list of field errors), then the
 * schema, then what the schema cannot say (summaries name a defined latency). Uses TypeBox's
 * interpreter, never code generation, so it runs under a page CSP without 'unsafe-eval'.
 */
export function checkReport(value: unknown): { ok: true; report: Report } | { ok: false; errors: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [`a report is a JSON object, got ${describe(value)}`] };
  }
  const { kind, schemaVersion } = value as Record<string, unknown>;
  if (kind !== REPORT_KIND) {
    return { ok: false, errors: [`not an experiment report: kind is ${describe(kind)}, expected "${REPORT_KIND}"`] };
  }
  if (schemaVersion !== REPORT_SCHEMA_VERSION) {
    return {
      ok: false,
      errors: [`schema version ${describe(schemaVersion)}, this reader knows ${REPORT_SCHEMA_VERSION}`],
    };
  }
  if (!Value.Check(Report, value)) {
    const all = Value.Errors(Report, value).map((error) => `${error.instancePath || '/'} ${error.message}`);
    const unique = [...new Set(all)];
    const listed = unique.slice(0, MAX_LISTED_ERRORS);
    if (unique.length > listed.length) listed.push(`... and ${unique.length - listed.length} more`);
    return { ok: false, errors: listed.length > 0 ? listed : ['does not match the report schema'] };
  }
  const report = value as Report;
  const errors: string[] = [];
  const names = new Set<string>();
  report.latencies.forEach((latency, i) => {
    if (names.has(latency.name)) errors.push(`/latencies/${i}/name "${latency.name}" is defined twice`);
    names.add(latency.name);
  });
  report.summaries.forEach((summary, i) => {
    if (!names.has(summary.name)) errors.push(`/summaries/${i}/name "${summary.name}" is not a defined latency`);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, report };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
