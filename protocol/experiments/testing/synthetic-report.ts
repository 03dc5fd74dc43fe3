/**
 * SYNTHETIC experiment reports, for tests only: seeded made-up numbers shaped like a tab-crash run,
 * so the viewer, the writer and `experiment:compare` can be tested without running an experiment.
 * Every report made here says so in its id, hypothesis and clock note. Real reports come from the
 * runner (main/core/experiments/).
 */
import { REPORT_KIND, REPORT_SCHEMA_VERSION, type LatencyDefinition, type Report, type Trial } from '../report.ts';
import { seededRandom, summarizeLatencies } from '../stats.ts';

export const SYNTHETIC_LATENCIES: LatencyDefinition[] = [
  {
    name: 'crash-to-observed',
    from: 'injected',
    to: 'observed',
    description: 'fault injected to CDP reporting the end',
  },
  { name: 'crash-to-core', from: 'injected', to: 'coreKnew', description: 'fault injected to the core recording it' },
  { name: 'crash-to-sad-tab', from: 'injected', to: 'uiPainted', description: 'fault injected to the sad tab painted' },
  {
    name: 'reload-to-first-tick',
    from: 'reloadAsked',
    to: 'firstTick',
    description: 'reload asked to the first live tick',
  },
];

export interface SyntheticOptions {
  readonly seed?: number;
  /** Per arm. */
  readonly trials?: number;
  readonly control?: boolean;
  /** Every latency multiplied by this (a "slower build" for compare tests). */
  readonly scale?: number;
  readonly interrupted?: boolean;
  readonly soak?: boolean;
  /** Trials (experiment arm) that fail: an unexpected death and a note. */
  readonly failures?: number;
}

/** A valid report of made-up numbers (checkReport accepts it), the same for the same options. */
export function syntheticReport(options: SyntheticOptions = {}): Report {
  const { seed = 1, trials = 30, control = true, scale = 1, interrupted = false, soak = false, failures = 0 } = options;
  const random = seededRandom(seed);
  // Right-skewed, as latencies are: a median times e^(noise).
  const skewed = (median: number) => scale * median * Math.exp(0.45 * (random() + random() + random() - 1.5));
  const startedAt = 1_764_700_000_000 + seed * 1000;
  const all: Trial[] = [];
  const arms: Trial['arm'][] = control ? ['experiment', 'control'] : ['experiment'];
  for (const arm of arms) {
    for (let i = 0; i < trials; i++) {
      const index = all.length;
      const fault = arm === 'experiment';
      const observed = fault ? skewed(10) : undefined;
      const coreKnew = observed !== undefined ? observed + skewed(1.5) : undefined;
      const uiPainted = coreKnew !== undefined ? coreKnew + skewed(18) : undefined;
      const reloadAsked = (uiPainted ?? skewed(5)) + 50;
      const firstTick = reloadAsked + (fault ? skewed(190) : skewed(12));
      const failed = fault && i < failures;
      all.push({
        index,
        arm,
        scenario: 'tab-crash',
        startedAt: startedAt + index * 2000,
        marks: { injected: 0, observed, coreKnew, uiPainted, reloadAsked, firstTick, ended: firstTick + 5 },
        exit: fault ? { reason: 'crashed', code: 'SIGSEGV' } : undefined,
        blastRadius: {
          otherTabs: 2,
          otherTabsMissedTicks: failed ? 1 : 0,
          ticksMissed: failed ? 3 : 0,
          processesDied: [
            ...(fault
              ? [{ id: `renderer-${index + 1}`, kind: 'renderer' as const, reason: 'crashed' as const, expected: true }]
              : []),
            ...(failed
              ? [
                  {
                    id: `renderer-${index + 100}`,
                    kind: 'renderer' as const,
                    reason: 'killed' as const,
                    expected: false,
                  },
                ]
              : []),
          ],
        },
        ok: !failed,
        notes: failed ? ['another renderer ended during the trial (synthetic failure)'] : [],
      });
    }
  }
  // Drop the undefined marks, as JSON would.
  const trialsOut = JSON.parse(JSON.stringify(all)) as Trial[];
  return {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: `synthetic-tab-crash-${seed}`,
    scenario: 'tab-crash',
    hypothesis:
      'SYNTHETIC test data. A crashed tab shows a sad tab and reloads to a live tick; the other tabs keep ticking.',
    seed,
    options: { trials, tabs: 3, control, ...(soak ? { faults: trials } : {}) },
    startedAt,
    endedAt: startedAt + all.length * 2000,
    interrupted,
    environment: {
      platform: 'linux',
      arch: 'x64',
      cpuModel: 'Synthetic CPU',
      cores: 2,
      kernel: '6.1.0-synthetic',
      node: 'v20.19.0',
      shell: 'chromium',
      browserVersion: 'Chromium 156.0.0.0 (synthetic)',
      processModel: 'process-per-tab',
      sandbox: { enabled: false, reason: 'running as root' },
      loadAverage: [1.5, 1.2, 0.9],
    },
    clockNote: 'SYNTHETIC: made-up marks, no clocks involved.',
    latencies: SYNTHETIC_LATENCIES,
    steadyState: {
      before: {
        at: startedAt,
        checks: [
          { name: 'every other tab ticking', ok: true, value: 2, tolerance: 2, unit: 'tabs' },
          { name: 'event-loop delay p99', ok: true, value: 12, tolerance: 50, unit: 'ms' },
        ],
      },
      ...(interrupted
        ? {}
        : {
            after: {
              at: startedAt + all.length * 2000,
              checks: [
                { name: 'every other tab ticking', ok: true, value: 2, tolerance: 2, unit: 'tabs' },
                {
                  name: 'event-loop delay p99',
                  ok: failures === 0,
                  value: failures ? 80 : 14,
                  tolerance: 50,
                  unit: 'ms',
                },
              ],
            },
          }),
    },
    trials: trialsOut,
    summaries: summarizeLatencies(trialsOut, SYNTHETIC_LATENCIES, seed),
    ...(soak
      ? {
          soak: {
            faults: trials,
            detectedAndNamed: trials,
            recovered: trials - failures,
            tabsLost: 0,
            orphanPids: [],
            browserAlive: true,
            heapGrowth: 1.02,
          },
        }
      : {}),
    verdict: {
      holds: failures === 0 && !interrupted,
      reasons: [
        ...(failures ? [`${failures} trials had an unexpected process death (synthetic)`] : []),
        ...(interrupted ? ['interrupted before every trial ran'] : []),
      ],
    },
  };
}
