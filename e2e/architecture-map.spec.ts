// The architecture map: a node per process (browser, each renderer, GPU process, plugin host) with its
// pid, an edge per channel, messages pulsing along the browser's channels and the direct ones (their
// rates counted by the GPU process and plugin host); a crashed renderer turns red and says why within
// a second of the click; a reload or a GPU restart shows the new pid.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './lab-app.ts';
import { gpuPid, openTab, pageState, tabPid } from './helpers.ts';

/** Opens the drawer from the status bar and switches it to the architecture map. */
async function openMap(ui: Page): Promise<Locator> {
  const toggle = ui.getByRole('button', { name: /^Processes/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const tab = ui.getByRole('tab', { name: 'Architecture map' });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const map = ui.getByRole('figure', { name: 'Architecture map' });
  await expect(map).toBeVisible();
  return map;
}

const rendererOf = (map: Locator, tabId: string) => map.locator(`[data-kind="renderer"][data-tab-ids~="${tabId}"]`);

/** What the page measured around a crash: performance.now() of the click, of the red node, of the frame after. */
interface CrashTiming {
  clickAt?: number;
  redAt?: number;
  paintedAt?: number;
}

/** The few page globals the timing needs (this file is type-checked without DOM types). */
interface PageGlobals {
  readonly document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    readonly body: unknown;
  };
  readonly MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: object): void;
    disconnect(): void;
  };
  requestAnimationFrame(callback: () => void): number;
  mapCrashTiming?: CrashTiming;
}

/**
 * Measures in the UI page itself, from the click on "Crash this tab" to the renderer's node turning
 * red (data-state crashed): the crash poisons this Playwright connection, so nothing outside the page
 * could time it. Read back with `crashTiming()` on a fresh connection.
 */
async function timeCrash(ui: Page, button: Locator, processId: string): Promise<void> {
  const handle = await button.elementHandle();
  await ui.evaluate(
    ([crashButton, id]) => {
      const page = globalThis as unknown as PageGlobals;
      const timing: CrashTiming = {};
      page.mapCrashTiming = timing;
      crashButton!.addEventListener('click', () => (timing.clickAt ??= performance.now()), {
        capture: true,
        once: true,
      });
      const observer = new page.MutationObserver(() => {
        const state = page.document.querySelector(`[data-process-id="${id}"]`)?.getAttribute('data-state');
        if (timing.clickAt === undefined || (state !== 'crashed' && state !== 'killed')) return;
        timing.redAt = performance.now();
        page.requestAnimationFrame(() => (timing.paintedAt = performance.now()));
        observer.disconnect();
      });
      observer.observe(page.document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
    },
    [handle, processId] as const,
  );
}

async function crashTiming(ui: Page): Promise<CrashTiming> {
  return ui.evaluate(() => (globalThis as unknown as PageGlobals).mapCrashTiming ?? {});
}

test('the map shows every process with its pid and every channel; a crashed renderer turns red with its reason within a second; reload brings a new pid', async ({
  app,
}) => {
  let ui = await app.ui();
  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const second = await openTab(ui, 'lab://live');
  const third = await openTab(ui, 'lab://plugins');
  const tabIds = [first, second, third];
  const pids = await Promise.all(tabIds.map((id) => tabPid(ui, id)));

  const map = await openMap(ui);
  await expect(map.locator('[data-kind="browser"]')).toContainText(/Browser · pid \d+/);
  await expect.poll(() => gpuPid(ui)).toBeGreaterThan(0);
  const gpu = map.locator('[data-kind="gpu"]');
  await expect(gpu).toContainText(`GPU process · pid ${await gpuPid(ui)}`);
  await expect(gpu).toContainText('hardware compositing');
  await expect(map.locator('[data-kind="plugin-host"]')).toContainText(/Plugin host · pid \d+/);
  await expect(map.locator('[data-kind="plugin-host"]')).toHaveAttribute('data-state', 'running');

  // One renderer per tab, with the pid its tab badge shows; a browser channel to each, and the
  // direct channels the browser brokered: TabGpu for the live pages (they draw through the GPU
  // process), TabPlugin for the plugins page.
  await expect(map.locator('[data-kind="renderer"]')).toHaveCount(3);
  const rendererIds: string[] = [];
  for (const [index, tabId] of tabIds.entries()) {
    const node = rendererOf(map, tabId);
    await expect(node).toContainText(`Renderer · pid ${pids[index]}`);
    await expect(node).toHaveAttribute('data-state', 'running');
    const id = (await node.getAttribute('data-process-id'))!;
    rendererIds.push(id);
    await expect(map.locator(`[data-edge-id="ipc:${id}"]`)).toContainText('BrowserTab');
  }
  for (const id of rendererIds.slice(0, 2))
    await expect(map.locator(`[data-edge-id="TabGpu:${id}"]`)).toBeVisible({ timeout: 10_000 });
  await expect(map.locator(`[data-edge-id="TabPlugin:${rendererIds[2]}"]`)).toBeVisible({ timeout: 10_000 });
  await expect(map.locator('[data-edge-id="ipc:gpu"]')).toContainText('BrowserGpu');
  await expect(map.locator('[data-edge-id="ipc:plugin-host"]')).toContainText('BrowserPluginHost');

  // Messages flow: live pages heartbeat 4 times a second, so every renderer's channel has a rate,
  // and dots travel along the channels.
  for (const id of rendererIds) {
    await expect
      .poll(
        async () =>
          Number(/· ([\d.]+)\/s/.exec((await map.locator(`[data-edge-id="ipc:${id}"]`).textContent()) ?? '')?.[1] ?? 0),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
  }
  await expect.poll(() => map.locator('path.map-pulse').count()).toBeGreaterThan(0);
  // The direct channels bypass the browser: their rates are the GPU process's and the plugin host's
  // own counts (via getMetrics). The plugins page's clock renders over TabPlugin; the live page,
  // once it is the selected tab (a hidden one does not draw), sends its frames over TabGpu.
  const directRate = async (edgeId: string) =>
    Number((await map.locator(`[data-edge-id="${edgeId}"]`).getAttribute('data-per-second')) ?? 0);
  await expect.poll(() => directRate(`TabPlugin:${rendererIds[2]}`), { timeout: 10_000 }).toBeGreaterThan(0);
  await ui.locator(`[data-tab-id="${second}"]`).click();
  await expect.poll(() => directRate(`TabGpu:${rendererIds[1]}`), { timeout: 10_000 }).toBeGreaterThan(5);
  await expect(map.locator(`[data-edge-id="TabGpu:${rendererIds[1]}"]`)).toContainText(/^TabGpu · [\d.]+\/s · direct$/);
  await expect.poll(() => map.locator('path.map-pulse.direct').count()).toBeGreaterThan(0);
  console.log(
    `architecture map: TabGpu of the live tab at ${(await directRate(`TabGpu:${rendererIds[1]}`)).toFixed(1)} messages/s`,
  );
  await app.screenshot('architecture-map');

  // Crash the second tab, timed in the page from the click to its node turning red.
  await ui.locator(`[data-tab-id="${second}"]`).click();
  const crashButton = ui.getByRole('button', { name: 'Crash this tab' });
  await timeCrash(ui, crashButton, rendererIds[1]!);
  await crashButton.click();
  await app.afterCrash(second);
  ui = await app.ui();
  await expect.poll(async () => (await crashTiming(ui)).paintedAt, { timeout: 5000 }).toBeDefined();
  const timing = await crashTiming(ui);
  const crashToRed = timing.redAt! - timing.clickAt!;
  console.log(
    `architecture map: click to red node ${crashToRed.toFixed(0)} ms (painted after ${(timing.paintedAt! - timing.clickAt!).toFixed(0)} ms)`,
  );
  test.info().annotations.push({ type: 'crash-to-red', description: `${crashToRed.toFixed(0)} ms` });
  expect(crashToRed).toBeLessThan(1000);

  const crashedMap = ui.getByRole('figure', { name: 'Architecture map' });
  const crashed = crashedMap.locator(`[data-process-id="${rendererIds[1]}"]`);
  await expect(crashed).toHaveAttribute('data-state', 'crashed');
  await expect(crashed).toContainText(`Renderer · pid ${pids[1]}`);
  await expect(crashed).toContainText('crashed · RESULT_CODE_CRASHED');
  await expect(crashed).toHaveCSS('border-top-color', 'rgb(217, 48, 37)');
  await expect(crashedMap.locator(`[data-edge-id="TabGpu:${rendererIds[1]}"]`)).toHaveCount(0);
  // The others run on.
  for (const index of [0, 2])
    await expect(crashedMap.locator(`[data-process-id="${rendererIds[index]}"]`)).toHaveAttribute(
      'data-state',
      'running',
    );
  await app.screenshot('architecture-map-crashed');

  // Reload: a new renderer process for the tab, same node, new pid, one restart.
  await ui.getByRole('region', { name: 'Sad tab' }).getByRole('button', { name: 'Reload' }).click();
  await expect.poll(() => tabPid(ui, second)).not.toBe(pids[1]);
  const newPid = await tabPid(ui, second);
  await expect(crashed).toHaveAttribute('data-state', 'running');
  await expect(crashed).toContainText(`Renderer · pid ${newPid}`);
  await expect(crashed).toContainText('running · 1 restart');
  // Once the new page draws through the GPU process, the map shows its channel.
  await expect
    .poll(async () => pageState(await app.tab(second), 'data-gpu-mode'), { timeout: 20_000 })
    .toBe('hardware');
  await expect(crashedMap.locator(`[data-edge-id="TabGpu:${rendererIds[1]}"]`)).toBeVisible();
});

test('a GPU process crash shows the restarted GPU process with its new pid, and the tabs get channels to it', async ({
  app,
}) => {
  const ui = await app.ui();
  const tabId = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const map = await openMap(ui);
  await expect.poll(() => gpuPid(ui)).toBeGreaterThan(0);
  const before = await gpuPid(ui);
  const gpu = map.locator('[data-kind="gpu"]');
  await expect(gpu).toHaveAttribute('data-pid', String(before));
  const rendererId = (await rendererOf(map, tabId).getAttribute('data-process-id'))!;
  await expect(map.locator(`[data-edge-id="TabGpu:${rendererId}"]`)).toBeVisible({ timeout: 10_000 });

  const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
  await omnibox.fill('chrome://gpucrash');
  await omnibox.press('Enter');
  // The status bar and the map agree on the new pid.
  await expect
    .poll(
      async () => {
        const pid = await gpuPid(ui);
        return pid > 0 && pid !== before;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  const after = await gpuPid(ui);
  await expect(gpu).toHaveAttribute('data-pid', String(after));
  await expect(gpu).toContainText(`GPU process · pid ${after}`);
  await expect(gpu).toHaveAttribute('data-state', 'running');
  await expect(gpu).toContainText('running · 1 restart');
  await expect(gpu).toContainText('hardware compositing');
  // The tab asks the browser again and gets a channel to the new GPU process.
  await expect
    .poll(async () => pageState(await app.tab(tabId), 'data-gpu-pid'), { timeout: 10_000 })
    .toBe(String(after));
  await expect(map.locator(`[data-edge-id="TabGpu:${rendererId}"]`)).toBeVisible();
  await app.screenshot('architecture-map-gpu-restarted');
});

test('software compositing and a crashed plugin host are visible on the map', async ({ app }) => {
  const ui = await app.ui();
  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const plugins = await openTab(ui, 'lab://plugins');
  const map = await openMap(ui);
  const firstRenderer = (await rendererOf(map, first).getAttribute('data-process-id'))!;
  const pluginsRenderer = (await rendererOf(map, plugins).getAttribute('data-process-id'))!;
  await expect(map.locator(`[data-edge-id="TabPlugin:${pluginsRenderer}"]`)).toBeVisible({ timeout: 10_000 });

  // The plugin host crashes: its node turns red and says why; its tab's direct channel is gone.
  await (await app.tab(plugins)).getByRole('button', { name: 'Crash the plugin host' }).click();
  const host = map.locator('[data-kind="plugin-host"]');
  await expect(host).toHaveAttribute('data-state', /crashed|killed/, { timeout: 5000 });
  await expect(host).toContainText(/crashed · \S+|killed · \S+/);
  await expect(host).toContainText('plugins down');
  await expect(map.locator(`[data-edge-id="TabPlugin:${pluginsRenderer}"]`)).toHaveCount(0);
  await expect(map.locator('[data-edge-id="ipc:plugin-host"]')).toHaveClass(/broken/);

  // Three GPU crashes within the window: software compositing, drawn as such.
  for (let crash = 0; crash < 3; crash++) {
    await expect.poll(() => gpuPid(ui), { timeout: 10_000 }).toBeGreaterThan(0);
    process.kill(await gpuPid(ui), 'SIGKILL');
    if (crash < 2)
      await expect(map.locator('[data-kind="gpu"]')).toContainText(`${crash + 1} restart`, { timeout: 10_000 });
  }
  const gpu = map.locator('[data-kind="gpu"]');
  await expect(gpu).toHaveAttribute('data-gpu-mode', 'software', { timeout: 10_000 });
  await expect(gpu).toContainText('software compositing');
  await expect(gpu).toContainText('killed · SIGKILL');
  for (const id of [firstRenderer, pluginsRenderer]) {
    await expect(map.locator(`[data-edge-id="software:${id}"]`)).toContainText('software');
    await expect(map.locator(`[data-edge-id="TabGpu:${id}"]`)).toHaveCount(0);
  }
  await app.screenshot('architecture-map-software');
});
