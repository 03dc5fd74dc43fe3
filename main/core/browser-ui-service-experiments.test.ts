// The Experiments view's plumbing: BrowserUiService's startExperiment / stopExperiment / getExperiment
// served by serveBrowserUi over a real transport (a MessageChannel, both ends the real RPC endpoints),
// with the runner as a test double (testing/fake-experiment-run.ts): it is the dependency here, the
// control and the protocol are under test.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Report } from '../../protocol/experiments/report.ts';
import type { ExperimentRequestMessage } from '../../protocol/experiments/request.ts';
import { MAX_STRING_MESSAGE } from '../../protocol/transport/string-channel.ts';
import { BrowserUiService, ExperimentErrorCode } from '../../protocol/interfaces/ui-browser.ts';
import { messageBounds } from '../../protocol/rpc/interface.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import type { ExperimentRequest } from './experiments/experiment-run.ts';
import { Browser } from './browser.ts';
import { uiOverPort } from './testing/ui-over-port.ts';
import { systemClock } from './clock.ts';
import { ExperimentControl, type SavedReport } from './experiment-control.ts';
import { FakeExperimentRun, okTrial } from './testing/fake-experiment-run.ts';
import { FakeTabHost } from './testing/fake-tab-host.ts';
import { FakeUtilityLauncher } from './testing/fake-utility-launcher.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const REQUEST = { scenario: 'tab-crash', trials: 2, tabs: 3, seed: 42 } as const;
const checkReport = compileChecker(Report);

function setUp(options: { runner?: boolean; refuse?: string; save?: (report: Report) => Promise<SavedReport> } = {}) {
  const runs: FakeExperimentRun[] = [];
  const saved: Report[] = [];
  const tabHost = new FakeTabHost();
  const launcher = new FakeUtilityLauncher();
  const browser = new Browser({ launcher, tabHost, clock: systemClock(), pid: 1, sandbox: { enabled: true } });
  const experiments = new ExperimentControl({
    startExperiment:
      options.runner === false
        ? undefined
        : (request: ExperimentRequest) => {
            if (options.refuse) throw new Error(options.refuse);
            const run = new FakeExperimentRun(`run-${runs.length + 1}`, request);
            runs.push(run);
            return run;
          },
    saveReport:
      options.save ??
      (async (report) => {
        saved.push(report);
        return { file: `/reports/${report.id}.html` };
      }),
  });
  const ui = uiOverPort(browser, { experiments });
  cleanups.push(() => {
    ui.close();
    experiments.dispose();
    browser.dispose();
    tabHost.dispose();
    launcher.dispose();
  });
  return { remote: ui.remote, runs, saved, experiments };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the Experiments view over BrowserUiService', () => {
  it('takes requests of the runner contract’s ExperimentRequest shape, both ways (protocol/experiments/request.ts)', () => {
    // Each assignable to the other: a field added to one and not the other fails the type check.
    const asContract = (message: ExperimentRequestMessage): ExperimentRequest => message;
    const asMessage = (request: ExperimentRequest): ExperimentRequestMessage => request;
    expectTypeOf(asContract).returns.toEqualTypeOf<ExperimentRequest>();
    expectTypeOf(asMessage).returns.toEqualTypeOf<ExperimentRequestMessage>();
    expectTypeOf<keyof ExperimentRequestMessage>().toEqualTypeOf<keyof ExperimentRequest>();
  });

  it('fits its worst-case progress in one UI message', () => {
    const bound = messageBounds(BrowserUiService).find((b) => b.what === 'BrowserUiService.getExperiment response');
    expect(bound!.bytes).toBeLessThan(MAX_STRING_MESSAGE);
  });

  it('starts one, sees trials land and summaries so far, then the verdict and where the report is', async () => {
    const { remote, runs, saved } = setUp();
    expect(await remote.getExperiment({ lastTrials: 10 })).toEqual({ runner: true });

    const { id } = await remote.startExperiment(REQUEST);
    expect(id).toBe('run-1');
    const run = runs[0]!;
    expect(run.request).toEqual(REQUEST);
    run.land(okTrial(0, 'experiment', 40));
    run.land(okTrial(1, 'control', 0));
    run.land(okTrial(2, 'experiment', 60));

    const running = (await remote.getExperiment({ lastTrials: 2 })).experiment!;
    expect(running).toMatchObject({ id, state: 'running', trialsDone: 3, interrupted: false, request: REQUEST });
    // The newest two, oldest first, as the view lists them.
    expect(running.trials.map((trial) => [trial.index, trial.arm, trial.marks.uiPainted])).toEqual([
      [1, 'control', undefined],
      [2, 'experiment', 60],
    ]);
    expect(running.hypothesis).toMatch(/tab-crash/);
    expect(running.latencies).toEqual([expect.objectContaining({ name: 'crash-to-sad-tab', from: 'injected' })]);
    expect(running.verdict).toBeUndefined();
    expect(running.report).toBeUndefined();

    const final = run.finish({ holds: true, reasons: [] });
    expect(checkReport.check(final)).toBe(true);
    await settled();
    const done = (await remote.getExperiment({ lastTrials: 200 })).experiment!;
    expect(done).toMatchObject({
      state: 'done',
      verdict: { holds: true, reasons: [] },
      report: { url: 'lab://reports/run-1', file: '/reports/run-1.html' },
    });
    expect(done.trials).toHaveLength(3);
    expect(saved.map((report) => report.id)).toEqual(['run-1']);
  });

  it('runs one at a time, and starts the next once the last is done', async () => {
    const { remote, runs } = setUp();
    await remote.startExperiment(REQUEST);
    await expect(remote.startExperiment(REQUEST)).rejects.toMatchObject({
      code: ExperimentErrorCode.EXPERIMENT_RUNNING,
      message: expect.stringMatching(/run-1 is still running/),
    });
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await settled();
    expect(await remote.startExperiment({ ...REQUEST, seed: 43 })).toEqual({ id: 'run-2' });
  });

  it('stops the running one, keeping what was measured, and refuses to stop one that is not running', async () => {
    const { remote, runs } = setUp();
    const { id } = await remote.startExperiment(REQUEST);
    runs[0]!.land(okTrial(0, 'experiment', 40));
    await expect(remote.stopExperiment({ id: 'run-9' })).rejects.toMatchObject({
      code: ExperimentErrorCode.NO_SUCH_EXPERIMENT,
    });
    await remote.stopExperiment({ id });
    await remote.stopExperiment({ id }).catch(() => {}); // a second click while it stops is harmless
    expect(runs[0]!.stops).toBe(1);
    await settled();
    const stopped = (await remote.getExperiment({ lastTrials: 5 })).experiment!;
    expect(stopped).toMatchObject({
      state: 'done',
      interrupted: true,
      trialsDone: 1,
      report: { url: 'lab://reports/run-1' },
    });
    await expect(remote.stopExperiment({ id })).rejects.toMatchObject({ code: ExperimentErrorCode.NO_SUCH_EXPERIMENT });
  });

  it('refuses a bad request with the shared check’s reason (schema at the endpoint, the rest in the control)', async () => {
    const { remote, runs } = setUp();
    await expect(remote.startExperiment({ ...REQUEST, faults: 10 })).rejects.toMatchObject({
      code: ExperimentErrorCode.BAD_EXPERIMENT_REQUEST,
      message: expect.stringMatching(/"faults" is for chaos only/),
    });
    await expect(remote.startExperiment({ ...REQUEST, tabs: 0 })).rejects.toMatchObject({ code: 'RPC_BAD_MESSAGE' });
    expect(runs).toHaveLength(0);
  });

  it('passes on what the runner itself refuses (a scenario’s own limits) as a bad request', async () => {
    const { remote } = setUp({ refuse: 'same-site needs at least 2 tabs, got 1' });
    await expect(remote.startExperiment({ ...REQUEST, scenario: 'same-site', tabs: 1 })).rejects.toMatchObject({
      code: ExperimentErrorCode.BAD_EXPERIMENT_REQUEST,
      message: 'same-site needs at least 2 tabs, got 1',
    });
    expect(await remote.getExperiment({ lastTrials: 1 })).toEqual({ runner: true });
  });

  it('says when the shell has no runner', async () => {
    const { remote } = setUp({ runner: false });
    expect(await remote.getExperiment({ lastTrials: 10 })).toEqual({ runner: false });
    await expect(remote.startExperiment(REQUEST)).rejects.toMatchObject({
      code: ExperimentErrorCode.NO_EXPERIMENT_RUNNER,
    });
  });

  it('shows a run that failed, or a report that could not be written, as failed with why; the next can start', async () => {
    const { remote, runs } = setUp({ save: () => Promise.reject(new Error('disk full')) });
    await remote.startExperiment(REQUEST);
    runs[0]!.land(okTrial(0, 'experiment', 40));
    runs[0]!.finish();
    await settled();
    expect((await remote.getExperiment({ lastTrials: 5 })).experiment).toMatchObject({
      state: 'failed',
      error: 'The report could not be written: disk full',
      trialsDone: 1,
      verdict: { holds: true },
    });

    await remote.startExperiment(REQUEST);
    runs[1]!.fail('the UI never answered');
    await settled();
    expect((await remote.getExperiment({ lastTrials: 5 })).experiment).toMatchObject({
      id: 'run-2',
      state: 'failed',
      error: 'The experiment failed: the UI never answered',
    });
  });
});
