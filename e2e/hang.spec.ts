// A hung renderer: the watchdog notices missing heartbeats and asks the user, as Chrome does.
import { expect, test } from './lab-app.ts';
import { count, tabPid } from './helpers.ts';

test('a hung tab raises "Page unresponsive"; Wait keeps waiting; Stop brings it back with its state and pid', async ({
  app,
}) => {
  const ui = await app.ui();
  const tabId = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const pid = await tabPid(ui, tabId);
  await ui.getByRole('button', { name: 'Hang this tab' }).click();
  const dialog = ui.getByRole('dialog', { name: 'Page unresponsive' });
  await expect(dialog).toBeVisible({ timeout: 3000 });
  // No screenshot here: a capture waits for every frame to paint, and this one cannot.

  await dialog.getByRole('button', { name: 'Wait' }).click();
  await expect(dialog).toBeHidden();
  // Still hung: asked again one threshold later.
  await expect(dialog).toBeVisible({ timeout: 3000 });

  const tab = await app.tab(tabId);
  await dialog.getByRole('button', { name: 'Stop' }).click();
  await expect(dialog).toBeHidden();
  const after = await count(tab);
  expect(after).toBeGreaterThan(0); // the page kept its state: its counter did not start over
  await expect.poll(() => count(tab)).toBeGreaterThan(after);
  expect(await tabPid(ui, tabId)).toBe(pid);
  await app.screenshot('after-stop');
});
