// The spare renderer on real renderer processes: the Browser core driving the system Chromium
// through ChromiumTabHost. A new tab (and a crashed tab's reload) takes the spare's process, checked
// against a trace of our own; a spare that dies is replaced without any tab's sad tab; switched off,
// none is made. How much faster a tab opens is measured by bench/recovery/spare-renderer.ts; here
// only that it is faster.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserEvent, ProcessModel } from '../../protocol/interfaces/browser-state.ts';
import { Browser } from '../core/browser.ts';
import { systemClock } from '../core/clock.ts';
import { launchChromium, type RunningChromium } from './chromium-process.ts';
import type { CdpSession } from './cdp-connection.ts';
import { FramePids } from './frame-pids.ts';
import { openPage } from './open-page.ts';
import { ChromiumTabHost } from './tab-host.ts';
import { localhostTabUrls } from './tab-urls.ts';
import { childProcessLauncher } from './utility-launcher.ts';
import { serveProtocolPages, type ProtocolPages } from './testing/protocol-pages.ts';
import { isAlive, waitUntil } from './testing/processes.ts';

let pages: ProtocolPages;
let chromium: RunningChromium;

beforeAll(async () => {
  pages = await serveProtocolPages();
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await pages?.close();
});

interface Running {
  readonly browser: Browser;
  readonly ui: CdpSession;
  readonly events: BrowserEvent[];
}

async function startBrowser(spareRenderer: boolean, processModel: ProcessModel = 'process-per-tab'): Promise<Running> {
  const ui = await openPage(chromium.connection, pages.uiUrl);
  const tabHost = await ChromiumTabHost.start({
    connection: chromium.connection,
    ui,
    urls: localhostTabUrls(pages.port),
  });
  const browser = new Browser({
    launcher: childProcessLauncher({ entries: inject('childEntries'), stdio: 'ignore' }),
    tabHost,
    clock: systemClock(),
    pid: process.pid,
    processModel,
    sandbox: chromium.sandbox,
    spareRenderer,
  });
  const events: BrowserEvent[] = [];
  browser.log.onDidRecord((event) => events.push(event));
  await browser.start();
  return { browser, ui, events };
}

const until = (check: () => boolean, what: string, timeoutMs = 10_000) => waitUntil(check, timeoutMs, what);

async function readySpare(browser: Browser): Promise<{ processId: string; pid: number }> {
  await until(() => browser.tabs.spare.current?.ready === true, 'a ready spare');
  const { processId, pid } = browser.tabs.spare.current!;
  return { processId, pid: pid! };
}

/** Resolves with the time of `tabId`'s page's first heartbeat. */
function firstHeartbeat(browser: Browser, tabId: string, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${tabId} sent no heartbeat`)), timeoutMs);
    const stop = browser.tabs.onDidFirstHeartbeat((id) => {
      if (id !== tabId) return;
      clearTimeout(timer);
      stop();
      resolve(performance.now());
    });
  });
}

async function openLive(browser: Browser, url = 'lab://live'): Promise<string> {
  const { id } = await browser.tabs.open(url);
  await until(() => browser.tabs.get(id)?.state === 'live', `${id} live`);
  return id;
}

/**
 * The pid of `tabId`'s iframe, from a trace of our own (not what the shell reported). Chromium runs
 * one trace at a time: one that overlapped the shell's own (a new spare's pid) is taken again.
 */
async function tracedPid(ui: CdpSession, tabId: string): Promise<number | undefined> {
  const { result } = await ui.send('Runtime.evaluate', {
    expression: `document.querySelector('iframe[data-lab-tab="${tabId}"]')`,
  });
  const { node } = await ui.send('DOM.describeNode', { objectId: result.objectId! });
  const pids = new FramePids(ui);
  for (let attempt = 0; attempt < 5; attempt++) {
    const pid = (await pids.snapshot().catch(() => undefined))?.get(node.frameId!);
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

const spareFrames = async (ui: CdpSession) =>
  (await ui.send('Runtime.evaluate', { expression: 'document.querySelectorAll("iframe[data-lab-spare]").length' }))
    .result.value as number;

describe('the spare renderer (process per tab)', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startBrowser(true);
  });
  afterAll(() => running?.browser.dispose());

  it('is started once the browser is, listed as a spare renderer, not a tab', async () => {
    const { browser, ui } = running;
    const spare = await readySpare(browser);
    expect(isAlive(spare.pid)).toBe(true);
    expect(browser.registry.get(spare.processId)).toMatchObject({
      kind: 'renderer',
      label: 'Spare renderer',
      standby: true,
      state: 'running',
      pid: spare.pid,
    });
    expect(browser.tabs.list()).toEqual([]);
    expect(await spareFrames(ui)).toBe(1);
  });

  it("opens a new tab in the spare's process (same pid, by our own trace), then warms the next one", async () => {
    const { browser, ui, events } = running;
    const spare = await readySpare(browser);
    const { id } = await browser.tabs.open('lab://live');
    await firstHeartbeat(browser, id);
    const info = browser.tabs.get(id)!;
    expect(info.pid).toBe(spare.pid);
    expect(await tracedPid(ui, id)).toBe(spare.pid);
    expect(browser.registry.get(spare.processId)).toBeUndefined();
    expect(browser.registry.get(info.rendererId)).toMatchObject({ pid: spare.pid, state: 'running' });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'spare-renderer-ended',
        processId: spare.processId,
        outcome: 'taken',
        tabId: id,
      }),
    );
    const next = await readySpare(browser);
    expect(next.pid).not.toBe(spare.pid);
    expect(next.processId).not.toBe(spare.processId);
  });

  it('replaces a spare whose process dies, quietly: no tab crashes, the event log says so', async () => {
    const { browser, events } = running;
    const liveTab = await openLive(browser);
    const spare = await readySpare(browser);
    const from = events.length;
    process.kill(spare.pid, 'SIGKILL');
    await until(() => browser.tabs.spare.current?.processId !== spare.processId, 'the spare replaced');
    const replacement = await readySpare(browser);
    expect(replacement.pid).not.toBe(spare.pid);
    const after = events.slice(from);
    expect(after).toContainEqual(
      expect.objectContaining({
        type: 'spare-renderer-ended',
        processId: spare.processId,
        outcome: 'gone',
        reason: 'killed',
      }),
    );
    // No tab changed to crashed, and no process exit was recorded: the spare is nobody's crash.
    expect(after.filter((event) => event.type === 'tab-changed' && event.tab.state === 'crashed')).toEqual([]);
    expect(after.filter((event) => event.type === 'process-exited')).toEqual([]);
    expect(browser.tabs.get(liveTab)?.state).toBe('live');
  });

  it("reloads a crashed tab into the spare's process", async () => {
    const { browser, ui } = running;
    const id = await openLive(browser);
    const spare = await readySpare(browser);
    const oldPid = browser.tabs.get(id)!.pid;
    browser.tabs.crash(id);
    await until(() => browser.tabs.get(id)?.state === 'crashed', 'sad tab');
    const beat = firstHeartbeat(browser, id);
    await browser.tabs.reload(id);
    await beat;
    expect(browser.tabs.get(id)?.pid).toBe(spare.pid);
    expect(browser.tabs.get(id)?.pid).not.toBe(oldPid);
    expect(await tracedPid(ui, id)).toBe(spare.pid);
  });
});

describe('the spare renderer under process per site', () => {
  it("serves a site with no process yet; a second tab of that site joins the first's process, leaving the spare", async () => {
    const { browser, ui } = await startBrowser(true, 'process-per-site');
    try {
      const spare = await readySpare(browser);
      const first = await openLive(browser, 'lab://same-site-a');
      expect(browser.tabs.get(first)?.pid).toBe(spare.pid);
      const next = await readySpare(browser);
      const second = await openLive(browser, 'lab://same-site-b');
      expect(browser.tabs.get(second)?.pid).toBe(spare.pid);
      expect(await tracedPid(ui, second)).toBe(spare.pid);
      expect(browser.tabs.spare.current).toMatchObject({ processId: next.processId, ready: true });
    } finally {
      browser.dispose();
    }
  });
});

describe('with --lab-spare-renderer=off', () => {
  it('makes no spare: no standby process, no spare frame, every tab started cold', async () => {
    const { browser, ui, events } = await startBrowser(false);
    try {
      await openLive(browser);
      await openLive(browser);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(browser.registry.list().filter((process) => process.standby)).toEqual([]);
      expect(browser.tabs.spare.current).toBeUndefined();
      expect(await spareFrames(ui)).toBe(0);
      expect(events.filter((event) => event.type === 'spare-renderer-ended')).toEqual([]);
    } finally {
      browser.dispose();
    }
  });
});

describe('new tab to its first heartbeat, with the spare and without, alternating', () => {
  it('is faster with the spare (how much: bench/recovery/spare-renderer.ts)', async () => {
    const withSpare = await startBrowser(true);
    const without = await startBrowser(false);
    const times: Record<'with' | 'without', number[]> = { with: [], without: [] };
    try {
      for (let round = 0; round < 5; round++) {
        for (const [arm, { browser, ui }] of [
          ['with', withSpare],
          ['without', without],
        ] as const) {
          // Two UI pages in one Chromium: the one in front, or its timers are throttled as a background tab's.
          await ui.send('Page.bringToFront');
          if (arm === 'with') await readySpare(browser);
          await new Promise((resolve) => setTimeout(resolve, 200));
          const started = performance.now();
          const { id } = await browser.tabs.open('lab://live');
          const beat = await firstHeartbeat(browser, id);
          times[arm].push(beat - started);
          await browser.tabs.close(id);
        }
      }
    } finally {
      withSpare.browser.dispose();
      without.browser.dispose();
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(times.with)).toBeLessThan(median(times.without));
    // Ten tab opens in two Chromiums: well over the default timeout on a loaded 2-core machine.
  }, 90_000);
});
