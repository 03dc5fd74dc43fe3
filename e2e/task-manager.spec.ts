// The task manager, as Chrome's: a row per process with its pid, CPU, memory (PSS) and IPC rate,
// refreshed every second; "End process" on a renderer's row gives its tab a sad tab.
import { expect, test } from './lab-app.ts';
import { openTab, openTaskManager, taskManagerRows as rows, tabPid } from './helpers.ts';

const MB = 1024 * 1024;

function megabytes(text: string): number {
  const match = /^([\d.]+) (KB|MB|GB)$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * { KB: 1 / 1024, MB: 1, GB: 1024 }[match[2] as 'KB' | 'MB' | 'GB'];
}

test('the task manager lists every process with pid, CPU, PSS memory and IPC rate; renderer pids match the tabs', async ({
  app,
}) => {
  const ui = await app.ui();
  // Collapsed by default.
  await expect(ui.getByRole('button', { name: /^Processes/ })).toHaveAttribute('aria-expanded', 'false');
  await expect(ui.getByRole('table', { name: 'Task manager' })).toHaveCount(0);

  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const second = await openTab(ui, 'lab://live');
  const third = await openTab(ui, 'lab://live');
  const tabPids = await Promise.all([first, second, third].map((id) => tabPid(ui, id)));

  await openTaskManager(ui);
  // Figures arrive within a second or two: CPU needs two samples.
  await expect
    .poll(async () => (await rows(ui)).filter((row) => row['Kind'] === 'Renderer' && row['CPU %'] !== '—').length, {
      timeout: 10_000,
    })
    .toBe(3);
  const table = await rows(ui);
  const renderers = table.filter((row) => row['Kind'] === 'Renderer');
  expect(renderers.map((row) => Number(row['Process ID'])).sort()).toEqual([...tabPids].sort());
  for (const row of renderers) {
    expect(row['Task']).toMatch(/^Tab: /);
    const mb = megabytes(row['Memory']!);
    expect(mb).toBeGreaterThan(5);
    expect(mb).toBeLessThan(500);
    expect(Number(row['CPU %'])).toBeGreaterThanOrEqual(0);
    expect(row['State']).toBe('running');
  }
  expect(table.map((row) => row['Task'])).toEqual(expect.arrayContaining(['Browser', 'GPU process', 'Plugin host']));
  // Live pages heartbeat and paint through the browser process: their IPC rate is not zero.
  await expect
    .poll(
      async () => (await rows(ui)).filter((row) => row['Kind'] === 'Renderer' && Number(row['IPC msgs/s']) > 0).length,
    )
    .toBe(3);
  const browserMemory = megabytes((await rows(ui)).find((row) => row['Task'] === 'Browser')!['Memory']!);
  expect(browserMemory * MB).toBeGreaterThan(5 * MB);

  // Sortable: Memory descending, then ascending.
  const memoryHeader = ui.getByRole('columnheader', { name: 'Memory' });
  await memoryHeader.getByRole('button').click();
  await expect(memoryHeader).toHaveAttribute('aria-sort', 'descending');
  const descending = (await rows(ui)).map((row) => megabytes(row['Memory']!)).filter((mb) => !Number.isNaN(mb));
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  await memoryHeader.getByRole('button').click();
  await expect(memoryHeader).toHaveAttribute('aria-sort', 'ascending');

  await app.screenshot('task-manager');

  // End process is refused for the browser process: the button stays disabled on its row.
  await ui
    .getByRole('table', { name: 'Task manager' })
    .getByRole('row', { name: /^Browser/ })
    .click();
  await expect(ui.getByRole('button', { name: 'End process' })).toBeDisabled();
});

test('"End process" on a tab\'s renderer gives that tab a sad tab; the others live on', async ({ app }) => {
  let ui = await app.ui();
  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const second = await openTab(ui, 'lab://live');
  const pid = await tabPid(ui, second);
  const table = await openTaskManager(ui);
  const row = table.locator('tbody tr').filter({ has: ui.getByRole('cell', { name: String(pid), exact: true }) });
  await expect(row).toHaveCount(1);
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  // Ending the renderer ends this connection's view of it too: the click may never settle.
  await ui
    .getByRole('button', { name: 'End process' })
    .click({ timeout: 3000 })
    .catch(() => {});
  await app.afterCrash(second);
  ui = await app.ui();
  await expect(ui.locator(`[data-tab-id="${second}"]`)).toHaveAttribute('title', /RESULT_CODE_KILLED|SIGKILL/);
  await ui.locator(`[data-tab-id="${second}"]`).click();
  await expect(ui.getByRole('region', { name: 'Sad tab' })).toBeVisible();
  await expect(ui.locator(`[data-tab-id="${first}"]`)).toHaveAttribute('title', /pid \d+/);
  // The ended renderer shows as killed, with no End process.
  const killed = (await openTaskManager(ui))
    .locator('tbody tr')
    .filter({ has: ui.getByRole('cell', { name: String(pid), exact: true }) });
  await expect(killed).toContainText('killed');
  await app.screenshot('task-manager-ended');
});
