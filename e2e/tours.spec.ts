// Guided tours: every tour run to its end through its panel (Do it, Next, Finish), as a user would,
// checking at each step that what the step says changed did change: the highlighted task manager
// rows and map nodes, the crashed tab, the GPU pid, the plugin host's restart.
import type { Locator, Page } from '@playwright/test';
import { count, gpuPid, pageState, tabPid } from './helpers.ts';
import { expect, test, type LabApp } from './lab-app.ts';

const panel = (ui: Page) => ui.getByRole('region', { name: 'Guided tour' });

/** The task manager's highlighted rows; the drawer must show the task manager. */
const highlightedRows = (ui: Page) =>
  ui.getByRole('table', { name: 'Task manager' }).locator('tbody tr[data-highlighted="true"]');

/** The architecture map's highlighted nodes; the drawer must show the map. */
const highlightedNodes = (ui: Page) => ui.locator('#processes-panel .map-node[data-highlighted="true"]');

const drawerView = (ui: Page) => ui.locator('#processes-panel');

/** The selected tab in the tab strip (it carries data-tab-id). */
const selectedTab = (ui: Page) => ui.getByRole('tablist', { name: 'Tabs' }).getByRole('tab', { selected: true });

async function startTour(ui: Page, name: RegExp, steps: number, { keyboard = false } = {}): Promise<Locator> {
  const button = ui.getByRole('button', { name: 'Tours' });
  if (keyboard) {
    // Enter opens the menu on its first tour, Escape closes it and gives the focus back, ArrowUp
    // opens it on the last, Home goes to the first; ArrowDown to `name`, Enter starts it.
    await button.focus();
    await ui.keyboard.press('Enter');
    const menu = ui.getByRole('menu', { name: 'Guided tours' });
    await expect(menu.getByRole('menuitem').first()).toBeFocused();
    // Marked as a popup: the Electron shell hides the tab's native view while it is over the content.
    await expect(menu).toHaveAttribute('data-popup', '');
    await ui.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(button).toBeFocused();
    await ui.keyboard.press('ArrowUp');
    await expect(menu.getByRole('menuitem').last()).toBeFocused();
    await ui.keyboard.press('Home');
    const names = await menu.getByRole('menuitem').evaluateAll((items) => items.map((item) => item.textContent ?? ''));
    const index = names.findIndex((text) => name.test(text));
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await ui.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name })).toBeFocused();
    await ui.keyboard.press('Enter');
  } else {
    await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await ui.getByRole('menuitem', { name }).click();
  }
  await expect(panel(ui)).toBeVisible();
  await expect(panel(ui)).toContainText(`Step 1 of ${steps}`);
  // The tour takes the focus: its step's heading.
  await expect(panel(ui).getByRole('heading', { level: 2 })).toBeFocused();
  return panel(ui);
}

/** Expects step `n` and its title. */
async function atStep(ui: Page, n: number, of: number, title: string | RegExp): Promise<void> {
  await expect(panel(ui)).toContainText(`Step ${n} of ${of}`);
  await expect(panel(ui).getByRole('heading', { level: 2 })).toHaveText(title);
}

/** Do it, then waits until the step is done ("Done", Next or Finish enabled). */
async function doIt(ui: Page, { mayNotSettle = false, timeout = 20_000 } = {}): Promise<void> {
  const button = panel(ui).getByRole('button', { name: 'Do it' });
  if (mayNotSettle) {
    // It crashes a renderer, which ends this connection's view of the UI page: the click's own
    // promise may never settle. What happened is checked on a fresh connection (app.afterCrash).
    // Wait until it can be clicked first (a loaded machine is slow), then click without waiting long.
    await button.click({ trial: true });
    await button.click({ timeout: 3000 }).catch(() => {});
    return;
  }
  await button.click();
  await expect(panel(ui).getByRole('status')).toContainText('Done', { timeout });
}

async function next(ui: Page): Promise<void> {
  const button = panel(ui).getByRole('button', { name: 'Next' });
  await expect(button).toBeEnabled({ timeout: 15_000 });
  await button.click();
}

async function finish(ui: Page): Promise<void> {
  const button = panel(ui).getByRole('button', { name: 'Finish' });
  await expect(button).toBeEnabled({ timeout: 15_000 });
  await button.click();
  await expect(panel(ui)).toHaveCount(0);
  // The focus goes back to where tours start.
  await expect(ui.getByRole('button', { name: 'Tours' })).toBeFocused();
  await expect(ui.getByRole('table', { name: 'Task manager' }).locator('tr[data-highlighted]')).toHaveCount(0);
}

/** The drawer shows `view` (each step picks one). */
async function expectDrawer(ui: Page, view: 'tasks' | 'ipc' | 'map'): Promise<void> {
  await expect(drawerView(ui)).toHaveAttribute('data-view', view);
}

const crashedTabId = async (ui: Page): Promise<string> => {
  const tab = ui.locator('[data-tab-id]').filter({ has: ui.locator('.pid-badge.tone-crashed') });
  await expect(tab).toHaveCount(1, { timeout: 10_000 });
  return (await tab.getAttribute('data-tab-id'))!;
};

/** The pids in the task manager's highlighted rows. */
async function highlightedPids(ui: Page): Promise<number[]> {
  const table = ui.getByRole('table', { name: 'Task manager' });
  const headers = (await table.locator('thead th').allTextContents()).map((text) => text.replace(/[▲▼]/g, '').trim());
  const column = headers.indexOf('Process ID');
  const cells = await highlightedRows(ui).evaluateAll(
    (rows, index) => rows.map((row) => row.children[index]?.textContent ?? ''),
    column,
  );
  return cells.map(Number);
}

const timings: string[] = [];
test.afterAll(() => {
  if (timings.length) console.log(`tour timings (app start excluded):\n  ${timings.join('\n  ')}`);
});
/** One tour as a named step of its test, timed. */
async function tour(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await test.step(name, run);
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Why one tab's crash doesn't take the others down; from the app's start (one tab). */
async function crashIsolationTour(app: LabApp): Promise<void> {
  let ui = await app.ui();
  await startTour(ui, /crash doesn’t take the others down/, 4);
  await atStep(ui, 1, 4, 'Every tab gets its own renderer process');
  await expectDrawer(ui, 'tasks');
  await doIt(ui);
  await expect(ui.locator('[data-tab-id]')).toHaveCount(3);
  const ids = await ui
    .locator('[data-tab-id]')
    .evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-tab-id')!));
  const pids = await Promise.all(ids.map((id) => tabPid(ui, id)));
  expect(new Set(pids).size).toBe(3);
  // The three renderers are the highlighted rows.
  await expect(highlightedRows(ui)).toHaveCount(3);
  expect((await highlightedPids(ui)).sort()).toEqual([...pids].sort());
  await app.screenshot('tour-crash-1');

  await next(ui);
  await atStep(ui, 2, 4, 'Crash one of them');
  await expectDrawer(ui, 'map');
  await expect(highlightedNodes(ui)).toHaveCount(1);
  await expect(highlightedNodes(ui)).toHaveAttribute('data-process-id', `renderer-${ids[1]}`);
  await doIt(ui, { mayNotSettle: true });
  await app.afterCrash(ids[1]!);
  ui = await app.ui();
  expect(await crashedTabId(ui)).toBe(ids[1]);
  await expect(ui.getByRole('region', { name: 'Sad tab' })).toContainText('RESULT_CODE_CRASHED');
  await expect(highlightedNodes(ui)).toHaveAttribute('data-state', 'crashed');
  await expect(panel(ui).getByRole('status')).toContainText('Done');
  await app.screenshot('tour-crash-2');

  // Back and forth: a step that was done stays done.
  await next(ui);
  await atStep(ui, 3, 4, 'The others keep running');
  await panel(ui).getByRole('button', { name: 'Back' }).click();
  await atStep(ui, 2, 4, 'Crash one of them');
  await expect(panel(ui).getByRole('status')).toContainText('Done');
  await expect(panel(ui).getByRole('button', { name: 'Do it' })).toBeDisabled();
  await next(ui);
  await atStep(ui, 3, 4, 'The others keep running');
  await expectDrawer(ui, 'tasks');
  await expect(highlightedRows(ui)).toHaveCount(2);
  expect((await highlightedPids(ui)).sort()).toEqual([pids[0], pids[2]].sort());
  const before = await count(await app.tab(ids[0]!));
  await expect.poll(async () => count(await app.tab(ids[0]!))).toBeGreaterThan(before + 3);
  await panel(ui).getByRole('button', { name: 'Do it' }).click();
  await expect(selectedTab(ui)).toHaveAttribute('data-tab-id', ids[0]!);

  await next(ui);
  await atStep(ui, 4, 4, 'Reload starts a new process');
  await doIt(ui);
  const reloaded = await tabPid(ui, ids[1]!);
  expect(pids).not.toContain(reloaded);
  await expect(highlightedRows(ui)).toHaveCount(1);
  expect(await highlightedPids(ui)).toEqual([reloaded]);
  await finish(ui);
}

/** What the GPU process does and what happens when it dies (it leaves software compositing on). */
async function gpuProcessTour(app: LabApp): Promise<void> {
  const ui = await app.ui();
  await startTour(ui, /What the GPU process does/, 3);
  await expectDrawer(ui, 'map');
  await doIt(ui);
  // Do it shows a live page.
  const tabId = (await selectedTab(ui).getAttribute('data-tab-id'))!;
  await expect(ui.getByRole('textbox', { name: 'Address and search bar' })).toHaveValue('lab://live');
  await expect(highlightedNodes(ui).and(ui.locator('[data-kind="gpu"]'))).toHaveCount(1);
  await expect.poll(() => gpuPid(ui)).toBeGreaterThan(0);
  const first = await gpuPid(ui);

  await next(ui);
  await atStep(ui, 2, 3, 'Crash the GPU process');
  await expectDrawer(ui, 'tasks');
  await doIt(ui);
  await expect.poll(() => gpuPid(ui)).not.toBe(first);
  const second = await gpuPid(ui);
  expect(second).toBeGreaterThan(0);
  await expect(highlightedRows(ui)).toHaveCount(1);
  expect(await highlightedPids(ui)).toEqual([second]);
  await expect(highlightedRows(ui)).toHaveAttribute('data-process-id', 'gpu');
  // The tab was never reloaded: it draws through the new GPU process.
  const tab = await app.tab(tabId);
  await expect.poll(() => pageState(tab, 'data-gpu-pid'), { timeout: 10_000 }).toBe(String(second));

  await next(ui);
  await atStep(ui, 3, 3, 'Three crashes: software compositing');
  await expectDrawer(ui, 'map');
  await doIt(ui, { timeout: 30_000 });
  await expect(ui.getByRole('status', { name: 'Browser status' })).toContainText('Software compositing');
  await expect(highlightedNodes(ui).and(ui.locator('[data-kind="gpu"]'))).toHaveAttribute('data-gpu-mode', 'software');
  await expect.poll(() => pageState(tab, 'data-gpu-mode'), { timeout: 10_000 }).toBe('software');
  await app.screenshot('tour-gpu-3');
  await finish(ui);
}

/** Plugins out of process. */
async function pluginsTour(app: LabApp): Promise<void> {
  const ui = await app.ui();
  await startTour(ui, /Plugins out of process/, 4);
  await expectDrawer(ui, 'map');
  await doIt(ui);
  const tabId = (await selectedTab(ui).getAttribute('data-tab-id'))!;
  const tab = await app.tab(tabId);
  await expect(tab.locator('[data-plugin="clock"]')).toHaveAttribute('data-plugin-state', 'running', {
    timeout: 10_000,
  });
  await expect(highlightedNodes(ui)).toHaveCount(2);
  await expect(highlightedNodes(ui).and(ui.locator('[data-kind="plugin-host"]'))).toHaveCount(1);
  await expect(highlightedNodes(ui).and(ui.locator(`[data-process-id="renderer-${tabId}"]`))).toHaveCount(1);

  await next(ui);
  await atStep(ui, 2, 4, 'Crash the plugin host');
  await expectDrawer(ui, 'tasks');
  const hostRow = highlightedRows(ui);
  await expect(hostRow).toHaveAttribute('data-process-id', 'plugin-host');
  const hostPid = (await highlightedPids(ui))[0]!;
  await doIt(ui);
  await expect(hostRow).toContainText('killed');
  await expect(ui.getByRole('status', { name: 'Plugin host crashed' })).toBeVisible();
  await expect(tab.getByRole('status').filter({ hasText: 'Plugin crashed' }).first()).toBeVisible();

  await next(ui);
  await atStep(ui, 3, 4, 'The page lives on');
  await expectDrawer(ui, 'map');
  await expect(highlightedNodes(ui).and(ui.locator(`[data-process-id="renderer-${tabId}"]`))).toHaveAttribute(
    'data-state',
    'running',
  );
  const before = await count(tab);
  await expect.poll(() => count(tab)).toBeGreaterThan(before + 3);
  await app.screenshot('tour-plugins-3');

  await next(ui);
  await atStep(ui, 4, 4, 'Restart the plugin host');
  await doIt(ui);
  await expect(highlightedRows(ui)).toContainText('running');
  const newPid = (await highlightedPids(ui))[0]!;
  expect(newPid).toBeGreaterThan(0);
  expect(newPid).not.toBe(hostPid);
  await expect(tab.locator('[data-plugin="clock"]')).toHaveAttribute('data-plugin-state', 'running', {
    timeout: 10_000,
  });
  await finish(ui);
}

/** Typed IPC and bad messages; the first bad message of the app. */
async function badMessagesTour(app: LabApp): Promise<void> {
  let ui = await app.ui();
  await startTour(ui, /Typed IPC and bad messages/, 4);
  await expectDrawer(ui, 'ipc');
  await expect(ui.getByRole('table', { name: 'IPC inspector' })).toContainText('TabPage.heartbeat', {
    timeout: 10_000,
  });

  await next(ui);
  await atStep(ui, 2, 4, 'A page that misbehaves');
  await doIt(ui);
  const tabId = (await selectedTab(ui).getAttribute('data-tab-id'))!;

  await next(ui);
  await atStep(ui, 3, 4, 'Send a malformed message');
  // No Do it: the user clicks in the page; Next waits for the browser to end the renderer.
  await expect(panel(ui).getByRole('button', { name: 'Do it' })).toHaveCount(0);
  await expect(panel(ui).getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(panel(ui).getByRole('status')).toContainText('Waiting for you to click');
  await app.screenshot('tour-bad-message-3');
  const tab = await app.tab(tabId);
  await tab
    .getByRole('button', { name: 'Send a malformed message' })
    .click({ timeout: 3000 })
    .catch(() => {});
  await app.afterCrash(tabId);
  ui = await app.ui();
  await expect(ui.getByRole('table', { name: 'IPC inspector' }).locator('tr.problem').first()).toBeVisible({
    timeout: 10_000,
  });

  await next(ui);
  await atStep(ui, 4, 4, 'The browser ends the sender');
  await expectDrawer(ui, 'tasks');
  await expect(highlightedRows(ui)).toHaveCount(1);
  await expect(highlightedRows(ui)).toContainText('bad message');
  await expect(ui.getByRole('region', { name: 'Sad tab' })).toContainText('RESULT_CODE_KILLED_BAD_MESSAGE');
  await expect(ui.getByRole('status', { name: 'Browser status' })).toContainText('1 bad message');
  await finish(ui);
}

/** The process model tour; `shared`: whether the two same-site tabs share a process; `keyboard`: started from the keyboard. */
async function processModelTour(app: LabApp, shared: boolean, { keyboard = false } = {}): Promise<void> {
  let ui = await app.ui();
  await startTour(ui, /Process per tab vs process per site/, 4, { keyboard });
  await expect(panel(ui)).toContainText(shared ? 'This one runs process per site' : 'This one runs process per tab');
  await expectDrawer(ui, 'tasks');
  // The browser process, which decides, and every renderer running.
  const live = await ui
    .locator('[data-tab-id]')
    .evaluateAll((tabs) =>
      tabs.map((tab) => /pid (\d+)/.exec(tab.getAttribute('title') ?? '')?.[1]).filter((pid) => pid !== undefined),
    );
  await expect(highlightedRows(ui)).toHaveCount(1 + new Set(live).size);
  await expect(highlightedRows(ui).first()).toHaveAttribute('data-process-id', 'browser');

  await next(ui);
  await atStep(ui, 2, 4, 'Two pages of one site');
  await doIt(ui);
  const tabIds = await ui
    .locator('[data-tab-id]')
    .evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-tab-id')!));
  const [a, b] = tabIds.slice(-2) as [string, string];
  const [pidA, pidB] = [await tabPid(ui, a), await tabPid(ui, b)];
  expect(pidA === pidB).toBe(shared);
  expect(await highlightedPids(ui)).toEqual(shared ? [pidA] : [pidA, pidB]);

  await next(ui);
  await atStep(ui, 3, 4, 'One process or two?');
  await expectDrawer(ui, 'map');
  await expect(panel(ui)).toContainText(`Same site A is pid ${pidA}, Same site B is pid ${pidB}`);
  await expect(panel(ui)).toContainText(shared ? 'one renderer process for both' : 'two renderer processes');
  await expect(highlightedNodes(ui)).toHaveCount(shared ? 1 : 2);
  await app.screenshot(`tour-process-model-${shared ? 'per-site' : 'per-tab'}`);

  await next(ui);
  await atStep(ui, 4, 4, 'Crash one of them');
  await doIt(ui, { mayNotSettle: true });
  await app.afterCrash(...(shared ? [a, b] : [a]));
  ui = await app.ui();
  await expect(panel(ui).getByRole('status')).toContainText('Done');
  await expect(ui.locator(`[data-tab-id="${b}"]`)).toHaveAttribute('title', shared ? /RESULT_CODE_CRASHED/ : /pid \d+/);
  await finish(ui);
}

test('every tour, one after another, from wherever the last one left the app (process per tab)', async ({ app }) => {
  test.setTimeout(150_000);
  await tour('crash isolation', () => crashIsolationTour(app));
  await tour('plugins', () => pluginsTour(app));
  await tour('bad messages', () => badMessagesTour(app));
  await tour('process model, per tab', () => processModelTour(app, false));
  // Last: it leaves software compositing on for the rest of the app's life.
  await tour('GPU process', () => gpuProcessTour(app));
});

test.describe('with --lab-process-model=per-site', () => {
  test.use({ processModel: 'process-per-site' });
  test('the process model tour shows two same-site tabs sharing one process, and crashing together', async ({
    app,
  }) => {
    // End tour leaves at any step, and gives the focus back to the Tours button.
    const ui = await app.ui();
    await startTour(ui, /Plugins out of process/, 4);
    await panel(ui).getByRole('button', { name: 'End tour' }).click();
    await expect(panel(ui)).toHaveCount(0);
    await expect(ui.getByRole('button', { name: 'Tours' })).toBeFocused();
    // Started from the keyboard, as a check of the menu's keys.
    await tour('process model, per site', () => processModelTour(app, true, { keyboard: true }));
  });
});
