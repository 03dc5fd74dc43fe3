// Small helpers the specs share: reading the UI's pid badges and a tab page's state.
import { chromium, type Browser, type FrameLocator, type Page } from '@playwright/test';
import { requireBrowser } from '../main/node/find-browser.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox } from '../main/node/sandbox.ts';
import { expect } from './lab-app.ts';

/** The pid shown in a tab's badge in the tab strip ("pid 4242"), once it shows one. */
export async function tabPid(ui: Page, tabId: string): Promise<number> {
  const badge = ui.locator(`[data-tab-id="${tabId}"]`);
  await expect(badge).toHaveAttribute('title', /pid \d+/);
  const match = /pid (\d+)/.exec((await badge.getAttribute('title')) ?? '');
  return Number(match![1]);
}

/** The count a tab page shows (every built-in page has a #counter with data-count). */
export async function count(tab: FrameLocator | Page): Promise<number> {
  return Number(await tab.locator('#counter').getAttribute('data-count'));
}

/** An attribute of a tab page's <html> (data-gpu-mode, data-gpu-pid, data-frames-drawn...). */
export async function pageState(tab: FrameLocator | Page, name: string): Promise<string | null> {
  return tab.locator('html').getAttribute(name);
}

/** The GPU process's pid, from the status bar ("GPU pid 123"); NaN while none is shown (restarting). */
export async function gpuPid(ui: Page): Promise<number> {
  const status = ui.getByRole('status', { name: 'Browser status' });
  const match = /GPU pid (\d+)/.exec((await status.textContent()) ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

/** Opens a tab with `url` through the UI (New tab, then the omnibox) and returns its id. */
export async function openTab(ui: Page, url: string): Promise<string> {
  const before = await ui.locator('[data-tab-id]').count();
  await ui.getByRole('button', { name: 'New tab' }).click();
  await expect(ui.locator('[data-tab-id]')).toHaveCount(before + 1);
  const id = (await ui.locator('[data-tab-id]').last().getAttribute('data-tab-id'))!;
  // The omnibox is the selected tab's (mounted per tab): typing before the new tab is selected
  // would type into the previous tab's, and the draft is gone when the selection arrives.
  await expect(ui.locator(`[data-tab-id="${id}"]`)).toHaveAttribute('aria-selected', 'true', { timeout: 15_000 });
  if (url !== 'lab://live') {
    const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
    await omnibox.fill(url);
    await omnibox.press('Enter');
    // Loaded where it was sent: the tab's tooltip names the URL and a process.
    await expect(ui.locator(`[data-tab-id="${id}"]`), 'the tab loads the URL').toHaveAttribute(
      'title',
      new RegExp(`${url.replace(/[/.]/g, '\\$&')}[\\s\\S]*pid \\d+`),
      { timeout: 15_000 },
    );
  }
  return id;
}

/** Opens the task manager drawer from the status bar and returns its table. */
export async function openTaskManager(ui: Page) {
  const toggle = ui.getByRole('button', { name: /^Processes/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const table = ui.getByRole('table', { name: 'Task manager' });
  await expect(table).toBeVisible();
  return table;
}

/** The task manager's rows as text, by column header. */
export async function taskManagerRows(ui: Page): Promise<Record<string, string>[]> {
  const table = ui.getByRole('table', { name: 'Task manager' });
  const headers = (await table.locator('thead th').allTextContents()).map((text) => text.replace(/[▲▼]/g, '').trim());
  const body = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())));
  return body.map((cells) => Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? ''])));
}

/** A Chromium of the test's own (not the app's), sandboxed where this machine allows it: to open report files and harnesses. */
export async function launchOwnChromium(): Promise<Browser> {
  const executablePath = requireBrowser();
  const sandbox = decideSandbox({
    uid: currentUid(),
    noSandboxRequested: false,
    helperPaths: chromeSandboxHelpers(executablePath),
  });
  return chromium.launch({ executablePath, chromiumSandbox: sandbox.enabled });
}
