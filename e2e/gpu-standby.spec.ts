// The hot-standby GPU process in the running app: shown as what it is in the task manager and the
// architecture map; a GPU crash is answered by it (the tab draws with the former standby's pid next,
// and keeps drawing) and a new standby appears; with --lab-gpu-standby=off there is none.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './lab-app.ts';
import { gpuPid, pageState } from './helpers.ts';

async function openProcessView(ui: Page, name: 'Task manager' | 'Architecture map'): Promise<void> {
  const toggle = ui.getByRole('button', { name: /^Processes/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const tab = ui.getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** The standby's pid as the map shows it (NaN while none runs). */
async function standbyPid(node: Locator): Promise<number> {
  if ((await node.count()) !== 1) return Number.NaN;
  return Number((await node.getAttribute('data-pid')) ?? Number.NaN);
}

test('a GPU crash is answered by the standby: the tab draws with its pid, and a new standby appears', async ({
  app,
}) => {
  const ui = await app.ui();
  const tabId = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const tab = await app.tab(tabId);
  await expect.poll(() => pageState(tab, 'data-gpu-mode')).toBe('hardware');
  await expect.poll(() => gpuPid(ui)).toBeGreaterThan(0);

  await openProcessView(ui, 'Architecture map');
  const map = ui.getByRole('figure', { name: 'Architecture map' });
  const standby = map.locator('[data-kind="gpu-standby"]');
  await expect.poll(() => standbyPid(standby), { timeout: 20_000 }).toBeGreaterThan(0);
  const firstStandby = await standbyPid(standby);
  await expect(standby).toContainText(`GPU process (standby) · pid ${firstStandby}`);
  await expect(map.locator('[data-kind="gpu"]')).toContainText(`GPU process · pid ${await gpuPid(ui)}`);

  await openProcessView(ui, 'Task manager');
  const row = ui.getByRole('row', { name: /GPU process \(standby\)/ });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(String(firstStandby));

  const firstGpu = await gpuPid(ui);
  process.kill(firstGpu, 'SIGKILL');
  // The former standby is the GPU process now, and the tab draws through it.
  await expect.poll(() => gpuPid(ui), { timeout: 10_000 }).toBe(firstStandby);
  await expect.poll(() => pageState(tab, 'data-gpu-pid'), { timeout: 10_000 }).toBe(String(firstStandby));
  const frames = async () => Number(await pageState(tab, 'data-frames-drawn'));
  const resumed = await frames();
  await expect.poll(frames).toBeGreaterThan(resumed + 10);

  // A new standby behind it.
  await expect
    .poll(async () => Number(/\d+/.exec((await row.textContent()) ?? '')?.[0] ?? Number.NaN), { timeout: 20_000 })
    .not.toBe(firstStandby);
  await openProcessView(ui, 'Architecture map');
  await expect
    .poll(
      async () => {
        const pid = await standbyPid(standby);
        return pid > 0 && pid !== firstStandby && pid !== firstGpu;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await app.screenshot('gpu-standby-promoted');
});

test.describe('with --lab-gpu-standby=off', () => {
  test.use({ shellArgs: ['--lab-gpu-standby=off'] });
  test('there is no standby: no task manager row, no map node', async ({ app }) => {
    const ui = await app.ui();
    await expect.poll(() => gpuPid(ui)).toBeGreaterThan(0);
    await openProcessView(ui, 'Task manager');
    await expect(ui.getByRole('row', { name: /^GPU process/ })).toHaveCount(1);
    await expect(ui.getByRole('row', { name: /GPU process \(standby\)/ })).toHaveCount(0);
    await openProcessView(ui, 'Architecture map');
    await expect(ui.locator('[data-kind="gpu-standby"]')).toHaveCount(0);
  });
});
