// What the GPU process does and what happens when it dies: frames resume; after three crashes the
// tab rasterizes in software and keeps drawing.
import { expect, test } from './lab-app.ts';
import { gpuPid, pageState } from './helpers.ts';

test('killing the GPU process once resumes frames with a new GPU process; three times switches to software compositing', async ({
  app,
}) => {
  const ui = await app.ui();
  const tabId = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const tab = await app.tab(tabId);
  const frames = async () => Number(await pageState(tab, 'data-frames-drawn'));
  await expect.poll(() => pageState(tab, 'data-gpu-mode')).toBe('hardware');
  await expect.poll(() => gpuPid(ui)).toBeGreaterThan(0);
  const firstGpu = await gpuPid(ui);
  expect(await pageState(tab, 'data-gpu-pid')).toBe(String(firstGpu));

  process.kill(firstGpu, 'SIGKILL');
  await expect
    .poll(
      async () => {
        const pid = await gpuPid(ui);
        return pid > 0 && pid !== firstGpu;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  const secondGpu = await gpuPid(ui);
  await expect.poll(() => pageState(tab, 'data-gpu-pid'), { timeout: 10_000 }).toBe(String(secondGpu));
  const resumed = await frames();
  await expect.poll(frames).toBeGreaterThan(resumed + 10);
  await app.screenshot('gpu-restarted');

  // Two more crashes within the window: chrome://gpucrash (a native abort) and a SIGKILL.
  const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
  await omnibox.fill('chrome://gpucrash');
  await omnibox.press('Enter');
  await expect
    .poll(
      async () => {
        const pid = await gpuPid(ui);
        return pid > 0 && pid !== secondGpu;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  process.kill(await gpuPid(ui), 'SIGKILL');

  await expect(ui.getByRole('status', { name: 'Browser status' })).toContainText('Software compositing', {
    timeout: 10_000,
  });
  await expect.poll(() => pageState(tab, 'data-gpu-mode'), { timeout: 10_000 }).toBe('software');
  const software = await frames();
  await expect.poll(frames).toBeGreaterThan(software + 10);
  await app.screenshot('software-compositing');
});
