// The lab host, supervised like the plugin host, driven through the IPC lab's own page (lab://ipc):
// started when the page asks for its channel and listed in the task manager; a lab that spins
// (chrome://labhang) stalls only the lab host while the UI and the other tabs keep going, the
// watchdog reports and ends it, it is started again and the page runs on the new one; a quick run
// puts this tab's own GPU channel on the chart; the HTML report opens offline with its plots; End
// process brings it back once more. A page of another site is refused (vitest:
// main/chromium/lab-host-on-real-processes.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FrameLocator, Page } from '@playwright/test';
import { count, launchOwnChromium, openTab, openTaskManager, taskManagerRows } from './helpers.ts';
import { expect, test } from './lab-app.ts';

const OUT = path.resolve(import.meta.dirname, '../test-results/e2e/lab-host');

/** The lab host's rows (its kind, not a tab titled "Lab host"). */
async function labHostRows(ui: Page): Promise<Record<string, string>[]> {
  return (await taskManagerRows(ui)).filter((row) => row['Kind'] === 'Lab host');
}

/** The one Lab host row's pid, state and restarts, or undefined while there is none. */
async function labHost(ui: Page): Promise<{ pid: number; state: string; restarts: number } | undefined> {
  const found = await labHostRows(ui);
  if (found.length !== 1) return undefined;
  const row = found[0]!;
  return { pid: Number(row['Process ID']), state: row['State']!, restarts: Number(row['Restarts']) };
}

/** Waits for a lab host other than `pid` to run and answers its restarts. */
async function restartedFrom(ui: Page, pid: number): Promise<number> {
  let restarts = Number.NaN;
  await expect
    .poll(
      async () => {
        const now = await labHost(ui);
        restarts = now?.restarts ?? Number.NaN;
        return now !== undefined && now.pid !== pid && now.state === 'running';
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return restarts;
}

/** A quick run on the page, to its end. */
async function quickRun(ipc: FrameLocator | Page): Promise<void> {
  await ipc.getByRole('radio', { name: /Quick/ }).check();
  await ipc.getByRole('button', { name: 'Run' }).click();
  await expect(ipc.getByRole('status', { name: 'Lab status' })).toHaveAttribute('data-state', 'done', {
    timeout: 150_000,
  });
}

test('lab://ipc: a spinning lab stalls only the lab host, the watchdog restarts it, the page runs on, its GPU channel is charted, the HTML report opens', async ({
  app,
  shell,
}) => {
  test.setTimeout(300_000);
  const ui = await app.ui();
  await openTaskManager(ui);
  expect(await labHostRows(ui)).toEqual([]);

  // Another tab that ticks on its own (its counter is the page's main thread at work).
  const liveId = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const live = await app.tab(liveId);
  const ipcId = await openTab(ui, 'lab://ipc');
  const ipc = await app.tab(ipcId);
  // The page asks for its channel at load: the lab host starts and is listed.
  await expect.poll(async () => (await labHost(ui))?.state, { timeout: 20_000 }).toBe('running');
  const first = (await labHost(ui))!;
  expect(first.pid).toBeGreaterThan(0);

  // A lab that spins: the lab host's main thread, forever. Only the watchdog ends it.
  const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
  await omnibox.fill('chrome://labhang');
  await omnibox.press('Enter');
  const liveBefore = await count(live);
  // The watchdog notices the silence (5 s), reports it unresponsive and ends it at once (too briefly
  // for the task manager to show; the event itself: main/chromium/lab-host-on-real-processes.test.ts):
  // a spinning process never exits by itself, so a new pid with one restart is the watchdog's doing.
  // The task manager, refreshed by a UI that kept answering, shows it.
  expect(await restartedFrom(ui, first.pid)).toBe(1);
  // The other tab kept ticking all along.
  expect(await count(live)).toBeGreaterThan(liveBefore);
  const second = (await labHost(ui))!;

  // The page runs on the new lab host; after it, this tab's own GPU channel is timed in the page.
  await quickRun(ipc);
  const gpuChannel = ipc.locator('[data-kind="app-channel"] [data-channel="app/gpu-channel"]');
  if (shell === 'chromium') {
    await expect(gpuChannel).toBeVisible();
    await expect(gpuChannel.locator('.channel-error')).toHaveCount(0);
    const figures = ipc.locator('.tie-in-figures');
    const gpuUs = Number(await figures.getAttribute('data-gpu-us'));
    const ringUs = Number(await figures.getAttribute('data-ring-us'));
    // Sane: a real round trip through a WebSocket, two event loops and Skia, above the ring's.
    expect(gpuUs).toBeGreaterThan(0);
    expect(gpuUs).toBeGreaterThan(ringUs);
    test
      .info()
      .annotations.push({ type: 'gpu-channel', description: `p50 ${gpuUs} µs; fastest ring p50 ${ringUs} µs` });
  }
  // The latency chart draws its three percentiles for every channel and size, the GPU channel's too.
  const points = Number(await ipc.locator('#ipc-lab').getAttribute('data-chart-points'));
  await expect(ipc.locator('[data-chart="latency"] circle')).toHaveCount(points);
  await app.screenshot('lab-ipc-after-hang');

  // Export HTML report: the lab host makes the page; it opens offline, no console error, every plot drawn.
  await ipc.locator('html').evaluate(() => {
    const exported: Blob[] = [];
    (globalThis as unknown as { exported: Blob[] }).exported = exported;
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob: Blob) => {
      if (blob instanceof Blob) exported.push(blob);
      return create(blob);
    };
  });
  await ipc.getByRole('button', { name: 'Export HTML report' }).click();
  await expect
    .poll(() => ipc.locator('html').evaluate(() => (globalThis as unknown as { exported: Blob[] }).exported.length))
    .toBe(1);
  const html = await ipc
    .locator('html')
    .evaluate(() => (globalThis as unknown as { exported: Blob[] }).exported[0]!.text());
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'ipc-lab-report.html');
  writeFileSync(file, html);
  await expectReportOpens(file, points);

  // End process: started again, and the page runs on it too.
  await ui
    .getByRole('table', { name: 'Task manager' })
    .locator('tbody tr')
    .filter({ has: ui.getByRole('cell', { name: String(second.pid), exact: true }) })
    .click();
  await ui.getByRole('button', { name: 'End process' }).click();
  expect(await restartedFrom(ui, second.pid)).toBe(2);
});

/** Opens the exported report from disk in a browser of its own, offline, and counts what it drew. */
async function expectReportOpens(file: string, latencyPoints: number): Promise<void> {
  const browser = await launchOwnChromium();
  try {
    const context = await browser.newContext({ offline: true, viewport: { width: 1000, height: 1200 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(pathToFileURL(file).href);
    await expect(page.locator('[data-report="ipc-lab"]')).toHaveAttribute('data-rendered', 'true');
    await expect(page.locator('[data-chart="latency"] circle')).toHaveCount(latencyPoints);
    await expect(page.locator('[data-chart="throughput"] circle')).not.toHaveCount(0);
    await expect(page.locator('[data-chart="reference"] circle')).not.toHaveCount(0);
    await expect(page.locator('[data-channel="app/gpu-channel"]')).toHaveCount(1);
    await page.screenshot({ path: path.join(OUT, 'ipc-lab-report.png'), fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}
