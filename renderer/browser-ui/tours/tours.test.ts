// Every tour, run to its end against a small fake of the browser process (what the browser UI's
// methods do to the state, in both process models): each step's action leads to its condition, every
// step highlights processes that exist, and what the tour says happened did.
import { describe, expect, it } from 'vitest';
import type { ProcessInfo, ProcessModel, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import type { BrowserUiService } from '../../../protocol/interfaces/ui-browser.ts';
import type { RequestOf, ResponseOf } from '../../../protocol/rpc/interface.ts';
import type { UiMethod, UiSnapshot } from '../connection/browser-connection.ts';
import { fromSnapshot, type BrowserView } from '../connection/browser-state.ts';
import { TOURS, tourById } from './index.ts';
import { stepStatus, tourReducer, waitForView, type Tour, type TourActionContext, type TourRun } from './model.ts';

const SITES: Record<string, string> = {
  'lab://live': 'live',
  'lab://plugins': 'plugins',
  'lab://cpu-heavy': 'cpu',
  'lab://same-site-a': 'pair',
  'lab://same-site-b': 'pair',
  'lab://bad-message': 'bad',
};

/** The browser process as the UI sees it, just enough for the tours. Changes land a tick later. */
class FakeBrowser {
  private view: BrowserView;
  private readonly listeners = new Set<() => void>();
  private nextTab = 1;
  private nextPid = 100;
  private gpuCrashes = 0;
  readonly calls: string[] = [];

  /** Starts as the app does: with a live lab://live tab (none with `empty`). */
  constructor(processModel: ProcessModel, { empty = false } = {}) {
    const proc = (id: string, kind: ProcessInfo['kind'], label: string): ProcessInfo => ({
      id,
      kind,
      label,
      pid: this.nextPid++,
      startedAt: 0,
      state: 'running',
      restarts: 0,
    });
    this.view = fromSnapshot({
      tabs: [],
      processes: [
        proc('browser', 'browser', 'Browser'),
        proc('gpu', 'gpu', 'GPU process'),
        proc('plugin-host', 'plugin-host', 'Plugin host'),
      ],
      gpuMode: 'hardware',
      processModel,
      pluginHost: { running: true, recentCrashes: 0 },
      badMessages: 0,
      events: [],
    });
    if (!empty) {
      void this.call('openTab', { url: 'lab://live' });
      this.commit('tab-1');
      this.calls.length = 0;
    }
  }

  getSnapshot = (): UiSnapshot => ({ status: 'ready', browser: this.view, problem: undefined, actionError: undefined });

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get state(): BrowserView {
    return this.view;
  }

  tab(id: string): TabInfo {
    return this.view.tabs.find((tab) => tab.id === id)!;
  }

  process(id: string): ProcessInfo {
    return this.view.processes.find((process) => process.id === id)!;
  }

  private set(changes: Partial<BrowserView>) {
    this.view = { ...this.view, ...changes };
    for (const listener of this.listeners) listener();
  }

  private later(work: () => void) {
    setTimeout(work, 1);
  }

  private setProcess(id: string, changes: Partial<ProcessInfo>) {
    this.set({
      processes: this.view.processes.map((process) => (process.id === id ? { ...process, ...changes } : process)),
    });
  }

  private setTabs(ids: readonly string[], changes: Partial<TabInfo>) {
    this.set({ tabs: this.view.tabs.map((tab) => (ids.includes(tab.id) ? { ...tab, ...changes } : tab)) });
  }

  /** A process (re)starts: a new pid; a known id counts a restart. */
  private launch(id: string, kind: ProcessInfo['kind'], label: string): number {
    const pid = this.nextPid++;
    const known = this.view.processes.find((process) => process.id === id);
    const info: ProcessInfo = {
      id,
      kind,
      label,
      pid,
      startedAt: Date.now(),
      state: 'running',
      restarts: known ? known.restarts + 1 : 0,
    };
    this.set({
      processes: known
        ? this.view.processes.map((process) => (process.id === id ? info : process))
        : [...this.view.processes, info],
    });
    return pid;
  }

  /** The tab's page commits: its renderer runs (started when it does not). */
  private commit(tabId: string) {
    const tab = this.tab(tabId);
    const renderer = this.view.processes.find((process) => process.id === tab.rendererId);
    const pid = renderer?.state === 'running' ? renderer.pid! : this.launch(tab.rendererId, 'renderer', tab.title);
    this.setTabs([tabId], { state: 'live', pid });
  }

  /** A renderer ends: every tab in it gets a sad tab. */
  private rendererGone(rendererId: string, reason: 'crashed' | 'bad-message', code: string) {
    this.setProcess(rendererId, { state: reason === 'crashed' ? 'crashed' : 'killed', exitReason: reason });
    const ids = this.view.tabs.filter((tab) => tab.rendererId === rendererId).map((tab) => tab.id);
    this.setTabs(ids, { state: 'crashed', crash: { reason, code, at: Date.now(), repeated: false } });
  }

  /** What the user does in lab://bad-message: the browser ends that renderer. */
  sendBadMessage(tabId: string) {
    this.set({ badMessages: this.view.badMessages + 1 });
    this.rendererGone(this.tab(tabId).rendererId, 'bad-message', 'RESULT_CODE_KILLED_BAD_MESSAGE');
  }

  async call<M extends UiMethod>(
    method: M,
    request: RequestOf<typeof BrowserUiService, M>,
  ): Promise<ResponseOf<typeof BrowserUiService, M>> {
    this.calls.push(method);
    const r = request as Record<string, string>;
    const ok = {} as ResponseOf<typeof BrowserUiService, M>;
    switch (method) {
      case 'openTab': {
        const id = `tab-${this.nextTab++}`;
        const site = SITES[r.url!] ?? 'web';
        const rendererId = `renderer-${this.view.processModel === 'process-per-site' ? `site-${site}` : id}`;
        const tab: TabInfo = { id, url: r.url!, title: r.url!, rendererId, state: 'loading' };
        this.set({ tabs: [...this.view.tabs, tab], selectedTabId: id });
        this.later(() => this.commit(id));
        return { tabId: id } as ResponseOf<typeof BrowserUiService, M>;
      }
      case 'selectTab':
        this.tab(r.tabId!);
        this.set({ selectedTabId: r.tabId });
        return ok;
      case 'crashTab': {
        const { rendererId } = this.tab(r.tabId!);
        this.later(() => this.rendererGone(rendererId, 'crashed', 'RESULT_CODE_CRASHED'));
        return ok;
      }
      case 'reload':
        this.setTabs([r.tabId!], { state: 'loading' });
        this.later(() => this.commit(r.tabId!));
        return ok;
      case 'omnibox':
        expect(r.text).toBe('chrome://gpucrash');
        this.tab(r.tabId!);
        this.later(() => {
          this.setProcess('gpu', { state: 'crashed', exitReason: 'crashed' });
          if (++this.gpuCrashes >= 3)
            this.set({ gpuMode: 'software', gpuModeReason: 'the GPU process crashed 3 times within 60 s' });
          else this.later(() => this.launch('gpu', 'gpu', 'GPU process'));
        });
        return ok;
      case 'endProcess':
        expect(r.processId).toBe('plugin-host');
        this.later(() => {
          this.setProcess('plugin-host', { state: 'killed', exitReason: 'killed' });
          this.set({ pluginHost: { running: false, recentCrashes: this.view.pluginHost.recentCrashes + 1 } });
        });
        return ok;
      case 'restartPluginHost':
        if (this.process('plugin-host').state !== 'running') {
          this.later(() => {
            this.launch('plugin-host', 'plugin-host', 'Plugin host');
            this.set({ pluginHost: { ...this.view.pluginHost, running: true } });
          });
        }
        return ok;
      default:
        throw new Error(`The fake browser does not do ${method}`);
    }
  }
}

interface Trip {
  readonly browser: FakeBrowser;
  /** The state after each step's condition held (before Next). */
  readonly after: BrowserView[];
}

/**
 * Runs `tour` as the panel does: Do it where a step has an action, `user` where it has none but
 * waits, then Next (or Finish), checking at each step that it highlights something real.
 */
async function runTour(
  tour: Tour,
  browser: FakeBrowser,
  user?: (step: number, view: BrowserView) => void,
): Promise<Trip> {
  const after: BrowserView[] = [];
  let run: TourRun | undefined = tourReducer(undefined, { type: 'start', tour, runId: 1, view: browser.state });
  for (let index = 0; index < tour.steps.length; index++) {
    const step = tour.steps[index]!;
    expect(run!.index).toBe(index);
    const before = stepStatus(run!, browser.state);
    expect(before.text.length, `${tour.id} step ${index + 1} says something`).toBeGreaterThan(40);
    if (step.action) {
      const context: TourActionContext = {
        call: (method, request) => browser.call(method, request),
        view: () => browser.state,
        waitFor: (check, what, timeoutMs) => waitForView(browser, check, what, timeoutMs ?? 2000),
        notes: run!.notes,
      };
      run = tourReducer(run, { type: 'action-done', runId: 1, index, notes: await step.action.run(context) });
    } else if (!before.done) {
      user?.(index, browser.state);
    }
    const done = await waitForView(
      browser,
      (view) => stepStatus(run!, view).done,
      `${tour.id} step ${index + 1} to be done`,
      2000,
    );
    const status = stepStatus(run!, done);
    expect(status.highlight.size, `${tour.id} step ${index + 1} highlights a process`).toBeGreaterThan(0);
    after.push(done);
    run = tourReducer(run, { type: 'completed', index });
    run =
      index === tour.steps.length - 1
        ? tourReducer(run, { type: 'end' })
        : tourReducer(run, { type: 'go', index: index + 1, view: browser.state });
  }
  expect(run).toBeUndefined();
  return { browser, after };
}

const liveTabs = (view: BrowserView) => view.tabs.filter((tab) => tab.state === 'live');

describe('the tours', () => {
  it('are five, with unique ids, titles and a few steps each', () => {
    expect(TOURS.map((tour) => tour.id)).toEqual([
      'crash-isolation',
      'gpu-process',
      'plugins',
      'bad-messages',
      'process-model',
    ]);
    for (const tour of TOURS) {
      expect(tour.steps.length).toBeGreaterThanOrEqual(3);
      expect(tour.steps.length).toBeLessThanOrEqual(6);
      expect(tourById(tour.id)).toBe(tour);
      // A step that waits says for what.
      for (const step of tour.steps) if (step.done) expect(step.waitingFor, `${tour.id}: ${step.title}`).toBeTruthy();
    }
  });
});

describe.each<ProcessModel>(['process-per-tab', 'process-per-site'])('in %s', (model) => {
  it('crash isolation: three processes, one crashes alone, reload gives it a new pid', async () => {
    const { browser, after } = await runTour(tourById('crash-isolation')!, new FakeBrowser(model));
    const three = after[0]!;
    expect(liveTabs(three)).toHaveLength(3);
    expect(new Set(liveTabs(three).map((tab) => tab.rendererId)).size).toBe(3);
    const crashed = after[1]!.tabs.filter((tab) => tab.state === 'crashed');
    expect(crashed).toHaveLength(1);
    expect(liveTabs(after[1]!)).toHaveLength(2);
    const victim = crashed[0]!;
    expect(browser.tab(victim.id).state).toBe('live');
    expect(browser.tab(victim.id).pid).not.toBe(victim.pid);
  });

  it('the GPU process: a crash restarts it, three within a minute fall back to software', async () => {
    const { browser, after } = await runTour(tourById('gpu-process')!, new FakeBrowser(model));
    expect(after[1]!.processes.find((p) => p.id === 'gpu')).toMatchObject({ state: 'running', restarts: 1 });
    expect(browser.state.gpuMode).toBe('software');
    expect(browser.calls.filter((call) => call === 'omnibox')).toHaveLength(3);
  });

  it('plugins: the host ends, the page lives on, a restart brings a new host', async () => {
    const { browser, after } = await runTour(tourById('plugins')!, new FakeBrowser(model));
    const pluginsTab = after[0]!.tabs.find((tab) => tab.url === 'lab://plugins')!;
    expect(after[1]!.processes.find((p) => p.id === 'plugin-host')!.state).toBe('killed');
    expect(after[2]!.tabs.find((tab) => tab.id === pluginsTab.id)!.state).toBe('live');
    expect(browser.process('plugin-host')).toMatchObject({ state: 'running', restarts: 1 });
  });

  it('bad messages: the user sends one, the browser ends that renderer', async () => {
    const browser = new FakeBrowser(model);
    await runTour(tourById('bad-messages')!, browser, (_step, view) => {
      browser.sendBadMessage(view.tabs.find((tab) => tab.url === 'lab://bad-message')!.id);
    });
    const bad = browser.state.tabs.find((tab) => tab.url === 'lab://bad-message')!;
    expect(bad.crash).toMatchObject({ reason: 'bad-message', code: 'RESULT_CODE_KILLED_BAD_MESSAGE' });
    expect(browser.state.badMessages).toBe(1);
  });

  it('process model: two same-site pages share a process only per site; the crash follows', async () => {
    const tour = tourById('process-model')!;
    const browser = new FakeBrowser(model);
    const { after } = await runTour(tour, browser);
    const [a, b] = ['lab://same-site-a', 'lab://same-site-b'].map((url) =>
      after[1]!.tabs.find((tab) => tab.url === url)!,
    );
    const perSite = model === 'process-per-site';
    expect(a!.pid === b!.pid).toBe(perSite);
    const shared = stepStatus(
      tourReducer(tourReducer(undefined, { type: 'start', tour, runId: 1, view: after[1]! }), {
        type: 'go',
        index: 2,
        view: after[1]!,
      })!,
      after[1]!,
    );
    expect(shared.text).toContain(perSite ? 'one renderer process for both' : 'two renderer processes');
    expect(browser.tab(a!.id).state).toBe('crashed');
    expect(browser.tab(b!.id).state).toBe(perSite ? 'crashed' : 'live');
  });
});

describe('a tour from any starting state', () => {
  it('works with no tabs at all, and reuses tabs that are there', async () => {
    const browser = new FakeBrowser('process-per-tab', { empty: true });
    await runTour(tourById('gpu-process')!, browser);
    expect(browser.calls[0]).toBe('openTab');
    const opened = browser.calls.filter((call) => call === 'openTab').length;
    await runTour(tourById('crash-isolation')!, browser);
    // One live tab was there already: two more make three.
    expect(browser.calls.filter((call) => call === 'openTab').length - opened).toBe(2);
  });
});
