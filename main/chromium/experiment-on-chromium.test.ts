// The experiment runner on the real Chromium shell (startChromiumShell, headless): tab-crash with
// 3 trials per arm on real renderer processes; the report passes the schema check and says what
// happened. Needs the built UI (npm test builds first).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReport } from '../../protocol/experiments/stats.ts';
import { startExperiment } from '../core/experiments/runner.ts';
import { startExperimentShell } from './experiment-host.ts';

const root = path.resolve(import.meta.dirname, '../..');
let started: Awaited<ReturnType<typeof startExperimentShell>>;

beforeAll(async () => {
  started = await startExperimentShell({ root, scenario: 'tab-crash' });
}, 60_000);
afterAll(async () => {
  await started?.close();
}, 30_000);

describe('the experiment runner on the Chromium shell', () => {
  it('runs tab-crash: every trial crashed, painted, reloaded; the report validates', async () => {
    const run = startExperiment(started.host, { scenario: 'tab-crash', trials: 3, tabs: 3, seed: 7 });
    const landed: number[] = [];
    run.onDidFinishTrial((trial) => landed.push(trial.index));
    const report = await run.done;
    const checked = checkReport(JSON.parse(JSON.stringify(report)));
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(landed).toHaveLength(6);

    const experiment = report.trials.filter((trial) => trial.arm === 'experiment');
    const control = report.trials.filter((trial) => trial.arm === 'control');
    expect(experiment).toHaveLength(3);
    expect(control).toHaveLength(3);
    for (const trial of experiment) {
      expect(trial.notes).toEqual([]);
      expect(trial.exit?.reason).toBe('crashed');
      const { injected, observed, coreKnew, uiPainted, reloadAsked, firstTick } = trial.marks;
      // The order of the moments, each after the one before (same clock).
      expect(injected).toBeDefined();
      expect(observed!).toBeGreaterThanOrEqual(injected!);
      expect(coreKnew!).toBeGreaterThanOrEqual(observed!);
      expect(uiPainted!).toBeGreaterThan(coreKnew!);
      expect(reloadAsked!).toBeGreaterThanOrEqual(uiPainted!);
      expect(firstTick!).toBeGreaterThan(reloadAsked!);
      // Only the target's renderer ended.
      expect(trial.blastRadius.processesDied.map((death) => death.expected)).toEqual([true]);
      expect(trial.blastRadius.otherTabs).toBe(2);
    }
    for (const trial of control) {
      expect(trial.marks.observed).toBeUndefined();
      expect(trial.marks.firstTick).toBeDefined();
      expect(trial.blastRadius.processesDied).toEqual([]);
    }
    expect(report.steadyState.before.checks.map((check) => check.name)).toEqual([
      'every tab ticking',
      'UI answers',
      'event-loop delay p99',
      'heap after GC',
    ]);
    expect(report.steadyState.after).toBeDefined();
    const sadTab = report.summaries.find(
      (summary) => summary.name === 'fault-to-sad-tab' && summary.arm === 'experiment',
    );
    expect(sadTab?.n).toBe(3);
    expect(report.environment.shell).toBe('chromium');
    expect(report.environment.browserVersion).toMatch(/^Chromium \d+/);
    expect(report.interrupted).toBe(false);
    // The run closed the tabs it opened.
    expect(started.shell.browser.tabs.list()).toEqual([]);
  }, 90_000);
});
