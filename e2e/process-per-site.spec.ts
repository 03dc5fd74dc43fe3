// Process per tab vs process per site: with Chrome's process-per-site model, two tabs of one site
// share a renderer process and die together.
import { expect, test } from './lab-app.ts';
import { openTab, tabPid } from './helpers.ts';

test.use({ processModel: 'process-per-site' });

test('two same-site tabs share one pid and crash together; another site does not', async ({ app }) => {
  let ui = await app.ui();
  const other = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const a = await openTab(ui, 'lab://same-site-a');
  const b = await openTab(ui, 'lab://same-site-b');
  await expect.poll(async () => (await tabPid(ui, a)) === (await tabPid(ui, b))).toBe(true);
  expect(await tabPid(ui, other)).not.toBe(await tabPid(ui, a));
  await app.screenshot('process-per-site');

  await ui.locator(`[data-tab-id="${a}"]`).click();
  await ui.getByRole('button', { name: 'Crash this tab' }).click();
  await app.afterCrash(a, b);
  ui = await app.ui();
  await expect(ui.locator(`[data-tab-id="${a}"]`)).toHaveAttribute('title', /RESULT_CODE_CRASHED/);
  await expect(ui.locator(`[data-tab-id="${b}"]`)).toHaveAttribute('title', /RESULT_CODE_CRASHED/);
  await expect(ui.locator(`[data-tab-id="${other}"]`)).toHaveAttribute('title', /pid \d+/);
});
