// The report's statistics: quantile definition (numpy's golden values), bootstrap determinism and
// the bounds that always hold, the ECDF, per-arm latency summaries, and the report check's errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPORT_KIND, REPORT_SCHEMA_VERSION, type LatencyDefinition, type Report, type Trial } from './report.ts';
import {
  bootstrapDifference,
  bootstrapInterval,
  checkReport,
  ecdf,
  quantile,
  seededRandom,
  summarizeLatencies,
} from './stats.ts';

const sortedArray = (options: { minLength?: number; maxLength?: number } = {}) =>
  fc
    .array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200, ...options })
    .map((values) => values.sort((a, b) => a - b));
const median = (sorted: readonly number[]) => quantile(sorted, 0.5);

describe('quantile (linear interpolation, numpy default)', () => {
  it('matches numpy.quantile on known inputs', () => {
    // Printed by numpy 1.x: np.quantile(..., q) with the default method="linear".
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
    expect(
      quantile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.99,
      ),
    ).toBeCloseTo(99.01, 12);
    expect(quantile([0, 10, 30], 0.75)).toBe(20);
    expect(quantile([2.5, 7, 7, 100], 0.1)).toBeCloseTo(3.85, 12);
    expect(quantile([2.5, 7, 7, 100], 0.33)).toBeCloseTo(6.955, 12);
    expect(quantile([2.5, 7, 7, 100], 0.99)).toBeCloseTo(97.21, 12);
    expect(quantile([42], 0.3)).toBe(42);
  });

  it('is the minimum at 0 and the maximum at 1', () => {
    fc.assert(
      fc.property(sortedArray(), (sorted) => {
        expect(quantile(sorted, 0)).toBe(sorted[0]);
        expect(quantile(sorted, 1)).toBe(sorted.at(-1));
      }),
    );
  });

  it('is monotone in q and stays within [min, max]', () => {
    fc.assert(
      fc.property(
        sortedArray(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sorted, q1, q2) => {
          const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
          const a = quantile(sorted, lo);
          const b = quantile(sorted, hi);
          expect(a).toBeLessThanOrEqual(b);
          expect(a).toBeGreaterThanOrEqual(sorted[0]!);
          expect(b).toBeLessThanOrEqual(sorted.at(-1)!);
        },
      ),
    );
  });

  it('refuses an empty array and a q outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(/no values/);
    expect(() => quantile([1], 1.5)).toThrow(/\[0, 1\]/);
    expect(() => quantile([1], Number.NaN)).toThrow(/\[0, 1\]/);
  });
});

describe('seededRandom (mulberry32)', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (let i = 0; i < 50; i++) {
          const x = a();
          expect(x).toBe(b());
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it('is roughly uniform: each tenth of [0, 1) gets 10% +- 1% of 100k draws', () => {
    const random = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(random() * 10)]!++;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(1_000);
  });
});

describe('bootstrapInterval (percentile, 95%)', () => {
  it('gives the same interval for the same seed', () => {
    fc.assert(
      fc.property(sortedArray({ maxLength: 40 }), fc.integer(), (values, seed) => {
        const options = { seed, resamples: 200 };
        expect(bootstrapInterval(values, median, options)).toEqual(bootstrapInterval(values, median, options));
      }),
      { numRuns: 50 },
    );
  });

  it('has low <= high, both within [min, max] for a quantile, and the value is the sample quantile', () => {
    fc.assert(
      fc.property(
        sortedArray({ maxLength: 40 }),
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, seed, q) => {
          const estimate = bootstrapInterval(values, (sorted) => quantile(sorted, q), { seed, resamples: 200 });
          expect(estimate.value).toBe(quantile(values, q));
          expect(estimate.low).toBeLessThanOrEqual(estimate.high);
          expect(estimate.low).toBeGreaterThanOrEqual(values[0]!);
          expect(estimate.high).toBeLessThanOrEqual(values.at(-1)!);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('is a point for a constant sample, and narrows with 25x the data (same distribution, same seed)', () => {
    expect(bootstrapInterval([5, 5, 5, 5], median, { seed: 1 })).toEqual({ value: 5, low: 5, high: 5 });
    const random = seededRandom(3);
    const draw = (n: number) => Array.from({ length: n }, () => 10 + 20 * random());
    const small = bootstrapInterval(draw(40), median, { seed: 9 });
    const large = bootstrapInterval(draw(1000), median, { seed: 9 });
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  it('golden: pins the generator and resampling, so a change to either is seen', () => {
    const estimate = bootstrapInterval([12, 15, 9, 30, 22, 18, 11, 14, 40, 16], median, { seed: 42 });
    expect(estimate).toEqual(GOLDEN_MEDIAN_SEED_42);
  });
});

// Printed by this implementation (mulberry32, 2000 resamples); plausible by hand: the sample sorted is
// 9 11 12 14 15 16 18 22 30 40, and a resample's median rarely leaves its 3rd..8th values.
const GOLDEN_MEDIAN_SEED_42 = { value: 15.5, low: 12, high: 24 };

describe('bootstrapDifference', () => {
  it('is exact for constant samples, and the same for the same seed', () => {
    expect(bootstrapDifference([10, 10], [15, 15, 15], median, { seed: 1 })).toEqual({
      difference: { value: 5, low: 5, high: 5 },
      ratio: { value: 1.5, low: 1.5, high: 1.5 },
    });
    const a = [1, 4, 2, 8, 5];
    const b = [3, 9, 7, 12];
    expect(bootstrapDifference(a, b, median, { seed: 5 })).toEqual(bootstrapDifference(a, b, median, { seed: 5 }));
  });

  it('keeps the difference within [min b - max a, max b - min a], and leaves out a ratio over 0', () => {
    fc.assert(
      fc.property(sortedArray({ maxLength: 30 }), sortedArray({ maxLength: 30 }), fc.integer(), (a, b, seed) => {
        const { difference } = bootstrapDifference(a, b, median, { seed, resamples: 100 });
        expect(difference.low).toBeLessThanOrEqual(difference.high);
        expect(difference.low).toBeGreaterThanOrEqual(b[0]! - a.at(-1)!);
        expect(difference.high).toBeLessThanOrEqual(b.at(-1)! - a[0]!);
      }),
      { numRuns: 50 },
    );
    expect(bootstrapDifference([0, 0], [1, 2], median, { seed: 1 }).ratio).toBeUndefined();
  });
});

describe('ecdf', () => {
  it('has one point per distinct value, x and p strictly rising, p = share at or below x, ending at 1', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 100 }), (values) => {
        const points = ecdf(values);
        expect(points).toHaveLength(new Set(values).size);
        expect(points.at(-1)!.p).toBe(1);
        for (let i = 1; i < points.length; i++) {
          expect(points[i]!.x).toBeGreaterThan(points[i - 1]!.x);
          expect(points[i]!.p).toBeGreaterThan(points[i - 1]!.p);
        }
        for (const { x, p } of points) expect(p).toBe(values.filter((v) => v <= x).length / values.length);
      }),
    );
    expect(ecdf([])).toEqual([]);
    expect(ecdf([3, 1, 3, 2])).toEqual([
      { x: 1, p: 0.25 },
      { x: 2, p: 0.5 },
      { x: 3, p: 1 },
    ]);
  });
});

const CRASH_TO_SAD_TAB: LatencyDefinition = {
  name: 'crash-to-sad-tab',
  from: 'injected',
  to: 'uiPainted',
  description: 'fault injected to the sad tab painted',
};
const RELOAD_TO_TICK: LatencyDefinition = {
  name: 'reload-to-tick',
  from: 'reloadAsked',
  to: 'firstTick',
  description: 'reload asked to the first live tick',
};

function trial(index: number, arm: Trial['arm'], marks: Trial['marks']): Trial {
  return {
    index,
    arm,
    scenario: 'tab-crash',
    startedAt: 1_700_000_000_000 + index * 1000,
    marks,
    blastRadius: { otherTabs: 2, otherTabsMissedTicks: 0, ticksMissed: 0, processesDied: [] },
    ok: true,
    notes: [],
  };
}

describe('summarizeLatencies', () => {
  const trials = [
    trial(0, 'experiment', { injected: 0, uiPainted: 30, reloadAsked: 100, firstTick: 300 }),
    trial(1, 'experiment', { injected: 5, uiPainted: 25 }),
    trial(2, 'experiment', { injected: 0, uiPainted: 50, reloadAsked: 100, firstTick: 250 }),
    trial(3, 'control', { injected: 0, uiPainted: 4 }),
    trial(4, 'control', { injected: 0 }),
  ];

  it('gives per latency and arm the count of trials with both marks and the sample percentiles', () => {
    const summaries = summarizeLatencies(trials, [CRASH_TO_SAD_TAB, RELOAD_TO_TICK], 1);
    expect(summaries.map(({ name, arm, n }) => [name, arm, n])).toEqual([
      ['crash-to-sad-tab', 'experiment', 3],
      ['crash-to-sad-tab', 'control', 1],
      ['reload-to-tick', 'experiment', 2],
      ['reload-to-tick', 'control', 0],
    ]);
    // crash-to-sad-tab, experiment: 30, 20, 50 -> sorted 20, 30, 50.
    expect(summaries[0]!.p50!.value).toBe(30);
    expect(summaries[0]!.p90!.value).toBeCloseTo(46, 12);
    expect(summaries[1]!.p50).toEqual({ value: 4, low: 4, high: 4 });
    expect(summaries[3]!.p50).toBeUndefined();
  });

  it('is deterministic per seed, and one latency does not depend on which others are summarized', () => {
    const both = summarizeLatencies(trials, [CRASH_TO_SAD_TAB, RELOAD_TO_TICK], 7);
    expect(summarizeLatencies(trials, [CRASH_TO_SAD_TAB, RELOAD_TO_TICK], 7)).toEqual(both);
    expect(summarizeLatencies(trials, [RELOAD_TO_TICK], 7)).toEqual(both.slice(2));
  });

  it('leaves out an arm that has no trials', () => {
    const summaries = summarizeLatencies(trials.slice(0, 3), [CRASH_TO_SAD_TAB], 1);
    expect(summaries.map((summary) => summary.arm)).toEqual(['experiment']);
  });
});

function minimalReport(): Report {
  const trials = [trial(0, 'experiment', { injected: 0, uiPainted: 30 })];
  return {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: 'tab-crash-test',
    scenario: 'tab-crash',
    hypothesis: 'a crashed tab shows a sad tab and reloads; the others keep ticking',
    seed: 1,
    options: { trials: 1, tabs: 3, control: false },
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_001_000,
    interrupted: false,
    environment: {
      platform: 'linux',
      arch: 'x64',
      cpuModel: 'test cpu',
      cores: 2,
      kernel: '6.0',
      node: 'v20.19.0',
      shell: 'chromium',
      browserVersion: 'Chromium 156',
      processModel: 'process-per-tab',
      sandbox: { enabled: false, reason: 'running as root' },
    },
    clockNote: 'all marks on the browser clock',
    latencies: [CRASH_TO_SAD_TAB],
    steadyState: { before: { at: 1_700_000_000_000, checks: [] } },
    trials,
    summaries: summarizeLatencies(trials, [CRASH_TO_SAD_TAB], 1),
    verdict: { holds: true, reasons: [] },
  };
}

describe('checkReport', () => {
  it('accepts a valid report, also after a JSON round trip', () => {
    const report = minimalReport();
    expect(checkReport(report)).toEqual({ ok: true, report });
    expect(checkReport(JSON.parse(JSON.stringify(report)))).toMatchObject({ ok: true });
  });

  it('names the schema version it cannot read before anything else', () => {
    expect(checkReport({ ...minimalReport(), schemaVersion: 2, trials: 'nonsense' })).toEqual({
      ok: false,
      errors: ['schema version 2, this reader knows 1'],
    });
    expect(checkReport({ ...minimalReport(), schemaVersion: undefined })).toEqual({
      ok: false,
      errors: ['schema version missing, this reader knows 1'],
    });
  });

  it('refuses what is not a report, saying what it got', () => {
    expect(checkReport(null)).toEqual({ ok: false, errors: ['a report is a JSON object, got null'] });
    expect(checkReport([1])).toEqual({ ok: false, errors: ['a report is a JSON object, got an array'] });
    expect(checkReport({ kind: 'something-else' })).toEqual({
      ok: false,
      errors: [`not an experiment report: kind is "something-else", expected "${REPORT_KIND}"`],
    });
  });

  it('lists schema errors with their paths, and summaries of undefined latencies', () => {
    const wrongTrial = minimalReport();
    (wrongTrial.trials[0] as unknown as Record<string, unknown>).arm = 'treatment';
    const wrong = checkReport(wrongTrial);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.errors.some((error) => error.startsWith('/trials/0/arm'))).toBe(true);

    const extra = checkReport({ ...minimalReport(), surprise: 1 });
    expect(extra.ok).toBe(false);

    const orphan = minimalReport();
    orphan.summaries[0] = { ...orphan.summaries[0]!, name: 'nobody-defined-me' };
    expect(checkReport(orphan)).toEqual({
      ok: false,
      errors: ['/summaries/0/name "nobody-defined-me" is not a defined latency'],
    });
  });
});
