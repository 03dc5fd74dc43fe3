// The core's tabs on real renderer processes: the Browser core driving the system Chromium through
// ChromiumTabHost, with the real GPU process and plugin host. Pages speak the browser<->tab protocol
// through the tab channel (testing/protocol-pages.ts).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserEvent, TabInfo } from '../../protocol/interfaces/browser-state.ts';
import { BadMessageReason } from '../../protocol/rpc/bad-message.ts';
import { Browser } from '../core/browser.ts';
import { systemClock } from '../core/clock.ts';
import type { EventLog } from '../core/event-log.ts';
import { childProcessLauncher } from './utility-launcher.ts';
import { launchChromium, type RunningChromium } from './chromium-process.ts';
import { ChromiumTabHost } from './tab-host.ts';
import { localhostTabUrls } from './tab-urls.ts';
import { openPage } from './open-page.ts';
import { procMetrics } from './process-metrics.ts';
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

async function startBrowser(processModel: 'process-per-tab' | 'process-per-site' = 'process-per-tab') {
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
    metrics: procMetrics(),
    processModel,
    sandbox: chromium.sandbox,
    hangThresholdMs: 1000,
  });
  await browser.start();
  return browser;
}

const tab = (browser: Browser, id: string): TabInfo => browser.tabs.get(id)!;
const until = (check: () => boolean, what: string, timeoutMs = 5000) => waitUntil(check, timeoutMs, what);

function nextEvent(log: EventLog, match: (event: BrowserEvent) => boolean, timeoutMs = 5000): Promise<BrowserEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('event did not come')), timeoutMs);
    const stop = log.onDidRecord((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

async function openLive(browser: Browser, url: string): Promise<string> {
  const { id } = await browser.tabs.open(url);
  await until(() => tab(browser, id).state === 'live', `${id} live`);
  return id;
}

describe('tabs in their own renderer processes (process per tab)', () => {
  let browser: Browser;
  const ids: string[] = [];

  beforeAll(async () => {
    browser = await startBrowser();
    for (let i = 0; i < 3; i++) ids.push(await openLive(browser, 'lab://live'));
  });
  afterAll(() => browser?.dispose());

  it('runs three tabs in three renderer processes, each in the registry', () => {
    const pids = ids.map((id) => tab(browser, id).pid);
    expect(new Set(pids).size).toBe(3);
    for (const id of ids) {
      const info = tab(browser, id);
      expect(browser.registry.get(info.rendererId)).toMatchObject({
        kind: 'renderer',
        pid: info.pid,
        state: 'running',
      });
    }
    expect(tab(browser, ids[0]!).title).toBe('Page live');
  });

  it('crashes one tab into a sad tab with its reason and code while the others stay live; a second crash within 10 s is marked', async () => {
    const [first, second, third] = ids as [string, string, string];
    const oldPid = tab(browser, second).pid!;
    browser.tabs.crash(second);
    // How fast is measured by `npm run bench:processes` (crash to detection), not asserted here.
    await until(() => tab(browser, second).state === 'crashed', 'sad tab');
    expect(tab(browser, second).crash).toMatchObject({
      reason: 'crashed',
      code: 'RESULT_CODE_CRASHED',
      repeated: false,
    });
    expect(browser.registry.get(tab(browser, second).rendererId)).toMatchObject({
      state: 'crashed',
      exitReason: 'crashed',
    });
    // The others keep running and keep beating: still live a hang threshold later.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect([tab(browser, first).state, tab(browser, third).state]).toEqual(['live', 'live']);

    await browser.tabs.reload(second);
    await until(() => tab(browser, second).state === 'live', 'reloaded');
    expect(tab(browser, second).pid).not.toBe(oldPid);
    expect(tab(browser, second).crash).toBeUndefined();
    expect(browser.registry.get(tab(browser, second).rendererId)).toMatchObject({ state: 'running', restarts: 1 });

    browser.tabs.crash(second);
    await until(() => tab(browser, second).state === 'crashed', 'sad tab again');
    expect(tab(browser, second).crash?.repeated).toBe(true);
    await browser.tabs.reload(second);
    await until(() => tab(browser, second).state === 'live', 'reloaded again');
  });

  it('reports a killed renderer as killed, with its signal', async () => {
    const id = ids[2]!;
    browser.tabs.kill(id);
    await until(() => tab(browser, id).state === 'crashed', 'killed');
    expect(tab(browser, id).crash).toMatchObject({ reason: 'killed', code: 'SIGKILL' });
    await browser.tabs.reload(id);
    await until(() => tab(browser, id).state === 'live', 'reloaded');
  });

  it('flags a hung tab unresponsive from its missing heartbeats; Wait re-arms, Stop brings it back with the same pid', async () => {
    const id = ids[0]!;
    const pid = tab(browser, id).pid;
    const hungAt = performance.now();
    browser.tabs.hang(id);
    await until(() => tab(browser, id).state === 'unresponsive', 'unresponsive');
    const detectedAfter = performance.now() - hungAt;
    // The threshold counts from the last heartbeat, sent up to 250 ms before the hang began.
    expect(detectedAfter).toBeGreaterThanOrEqual(1000 - 250);
    expect(browser.registry.get(tab(browser, id).rendererId)?.state).toBe('unresponsive');
    expect(tab(browser, ids[1]!).state).toBe('live');

    browser.tabs.wait(id);
    expect(tab(browser, id).state).toBe('live');
    await until(() => tab(browser, id).state === 'unresponsive', 'unresponsive again after Wait');

    await browser.tabs.stop(id);
    await until(() => tab(browser, id).state === 'live', 'responsive after Stop');
    expect(tab(browser, id).pid).toBe(pid);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(tab(browser, id).state).toBe('live'); // heartbeats flow again
    expect(browser.registry.get(tab(browser, id).rendererId)?.state).toBe('running');
  });

  it('ends a renderer that sends a malformed message, as bad-message, and counts it', async () => {
    const ended = nextEvent(
      browser.log,
      (event) => event.type === 'process-exited' && event.process.exitReason === 'bad-message',
    );
    const id = await browser.tabs.open('lab://bad-message').then((info) => info.id);
    await ended;
    await until(() => tab(browser, id).state === 'crashed', 'bad-message sad tab');
    expect(tab(browser, id).crash).toMatchObject({ reason: 'bad-message', code: 'RESULT_CODE_KILLED_BAD_MESSAGE' });
    expect(browser.log.count('bad-message')).toBe(1);
    const report = browser.log.history().find((event) => event.type === 'bad-message');
    expect(report).toMatchObject({
      interface: 'TabPage',
      reason: expect.stringContaining('TabPage.heartbeat event: /seq'),
    });
    expect(report).toMatchObject({ code: BadMessageReason.INVALID_EVENT }); // bad_message.h's entry, beside the text
  });

  it('closes a tab: its renderer process ends and leaves the registry', async () => {
    const id = ids[1]!;
    const { pid, rendererId } = tab(browser, id);
    await browser.tabs.close(id);
    expect(browser.tabs.get(id)).toBeUndefined();
    expect(browser.registry.get(rendererId)).toBeUndefined();
    await until(() => !isAlive(pid!), 'renderer process gone');
  });

  it('task manager: figures for every live process; End process ends a renderer, kills the GPU process, refuses the browser', async () => {
    // Earlier tests closed one of these tabs: the two still open.
    const [first, second] = ids.filter((id) => browser.tabs.get(id)?.state === 'live') as [string, string];
    await browser.getMetrics();
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const rows = await browser.getMetrics();
    const renderer = rows.find((row) => row.id === tab(browser, first).rendererId)!;
    expect(renderer.memoryBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(renderer.memoryBytes).toBeLessThan(500 * 1024 * 1024);
    expect(renderer.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(renderer.ipcPerSecond).toBeGreaterThan(0); // heartbeats
    expect(rows.map((row) => row.id)).toEqual(expect.arrayContaining(['browser', 'gpu', 'plugin-host']));
    // The sandbox: the state says what Chromium was started with; the row, what /proc measures.
    expect(browser.state().sandbox).toEqual(chromium.sandbox);
    expect(renderer.sandbox?.seccomp).toBe(chromium.sandbox.enabled ? 'filter' : 'none');
    expect(rows.find((row) => row.id === 'browser')!.sandbox).toEqual({
      seccomp: 'none',
      noNewPrivs: false,
      namespaces: [],
    });

    expect(() => browser.endProcess('browser')).toThrow(expect.objectContaining({ code: 'CANNOT_END_BROWSER' }));
    browser.endProcess(tab(browser, second).rendererId);
    await until(() => tab(browser, second).state === 'crashed', 'ended from the task manager');
    expect(tab(browser, second).crash).toMatchObject({ reason: 'killed', code: 'SIGKILL' });
    expect(() => browser.endProcess(tab(browser, second).rendererId)).toThrow(
      expect.objectContaining({ code: 'NO_SUCH_PROCESS' }),
    );
    await browser.tabs.reload(second);
    await until(() => tab(browser, second).state === 'live', 'reloaded');

    const gpuPid = browser.gpu.pid;
    browser.endProcess('gpu');
    await until(
      () =>
        browser.gpu.pid !== undefined && browser.gpu.pid !== gpuPid && browser.registry.get('gpu')?.state === 'running',
      'a new GPU process',
    );
    expect(browser.registry.get('gpu')!.restarts).toBeGreaterThan(0);
  });

  it('does not let a page or a link reach chrome:// debug URLs, but the omnibox does', async () => {
    await expect(browser.tabs.navigate(ids[0]!, 'chrome://crash')).rejects.toThrow(
      'chrome://crash can only be typed in the omnibox',
    );
    await browser.omnibox(ids[0]!, 'chrome://crash');
    await until(() => tab(browser, ids[0]!).state === 'crashed', 'omnibox crash');
    expect(tab(browser, ids[2]!).state).toBe('live');
  });
});

describe('process per site', () => {
  it('puts two same-site tabs in one renderer process; they crash together and the other tab does not', async () => {
    const browser = await startBrowser('process-per-site');
    try {
      const a = await openLive(browser, 'lab://same-site-a');
      const b = await openLive(browser, 'lab://same-site-b');
      const other = await openLive(browser, 'lab://live');
      expect(tab(browser, a).pid).toBe(tab(browser, b).pid);
      expect(tab(browser, a).rendererId).toBe(tab(browser, b).rendererId);
      expect(tab(browser, other).pid).not.toBe(tab(browser, a).pid);
      browser.tabs.crash(a);
      await until(() => tab(browser, a).state === 'crashed' && tab(browser, b).state === 'crashed', 'both crashed');
      expect(tab(browser, other).state).toBe('live');
    } finally {
      browser.dispose();
    }
  });
});
