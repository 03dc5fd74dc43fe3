// Why one tab's crash doesn't take the others down: three tabs, three renderer processes.
import { expect, test } from './lab-app.ts';
import { count, openTab, tabPid } from './helpers.ts';

test('three tabs run in three renderer processes; crashing the second leaves the others counting; reload gives it a new pid', async ({
  app,
}) => {
  let ui = await app.ui();
  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const second = await openTab(ui, 'lab://live');
  const third = await openTab(ui, 'lab://live');
  const pids = await Promise.all([first, second, third].map((id) => tabPid(ui, id)));
  expect(new Set(pids).size).toBe(3);
  await app.screenshot('three-tabs');

  await ui.locator(`[data-tab-id="${second}"]`).click();
  const before = { first: await count(await app.tab(first)), third: await count(await app.tab(third)) };
  await ui.getByRole('button', { name: 'Crash this tab' }).click();
  await app.afterCrash(second);
  ui = await app.ui();
  await expect(ui.getByRole('region', { name: 'Sad tab' })).toBeVisible({ timeout: 1000 });
  await expect(ui.getByRole('region', { name: 'Sad tab' })).toContainText('Error code: RESULT_CODE_CRASHED');
  await app.screenshot('sad-tab');
  // The first and third tabs' pages keep counting after the crash.
  await expect.poll(async () => count(await app.tab(first))).toBeGreaterThan(before.first + 5);
  await expect.poll(async () => count(await app.tab(third))).toBeGreaterThan(before.third + 5);

  await ui.getByRole('region', { name: 'Sad tab' }).getByRole('button', { name: 'Reload' }).click();
  await expect(ui.getByRole('region', { name: 'Sad tab' })).toBeHidden();
  await expect.poll(() => tabPid(ui, second)).not.toBe(pids[1]);
  expect(pids).not.toContain(await tabPid(ui, second));
});

test('chrome://crash typed in the omnibox crashes only that tab', async ({ app }) => {
  let ui = await app.ui();
  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const second = await openTab(ui, 'lab://live');
  const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
  await omnibox.fill('chrome://crash');
  await omnibox.press('Enter');
  await app.afterCrash(second);
  ui = await app.ui();
  await expect(ui.getByRole('region', { name: 'Sad tab' })).toBeVisible();
  await expect(ui.locator(`[data-tab-id="${second}"]`)).toHaveAttribute('title', /RESULT_CODE_CRASHED/);
  await expect(ui.locator(`[data-tab-id="${first}"]`)).toHaveAttribute('title', /pid \d+/);
  const before = await count(await app.tab(first));
  await expect.poll(async () => count(await app.tab(first))).toBeGreaterThan(before);
});

test('a tab that sends a malformed message is ended as bad-message', async ({ app }) => {
  let ui = await app.ui();
  const tabId = await openTab(ui, 'lab://bad-message');
  const tab = await app.tab(tabId);
  // The click ends the tab's renderer, which ends this connection's view of the page too: the
  // click's own promise may never settle. What happened is checked below, on a fresh connection.
  await tab
    .getByRole('button', { name: 'Send a malformed message' })
    .click({ timeout: 3000 })
    .catch(() => {});
  await app.afterCrash(tabId);
  ui = await app.ui();
  const sad = ui.getByRole('region', { name: 'Sad tab' });
  await expect(sad).toBeVisible();
  await expect(sad).toContainText('RESULT_CODE_KILLED_BAD_MESSAGE');
  await app.screenshot('bad-message');
});
