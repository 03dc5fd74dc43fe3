// The lab host, supervised like the plugin host: started when a lab page asks for its channel, listed
// in the task manager, and started again after End process, the page connecting to the new one. The
// page is lab://lab-host (the IPC lab's site); a page of another site is refused (vitest:
// main/chromium/lab-host-on-real-processes.test.ts).
import type { Page } from '@playwright/test';
import { expect, test } from './lab-app.ts';
import { openTab, pageState } from './helpers.ts';

async function openTaskManager(ui: Page) {
  const toggle = ui.getByRole('button', { name: /^Processes/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const table = ui.getByRole('table', { name: 'Task manager' });
  await expect(table).toBeVisible();
  return table;
}

/** The task manager's rows as text, by column header. */
async function rows(ui: Page): Promise<Record<string, string>[]> {
  const table = ui.getByRole('table', { name: 'Task manager' });
  const headers = (await table.locator('thead th').allTextContents()).map((text) => text.replace(/[▲▼]/g, '').trim());
  const body = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())));
  return body.map((cells) => Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? ''])));
}

/** The lab host's rows (its kind, not a tab titled "Lab host"). */
async function labHostRows(ui: Page): Promise<Record<string, string>[]> {
  return (await rows(ui)).filter((row) => row['Kind'] === 'Lab host');
}

/** The pid in the task manager's one Lab host row, or NaN while there is none. */
async function labHostRowPid(ui: Page): Promise<number> {
  const found = await labHostRows(ui);
  return found.length === 1 ? Number(found[0]!['Process ID']) : Number.NaN;
}

test('a lab page gets the lab host started and listed; a quick IPC run reports over its channel; ended, it comes back', async ({
  app,
}) => {
  const ui = await app.ui();
  await openTaskManager(ui);
  await expect(
    ui.getByRole('table', { name: 'Task manager' }).locator('tbody tr').filter({ hasText: 'Lab host' }),
  ).toHaveCount(0);

  const tabId = await openTab(ui, 'lab://lab-host');
  const tab = await app.tab(tabId);
  await expect(tab.locator('html')).toHaveAttribute('data-lab-channel', 'connected', { timeout: 20_000 });
  const firstPid = Number(await pageState(tab, 'data-lab-host-pid'));
  expect(firstPid).toBeGreaterThan(0);
  await expect.poll(() => labHostRowPid(ui), { timeout: 10_000 }).toBe(firstPid);

  // A short measurement in the lab host, its lines arriving in the page while it runs.
  await tab.getByRole('button', { name: /Quick IPC run/ }).click();
  await expect(tab.locator('html')).toHaveAttribute('data-lab-run', 'done', { timeout: 60_000 });
  await expect(tab.getByLabel('Lab log')).toContainText('unix-socket');
  await expect(tab.getByLabel('Lab log')).toContainText('done: 3 channels measured');
  await app.screenshot('lab-host');

  // End process: the browser starts another lab host and the page connects to it.
  const row = ui
    .getByRole('table', { name: 'Task manager' })
    .locator('tbody tr')
    .filter({ has: ui.getByRole('cell', { name: String(firstPid), exact: true }) });
  await row.click();
  await ui.getByRole('button', { name: 'End process' }).click();
  // The page's pid once it is connected again (NaN meanwhile).
  const connectedPid = async () =>
    (await pageState(tab, 'data-lab-channel')) === 'connected'
      ? Number(await pageState(tab, 'data-lab-host-pid'))
      : Number.NaN;
  await expect
    .poll(
      async () => {
        const pid = await connectedPid();
        return Number.isFinite(pid) && pid !== firstPid;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  const secondPid = await connectedPid();
  expect(secondPid).toBeGreaterThan(0);
  await expect.poll(() => labHostRowPid(ui), { timeout: 10_000 }).toBe(secondPid);
  expect((await labHostRows(ui))[0]!['Restarts']).toBe('1');
});
