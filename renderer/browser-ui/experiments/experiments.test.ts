import { describe, expect, it } from 'vitest';
import type { ExperimentLatency, ExperimentTrialRow } from '../../../protocol/interfaces/ui-browser.ts';
import {
  blastRadius,
  defaultForm,
  exitLabel,
  formatMs,
  isActive,
  latencyOf,
  plannedTrials,
  plotPoints,
  plottedLatency,
  requestFromForm,
  SCENARIO_NAMES,
  SCENARIOS,
  statusLine,
  type Experiment,
} from './experiments.ts';

const CRASH_TO_SAD_TAB = {
  name: 'crash-to-sad-tab',
  from: 'injected',
  to: 'uiPainted',
  description: 'fault to sad tab painted',
} as unknown as ExperimentLatency;

function row(
  index: number,
  arm: ExperimentTrialRow['arm'],
  marks: ExperimentTrialRow['marks'],
  extra: Partial<ExperimentTrialRow> = {},
): ExperimentTrialRow {
  return {
    index,
    arm,
    scenario: 'tab-crash',
    startedAt: 0,
    marks,
    ok: true,
    otherTabsMissedTicks: 0,
    ticksMissed: 0,
    processesDied: 0,
    ...extra,
  };
}

function experiment(parts: Partial<Experiment>): Experiment {
  return {
    id: 'run-1',
    request: { scenario: 'tab-crash', trials: 2, tabs: 3, seed: 1 },
    state: 'running',
    hypothesis: 'h',
    trialsDone: 0,
    trials: [],
    latencies: [CRASH_TO_SAD_TAB],
    summaries: [],
    interrupted: false,
    ...parts,
  };
}

describe('the scenario picker', () => {
  it('offers every scenario of the report schema, each with a one-line hypothesis', () => {
    expect(SCENARIO_NAMES).toContain('chaos');
    expect(SCENARIO_NAMES).toHaveLength(9);
    for (const name of SCENARIO_NAMES) {
      expect(SCENARIOS[name].hypothesis).toMatch(/^[A-Z].+\.$/);
      expect(SCENARIOS[name].hypothesis).not.toContain('\n');
    }
  });
});

describe('requestFromForm', () => {
  it('makes the request the browser checks, faults only for chaos', () => {
    const form = { ...defaultForm(() => 0.5), trials: '2', tabs: '3' };
    expect(form.seed).toBe(String(0x8000_0000));
    expect(requestFromForm(form)).toEqual({
      ok: true,
      request: { scenario: 'tab-crash', trials: 2, tabs: 3, seed: 0x8000_0000, control: true },
    });
    expect(requestFromForm({ ...form, scenario: 'chaos', faults: '50', control: false })).toMatchObject({
      ok: true,
      request: { scenario: 'chaos', faults: 50, control: false },
    });
  });

  it('refuses a half-typed or out-of-range field with the shared check’s words', () => {
    for (const [field, value] of [
      ['trials', ''],
      ['trials', '2.5'],
      ['tabs', '0'],
      ['seed', '-3'],
      ['seed', '99999999999'],
    ] as const) {
      const result = requestFromForm({ ...defaultForm(), [field]: value });
      expect(result.ok, `${field}=${value}`).toBe(false);
      if (!result.ok) expect(result.errors.join(' '), `${field}=${value}`).toContain(field);
    }
    expect(requestFromForm({ ...defaultForm(), scenario: 'chaos', faults: 'x' }).ok).toBe(false);
  });
});

describe('progress', () => {
  it('says what is happening, with trials out of those planned (control arm twice)', () => {
    expect(statusLine(undefined, false)).toMatch(/no experiment runner/);
    expect(statusLine(undefined, true)).toMatch(/Pick a scenario/);
    expect(statusLine(experiment({ trialsDone: 1 }), true)).toBe('Running Tab crash: 1 of 4 trials');
    expect(statusLine(experiment({ state: 'stopping', trialsDone: 1 }), true)).toMatch(/^Stopping/);
    expect(statusLine(experiment({ state: 'done', trialsDone: 4, verdict: { holds: true, reasons: [] } }), true)).toBe(
      'Done: the hypothesis held, 4 of 4 trials',
    );
    expect(
      statusLine(
        experiment({ state: 'done', interrupted: true, trialsDone: 1, verdict: { holds: false, reasons: ['x'] } }),
        true,
      ),
    ).toBe('Done (stopped): the hypothesis did not hold, 1 of 4 trials');
    expect(statusLine(experiment({ state: 'failed', error: 'disk full' }), true)).toBe('Failed: disk full');
    expect(plannedTrials({ scenario: 'chaos', trials: 1, faults: 50, tabs: 3, seed: 1, control: false })).toBe(50);
    expect(plannedTrials({ scenario: 'chaos', trials: 5, faults: 50, tabs: 3, seed: 1 })).toBe(55);
    expect([isActive('running'), isActive('writing'), isActive('done'), isActive(undefined)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('measures each trial’s latency between its marks, and plots only the trials that have both', () => {
    const trials = [
      row(0, 'experiment', { injected: 2, uiPainted: 40.5 }),
      row(1, 'control', { ended: 3 }),
      row(2, 'experiment', { injected: 0, uiPainted: 61 }, { ok: false, note: 'a tab missed ticks' }),
    ];
    expect(latencyOf(trials[0]!, CRASH_TO_SAD_TAB)).toBe(38.5);
    expect(latencyOf(trials[1]!, CRASH_TO_SAD_TAB)).toBeUndefined();
    expect(plotPoints(trials, CRASH_TO_SAD_TAB)).toEqual([
      { index: 0, arm: 'experiment', ms: 38.5, ok: true },
      { index: 2, arm: 'experiment', ms: 61, ok: false },
    ]);
    expect(plotPoints(trials, undefined)).toEqual([]);
    const observed = { ...CRASH_TO_SAD_TAB, name: 'fault-to-observed', to: 'observed' } as unknown as ExperimentLatency;
    expect(plottedLatency([observed, CRASH_TO_SAD_TAB], undefined)).toBe(CRASH_TO_SAD_TAB);
    expect(plottedLatency([observed, CRASH_TO_SAD_TAB], 'fault-to-observed')).toBe(observed);
    expect(plottedLatency([observed], 'gone')).toBe(observed);
    expect(plottedLatency([], undefined)).toBeUndefined();
  });

  it('formats times, exits and the blast radius (the target’s own end not counted)', () => {
    expect([formatMs(undefined), formatMs(3.14), formatMs(38.5), formatMs(1240)]).toEqual([
      '—',
      '3.1 ms',
      '39 ms',
      '1.24 s',
    ]);
    const crashed = row(
      0,
      'experiment',
      {},
      { exit: { reason: 'crashed', code: 'RESULT_CODE_CRASHED' }, processesDied: 1 },
    );
    expect(exitLabel(crashed)).toBe('crashed · RESULT_CODE_CRASHED');
    expect(blastRadius(crashed)).toBe('none');
    expect(blastRadius({ ...crashed, processesDied: 3, otherTabsMissedTicks: 2, ticksMissed: 5 })).toBe(
      '2 tabs missed 5 ticks · 2 other processes ended',
    );
    expect(blastRadius(row(1, 'control', {}, { processesDied: 1 }))).toBe('1 other process ended');
  });
});
