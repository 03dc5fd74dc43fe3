// Plugins out of process: a plugin host crash leaves placeholders, the page stays live, and
// restarting brings the plugins back.
import { expect, test } from './lab-app.ts';
import { count, openTab } from './helpers.ts';

test('a plugin host crash shows "Plugin crashed" placeholders while the page keeps running; Restart brings the plugins back', async ({
  app,
}) => {
  const ui = await app.ui();
  const tabId = await openTab(ui, 'lab://plugins');
  const tab = await app.tab(tabId);
  const clock = tab.locator('[data-plugin="clock"]');
  await expect(clock).toHaveAttribute('data-plugin-state', 'running', { timeout: 10_000 });

  await tab.getByRole('button', { name: 'Crash the plugin host' }).click();
  await expect(tab.getByRole('status').filter({ hasText: 'Plugin crashed' }).first()).toBeVisible({ timeout: 5000 });
  const placeholders = await tab.getByRole('status').filter({ hasText: 'Plugin crashed' }).count();
  expect(placeholders).toBe(await tab.locator('[data-plugin]').count());
  const before = await count(tab);
  await expect.poll(() => count(tab)).toBeGreaterThan(before + 3); // the page itself keeps running
  await expect(ui.getByRole('status', { name: 'Plugin host crashed' })).toBeVisible();
  await app.screenshot('plugin-crashed');

  await ui.getByRole('button', { name: 'Restart plugins' }).click();
  await expect(clock).toHaveAttribute('data-plugin-state', 'running', { timeout: 10_000 });
  await expect(tab.getByRole('status').filter({ hasText: 'Plugin crashed' })).toHaveCount(0);
});
