// The chaos soak, short (issue 15: 50 faults in npm test, 1000 by hand): a seeded mix of tab crash,
// kill, hang, GPU crash, plugin host crash and bad message on the real Chromium shell. Afterwards
// every fault was detected and named right, every tab came back, no pid the run saw is left alive
// outside the app, no tab is lost, the browser answers and its heap after GC grew under 5 % (from
// once the event log's bounded history is full: runner.ts soakWarmUp).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReport } from '../../protocol/experiments/stats.ts';
import { startExperiment } from '../core/experiments/runner.ts';
import { startExperimentShell } from './experiment-host.ts';

const root = path.resolve(import.meta.dirname, '../..');
const FAULTS = 50;
let started: Awaited<ReturnType<typeof startExperimentShell>>;

beforeAll(async () => {
  started = await startExperimentShell({ root, scenario: 'chaos' });
}, 60_000);
afterAll(async () => {
  await started?.close();
}, 30_000);

describe('the chaos soak on the Chromium shell', () => {
  it(`${FAULTS} faults: detected, named, recovered, nothing orphaned or lost, the heap within tolerance`, async () => {
    const run = startExperiment(started.host, { scenario: 'chaos', faults: FAULTS, trials: 0, tabs: 2, seed: 2026 });
    const report = await run.done;
    const checked = checkReport(JSON.parse(JSON.stringify(report)));
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    const drawn = new Set(report.trials.map((trial) => trial.scenario));
    // The seed draws every kind of fault in 50.
    expect([...drawn].sort()).toEqual([
      'bad-message',
      'gpu-crash',
      'plugin-crash',
      'tab-crash',
      'tab-hang',
      'tab-kill',
    ]);
    const notOk = report.trials
      .filter((trial) => !trial.ok)
      .map((trial) => `${trial.scenario}: ${trial.notes.join('; ')}`);
    expect(notOk).toEqual([]);
    expect(report.soak).toMatchObject({
      faults: FAULTS,
      detectedAndNamed: FAULTS,
      recovered: FAULTS,
      tabsLost: 0,
      orphanPids: [],
      browserAlive: true,
    });
    // 50 faults from a fresh browser end before its 500-event history is full (~70 faults): the growth
    // then includes that bounded history filling (~1 MB), so it is held to the steady state's
    // tolerance here; the 5 % limit is judged from the full history on (runner.ts soakWarmUp).
    const heap = report.steadyState.after!.checks.find((check) => check.name === 'heap after GC')!;
    expect(heap.ok, `heap after GC ${heap.value} vs ${heap.tolerance}`).toBe(true);
    if (report.verdict.reasons.some((reason) => reason.includes('event log')))
      expect(report.soak!.heapGrowth).toBeLessThan(1.25);
    else expect(report.soak!.heapGrowth).toBeLessThan(1.05);
    expect(report.verdict.holds, report.verdict.reasons.join('\n')).toBe(true);
    console.log(`chaos soak, ${FAULTS} faults: ${JSON.stringify(report.soak)}; ${report.verdict.reasons.join(' | ')}`);
  }, 150_000);
});
