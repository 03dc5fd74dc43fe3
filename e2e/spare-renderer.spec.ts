// The spare renderer as people see it (the app's default; the other specs turn it off to count
// their tabs' renderers): the task manager and the architecture map list it as "Spare renderer",
// not a tab; New tab opens into its process (the tab's pid is the spare's), and another is warmed.
import type { Page } from '@playwright/test';
import { expect, test } from './lab-app.ts';
import { openTab, tabPid } from './helpers.ts';

test.use({ spareRenderer: true });

async function openDrawer(ui: Page) {
  const toggle = ui.getByRole('button', { name: /^Processes/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** The pid of the task manager's "Spare renderer" row, once there is one with a pid. */
async function sparePid(ui: Page): Promise<number> {
  const row = ui.getByRole('table', { name: 'Task manager' }).locator('tbody tr', { hasText: 'Spare renderer' });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(row).toContainText(/\b\d{2,}\b/);
  const cells = await row.locator('td').allTextContents();
  const pid = cells.map((text) => text.trim()).find((text) => /^\d+$/.test(text) && Number(text) > 1);
  return Number(pid);
}

test('lists the spare renderer as what it is; New tab opens into its process, and the next one is warmed', async ({
  app,
}) => {
  const ui = await app.ui();
  await openDrawer(ui);
  const spare = await sparePid(ui);
  expect(spare).toBeGreaterThan(1);

  // The map shows it too, as no tab's renderer: a standby's own data-kind, so tours and specs that
  // count renderers count tabs' processes.
  await ui.getByRole('tab', { name: 'Architecture map' }).click();
  const map = ui.getByRole('figure', { name: 'Architecture map' });
  await expect(map.locator('[data-kind="renderer-standby"]', { hasText: `Spare renderer · pid ${spare}` })).toHaveCount(
    1,
  );
  await app.screenshot('spare-renderer-map');

  const tabId = await openTab(ui, 'lab://live');
  expect(await tabPid(ui, tabId)).toBe(spare);
  await ui.getByRole('tab', { name: 'Task manager' }).click();
  await expect.poll(() => sparePid(ui), { timeout: 15_000 }).not.toBe(spare);
  await app.screenshot('spare-renderer-task-manager');
});
