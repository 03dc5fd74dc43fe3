// The runner's logic on the core's testing fakes: the real Browser core with in-process utility
// children (FakeUtilityLauncher) and a FakeTabHost whose pages heartbeat over real MessagePorts and
// whose renderers "crash" when asked (the test plays the shell and the UI). Checks the flow of a
// tab-crash run (marks in order, the target's death expected, the others' ticks kept, the control
// arm faultless, the report valid) and that stop() ends early with what was measured.
import { afterEach, describe, expect, it } from 'vitest';
import { checkReport } from '../../../protocol/experiments/stats.ts';
import { Browser } from '../browser.ts';
import { systemClock } from '../clock.ts';
import { FakeTabHost, type FakePage } from '../testing/fake-tab-host.ts';
import { FakeUtilityLauncher } from '../testing/fake-utility-launcher.ts';
import type { ExperimentHost } from './experiment-host.ts';
import { startExperiment } from './runner.ts';

/** A FakeTabHost that acts like a shell: pages load and heartbeat; crash ends the renderer. */
class ActingTabHost extends FakeTabHost {
  private nextPid = 7000;
  private readonly beating = new Map<string, ReturnType<typeof setInterval>>();
  constructor(private readonly now: () => number) {
    super();
  }
  private load(tabId: string): void {
    setTimeout(() => {
      const page: FakePage = this.commit(tabId, this.nextPid++);
      let seq = 0;
      this.beating.set(
        tabId,
        setInterval(() => page.emit('heartbeat', { seq: seq++ }), 100),
      );
    }, 10);
  }
  private silence(tabId: string): void {
    clearInterval(this.beating.get(tabId));
    this.beating.delete(tabId);
  }
  override create(tabId: string, url: string, site: string): Promise<void> {
    this.load(tabId);
    return super.create(tabId, url, site);
  }
  override reload(tabId: string): Promise<void> {
    this.silence(tabId);
    this.load(tabId);
    return super.reload(tabId);
  }
  override close(tabId: string): Promise<void> {
    this.silence(tabId);
    return super.close(tabId);
  }
  override crash(tabId: string): void {
    super.crash(tabId);
    setTimeout(() => {
      this.silence(tabId);
      this.events.onDidRendererGone(tabId, { reason: 'crashed', observedAt: this.now() });
    }, 5);
  }
  stopAll(): void {
    for (const tabId of [...this.beating.keys()]) this.silence(tabId);
  }
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function world() {
  const clock = systemClock();
  const tabHost = new ActingTabHost(() => clock.now());
  const launcher = new FakeUtilityLauncher();
  const browser = new Browser({ launcher, tabHost, clock, pid: 1, sandbox: { enabled: true } });
  // The UI: paints the sad tab a few ms after the tab's state says crashed, and says so.
  browser.log.onDidRecord((event) => {
    if (event.type === 'tab-changed' && event.tab.state === 'crashed') {
      const tabId = event.tab.id;
      setTimeout(() => browser.notePainted(tabId, 'sad-tab'), 3);
    }
  });
  const host: ExperimentHost = {
    browser,
    probe: {
      eventLoopDelayP99: () => 2,
      heapUsedAfterGc: () => Promise.resolve(10_000_000),
      machine: () => ({ platform: 'test', arch: 'test', cpuModel: 'test', cores: 2, kernel: 'test', node: 'test' }),
      isAlive: () => false,
    },
    shell: 'chromium',
    browserVersion: 'Fake 1',
    drawFrame: () => Promise.resolve(),
    uiRoundTrip: () => Promise.resolve(1),
  };
  cleanups.push(() => {
    tabHost.stopAll();
    browser.dispose();
    tabHost.dispose();
    launcher.dispose();
  });
  return { browser, host, tabHost };
}

describe('the runner on fakes', () => {
  it('runs tab-crash: marks in order, only the target ends, the control arm has no fault, the report validates', async () => {
    const { browser, host, tabHost } = world();
    await browser.start();
    const report = await startExperiment(host, { scenario: 'tab-crash', trials: 2, tabs: 2, seed: 9 }).done;
    const checked = checkReport(JSON.parse(JSON.stringify(report)));
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(report.trials.map((trial) => trial.arm)).toEqual(['control', 'experiment', 'control', 'experiment']);
    for (const trial of report.trials) expect(trial.notes).toEqual([]);
    for (const trial of report.trials.filter((one) => one.arm === 'experiment')) {
      const { injected, observed, coreKnew, uiPainted, reloadAsked, firstTick } = trial.marks;
      expect(
        [injected, observed, coreKnew, uiPainted, reloadAsked, firstTick].every((mark) => mark !== undefined),
      ).toBe(true);
      expect(observed!).toBeGreaterThan(injected!);
      expect(uiPainted!).toBeGreaterThan(coreKnew!);
      expect(firstTick!).toBeGreaterThan(reloadAsked!);
      expect(trial.exit).toEqual({ reason: 'crashed', code: 'RESULT_CODE_CRASHED' });
      expect(trial.blastRadius).toMatchObject({ otherTabs: 1, otherTabsMissedTicks: 0 });
      expect(trial.blastRadius.processesDied).toEqual([expect.objectContaining({ kind: 'renderer', expected: true })]);
    }
    expect(tabHost.requests.filter((request) => request.startsWith('crash'))).toHaveLength(2);
    expect(report.verdict.holds).toBe(true);
    expect(browser.tabs.list()).toEqual([]);
  }, 20_000);

  it('stops after the current trial when asked, keeping what was measured', async () => {
    const { browser, host } = world();
    await browser.start();
    const run = startExperiment(host, { scenario: 'tab-crash', trials: 20, tabs: 1, seed: 1 });
    run.onDidFinishTrial(() => run.stop());
    const report = await run.done;
    expect(report.interrupted).toBe(true);
    expect(report.trials).toHaveLength(1);
    expect(report.verdict.holds).toBe(false);
    expect(report.verdict.reasons).toContain('stopped before every trial ran');
  }, 20_000);
});
