// The lab pages end to end. In the app: the toolbar's Labs menu opens lab://labs in a new tab, its
// IPC link opens lab://ipc in that tab, which shows the notes' six kinds, in English and in Korean
// (remembered across a reload). Apart from the app: the IPC lab's view, built with Vite from its
// test harness (renderer/pages/labs/ipc/testing/) and served under the pages' own CSP, draws a real
// recorded run live as its figures arrive, in both languages, and exports it.
import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FrameLocator, Page } from '@playwright/test';
import { build } from 'vite';
import { launchOwnChromium, openTab } from './helpers.ts';
import { expect, test } from './lab-app.ts';

const root = path.resolve(import.meta.dirname, '..');
const SCREENS = path.join(root, 'test-results/e2e/screens');
const HARNESS = path.join(root, 'renderer/pages/labs/ipc/testing');
const RECORDED = JSON.parse(readFileSync(path.join(HARNESS, 'quick-result.json'), 'utf8')) as {
  channels: { id: string; kind: string; sizes: unknown[] }[];
  checks: unknown[];
};
/** i18next's missing keys show as ⟦key⟧ on the lab pages (renderer/pages/labs/i18n/lab-i18n.ts). */
const MISSING = '⟦';

async function bodyText(content: FrameLocator | Page): Promise<string> {
  return (await content.locator('body').innerText()).trim();
}

test('the Labs menu opens lab://labs, its IPC link opens lab://ipc: six kinds, in English and Korean', async ({
  app,
}) => {
  test.setTimeout(90_000);
  const ui = await app.ui();
  const tabsBefore = await ui.locator('[data-tab-id]').count();
  const button = ui.getByRole('button', { name: 'Labs' });
  await button.click();
  const menu = ui.getByRole('menu', { name: 'Labs' });
  await expect(menu.getByRole('menuitem', { name: 'IPC lab' })).toBeVisible();
  // Every lab is offered.
  for (const name of ['Threads lab', 'Deadlock lab'])
    await expect(menu.getByRole('menuitem', { name })).not.toHaveAttribute('aria-disabled', 'true');
  await menu.getByRole('menuitem', { name: 'All labs' }).click();
  await expect(menu).toBeHidden();

  // A new tab, selected, on lab://labs.
  await expect(ui.locator('[data-tab-id]')).toHaveCount(tabsBefore + 1);
  const tabId = (await ui.locator('[data-tab-id]').last().getAttribute('data-tab-id'))!;
  const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
  await expect(omnibox).toHaveValue('lab://labs');
  const labs = await app.tab(tabId);
  // The page starts in the browser's language; make it English for what follows.
  await labs.getByRole('button', { name: 'English' }).click();
  await expect(labs.locator('html')).toHaveAttribute('lang', 'en');
  await expect(labs.getByRole('heading', { level: 1 })).toHaveText('Labs');
  await expect(labs.locator('[data-lab]')).toHaveCount(3);
  await expect(labs.locator('[data-lab="threads"]')).toHaveAttribute('data-status', 'available');
  await expect(labs.locator('[data-lab="deadlock"]')).toHaveAttribute('data-status', 'available');
  await expect(labs.locator('[data-lab="deadlock"]')).toContainText('banker');
  expect(await bodyText(labs)).not.toContain(MISSING);
  await app.screenshot('labs-index-en');
  await labs.getByRole('button', { name: '한국어' }).click();
  await expect(labs.getByRole('heading', { level: 1 })).toHaveText('실험실');
  await expect(labs.locator('[data-lab="ipc"] h2')).toHaveText('IPC 실험실');
  expect(await bodyText(labs)).not.toContain(MISSING);
  await app.screenshot('labs-index-ko');
  await labs.getByRole('button', { name: 'English' }).click();

  await labs.getByRole('link', { name: 'Open the IPC lab' }).click();
  await expect(omnibox).toHaveValue('lab://ipc', { timeout: 15_000 });
  const ipc = await app.tab(tabId);
  await expect(ipc.getByRole('heading', { level: 1 })).toHaveText('IPC lab');
  const kinds = ipc.locator('[data-kind]');
  await expect(kinds).toHaveCount(7);
  await expect(kinds.locator('h3')).toHaveText([
    'Shared memory',
    'File',
    'Socket',
    'Anonymous pipe',
    'Named pipe',
    'Message queue',
    "This app's own channels",
  ]);
  await expect(ipc.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(ipc.getByRole('status', { name: 'Lab status' })).not.toBeEmpty();
  expect(await bodyText(ipc)).not.toContain(MISSING);
  const english = await bodyText(ipc);
  await app.screenshot('labs-ipc-en');

  await ipc.getByRole('button', { name: '한국어' }).click();
  await expect(ipc.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(ipc.getByRole('heading', { level: 1 })).toHaveText('IPC 실험실');
  await expect(kinds.locator('h3')).toHaveText([
    '공유 메모리',
    '파일',
    '소켓',
    '익명 파이프',
    '명명 파이프',
    '메시지 큐',
    '이 앱의 채널',
  ]);
  await expect(ipc.getByRole('button', { name: '실행' })).toBeVisible();
  const korean = await bodyText(ipc);
  expect(korean).not.toContain(MISSING);
  expect(korean).not.toBe(english);
  // The tab's title follows the page's.
  await expect(ui.locator(`[data-tab-id="${tabId}"]`)).toHaveAttribute('title', /IPC 실험실/);
  await app.screenshot('labs-ipc-ko');

  // Remembered in the page's origin: a reload comes back in Korean.
  await ui.getByRole('button', { name: 'Reload' }).click();
  await expect((await app.tab(tabId)).getByRole('heading', { level: 1 })).toHaveText('IPC 실험실', {
    timeout: 15_000,
  });
  const reloaded = await app.tab(tabId);
  await reloaded.getByRole('button', { name: 'English' }).click();
  await expect(reloaded.locator('html')).toHaveAttribute('lang', 'en');
  await expect(reloaded.locator('[data-kind] h3').first()).toHaveText('Shared memory');
  expect(await bodyText(reloaded)).not.toContain(MISSING);

  // Back to the index through the page's own link.
  await reloaded.getByRole('link', { name: /All labs/ }).click();
  await expect(omnibox).toHaveValue('lab://labs', { timeout: 15_000 });
});

/** The harness built into a folder of test-results, and served there with the built pages' CSP. */
async function serveHarness(): Promise<{ url: string; csp: string; close: () => Promise<void> }> {
  const built = readFileSync(path.join(root, 'dist/pages/ipc.html'), 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(built)?.[1];
  if (!csp) throw new Error('dist/pages/ipc.html has no CSP: run `npm run build`');
  const outDir = path.join(root, 'test-results/labs-harness');
  await build({
    configFile: false,
    root: HARNESS,
    base: './',
    logLevel: 'warn',
    publicDir: false,
    // One page holding Plot and i18next: bigger than Vite's warning limit, and that is fine here.
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 2048,
      rolldownOptions: { input: path.join(HARNESS, 'harness.html') },
    },
  });
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((request, response) => {
    const file = path.join(outDir, path.normalize(new URL(request.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(outDir)) return void response.writeHead(403).end();
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, {
            'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
            'Content-Security-Policy': csp,
          })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/harness.html`,
    csp,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('the IPC lab view draws a recorded run live under the pages CSP, in English and Korean, and exports it', async ({
  shell,
}) => {
  test.skip(shell === 'electron', 'the view harness runs in plain Chromium; it does not depend on the shell');
  test.setTimeout(120_000);
  const harness = await serveHarness();
  const browser = await launchOwnChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'en-US' });
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    // Chromium logs a CSP violation as a console error; the page's event says which directive, too.
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));",
    });
    await page.goto(`${harness.url}?step=40`);
    const kinds = page.locator('[data-kind]');
    await expect(kinds).toHaveCount(7);
    await expect(page.locator('[data-chart]')).toHaveCount(3);
    await page.getByRole('button', { name: 'Run' }).click();

    // The charts fill in while the run goes: several partial counts of points before the last.
    const lab = page.locator('#ipc-lab');
    const seen = new Set<number>();
    const status = page.getByRole('status', { name: 'Lab status' });
    await expect
      .poll(
        async () => {
          seen.add(Number((await lab.getAttribute('data-chart-points')) ?? 0));
          return status.getAttribute('data-state');
        },
        { timeout: 30_000, intervals: [20] },
      )
      .toBe('done');
    const total = RECORDED.channels.reduce((sum, channel) => sum + channel.sizes.length * 3, 0);
    await expect(lab).toHaveAttribute('data-chart-points', String(total));
    const partial = [...seen].filter((points) => points > 0 && points < total);
    expect(partial.length, `partial chart states seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(3);

    // Each recorded channel is listed under its kind, with what ran.
    for (const channel of RECORDED.channels)
      await expect(page.locator(`[data-channel="${channel.id}"]`), channel.id).toHaveCount(1);
    await expect(page.locator('[data-kind="socket"] [data-channel]')).toHaveCount(2);
    // The charts: Plot's SVGs with a mark per figure; the reference chart's published ticks.
    await expect(page.locator('[data-chart="latency"] svg[class^="plot"]')).toHaveCount(1);
    await expect(page.locator('[data-chart="throughput"] svg[class^="plot"]')).toHaveCount(1);
    await expect(page.locator('[data-chart="reference"] svg[class^="plot"]')).toHaveCount(1);
    await expect(page.locator('[data-chart="latency"] circle')).toHaveCount(total);
    await expect(page.getByText('published, other machine')).toBeVisible();
    await expect(page.locator('.checks li')).toHaveCount(RECORDED.checks.length);
    await expect(page.locator('.tear-table tbody tr')).not.toHaveCount(0);
    await expect(page.locator('[data-env="cpu"] dd')).not.toBeEmpty();
    expect(await bodyText(page)).not.toContain(MISSING);
    mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, 'ipc-lab-view-en.png'), fullPage: true });

    // Korean: every text changes, the charts' axes too; nothing missing.
    await page.getByRole('button', { name: '한국어' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.locator('[data-chart="latency"]')).toContainText('왕복 (µs)');
    await expect(page.getByText('공개된 수치, 다른 컴퓨터')).toBeVisible();
    expect(await bodyText(page)).not.toContain(MISSING);
    await page.screenshot({ path: path.join(SCREENS, 'ipc-lab-view-ko.png'), fullPage: true });

    // Export JSON downloads the result as it was recorded.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'JSON 내보내기' }).click();
    const file = await (await download).path();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(RECORDED);

    // Stop mid-run: the run ends as stopped, what arrived stays.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Run' }).click();
    await expect(status).toHaveAttribute('data-state', 'running');
    await expect.poll(async () => Number(await lab.getAttribute('data-chart-points'))).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(status).toHaveAttribute('data-state', 'stopped');
    expect(Number(await lab.getAttribute('data-chart-points'))).toBeLessThan(total);
    await expect(page.getByRole('button', { name: 'Export JSON' })).toBeDisabled();

    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    await harness.close();
  }
});

test('lab://ipc measures on the lab host: a quick run lands live, every kind says what ran, the checks are shown', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const ui = await app.ui();
  const tabId = await openTab(ui, 'lab://ipc');
  const ipc = await app.tab(tabId);
  await ipc.getByRole('radio', { name: /Quick/ }).check();
  await ipc.getByRole('button', { name: 'Run' }).click();
  const status = ipc.getByRole('status', { name: 'Lab status' });
  await expect(status).toHaveAttribute('data-state', 'running');
  // Figures land while it runs, before the result.
  await expect
    .poll(async () => Number((await ipc.locator('#ipc-lab').getAttribute('data-chart-points')) ?? 0), {
      timeout: 120_000,
    })
    .toBeGreaterThan(0);
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  // What ran is the lab host's own account: the socket kind as a Unix socket and TCP, the app's channels beside.
  await expect(ipc.locator('[data-kind="socket"] [data-channel]')).toHaveCount(2);
  // Three measured by the lab host, and this tab's own GPU channel timed by the page.
  await expect(ipc.locator('[data-kind="app-channel"] [data-channel]')).toHaveCount(4);
  await expect(ipc.locator('[data-chart="latency"] svg[class^="plot"]')).toHaveCount(1);
  expect(await bodyText(ipc)).not.toContain(MISSING);
  await app.screenshot('labs-ipc-run');
});
