// The renderer memory cap (main/core/memory-cap.ts), started low: lab://memory-hog allocates 10 MB
// every 200 ms until the browser, measuring its renderer as the task manager does, ends it with
// reason oom; the sad tab says out of memory, and the other tab keeps counting.
import { expect, test } from './lab-app.ts';
import { count, openTab, tabPid } from './helpers.ts';

const CAP_MIB = 200;

test.use({ shellArgs: [`--lab-renderer-memory-cap=${CAP_MIB}`] });

test('a renderer over the memory cap ends as oom, its sad tab says so, the other tab keeps counting', async ({
  app,
}) => {
  let ui = await app.ui();
  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const hog = await openTab(ui, 'lab://memory-hog');
  const hogPid = await tabPid(ui, hog);
  // Under the cap at first; the page then grows past it (an answer from a page being ended may never come).
  const allocated = async () =>
    Number(
      await (
        await app.tab(hog)
      )
        .locator('#allocated')
        .getAttribute('data-bytes', { timeout: 1000 })
        .catch(() => Number.NaN),
    );
  await expect.poll(allocated, { timeout: 20_000 }).toBeGreaterThan(50 * 1024 * 1024);
  const before = await count(await app.tab(first)).catch(() => 0);

  await app.afterCrash(hog);
  ui = await app.ui();
  await expect(ui.locator(`[data-tab-id="${hog}"]`)).toHaveAttribute('title', /OUT_OF_MEMORY/);
  await ui.locator(`[data-tab-id="${hog}"]`).click();
  const sad = ui.getByRole('region', { name: 'Sad tab' });
  await expect(sad).toBeVisible();
  await expect(sad).toContainText('Out of memory');
  await expect(sad).toContainText(`pid ${hogPid}`);
  await expect(sad).toContainText('Error code: OUT_OF_MEMORY');
  await app.screenshot('oom-sad-tab');
  await expect.poll(async () => count(await app.tab(first))).toBeGreaterThan(before + 5);
});
