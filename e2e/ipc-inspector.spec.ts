// The IPC inspector: the typed messages of a scripted exchange (a new tab asks the browser for a GPU
// channel, then heartbeats; the UI's own calls) show live and in order, and "Export trace" downloads
// Chrome trace JSON with one process_name track per process.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './lab-app.ts';
import { openTab, tabPid } from './helpers.ts';

/** Opens the drawer from the status bar and switches it to the IPC inspector. */
async function openInspector(ui: Page) {
  const toggle = ui.getByRole('button', { name: /^Processes/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const tab = ui.getByRole('tab', { name: 'IPC inspector' });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const table = ui.getByRole('table', { name: 'IPC inspector' });
  await expect(table).toBeVisible();
  return table;
}

interface Row {
  readonly seq: number;
  readonly time: string;
  readonly route: string;
  readonly message: string;
  readonly kind: string;
  readonly size: string;
  readonly roundTrip: string;
}

async function rows(ui: Page): Promise<Row[]> {
  return ui
    .getByRole('table', { name: 'IPC inspector' })
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.children].map((cell) => (cell.textContent ?? '').trim());
        return {
          seq: Number(tr.getAttribute('data-seq')),
          time: cells[0] ?? '',
          route: cells[1] ?? '',
          message: cells[2] ?? '',
          kind: cells[3] ?? '',
          size: cells[4] ?? '',
          roundTrip: cells[5] ?? '',
        };
      }),
    );
}

test("the IPC inspector shows a new tab's messages in order and exports Chrome trace JSON", async ({ app }) => {
  const ui = await app.ui();
  await openInspector(ui);
  // The Task manager stays one click away.
  await expect(ui.getByRole('tab', { name: 'Task manager' })).toHaveAttribute('aria-selected', 'false');
  // The UI's own calls are traced too: getTrace itself shows up once tracing has started.
  await expect.poll(async () => (await rows(ui)).some((row) => row.message === 'BrowserUiService.getTrace')).toBe(true);

  const tabId = await openTab(ui, 'lab://live');
  await tabPid(ui, tabId);
  const peer = `renderer#${tabId}`;
  await ui.getByRole('combobox', { name: 'Filter by process' }).selectOption(peer);
  await expect
    .poll(async () => (await rows(ui)).filter((row) => row.message === 'TabPage.heartbeat').length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(2);

  const list = await rows(ui);
  // Every row involves the tab's renderer, in sequence order.
  for (const row of list) expect(row.route).toContain(peer);
  expect(list.map((row) => row.seq)).toEqual([...list.map((row) => row.seq)].sort((a, b) => a - b));
  // The GPU channel: the tab's request, then the browser's response with a round-trip time.
  const request = list.findIndex((row) => row.message === 'TabHostService.requestGpuChannel' && row.kind === 'request');
  const response = list.findIndex(
    (row) => row.message === 'TabHostService.requestGpuChannel' && row.kind === 'response',
  );
  expect(request).toBeGreaterThanOrEqual(0);
  expect(response).toBeGreaterThan(request);
  expect(list[request]!.route).toBe(`${peer} → browser`);
  expect(list[response]!.route).toBe(`browser → ${peer}`);
  expect(list[response]!.roundTrip).toMatch(/^[\d,.]+ ms$/);
  const heartbeats = list.filter((row) => row.message === 'TabPage.heartbeat');
  for (const row of heartbeats) {
    expect(row.kind).toBe('event');
    expect(row.route).toBe(`${peer} → browser`);
    expect(row.size).toMatch(/^\d+ B$/);
    expect(row.time).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  }

  // Filter by interface as well; then back to everything.
  await ui.getByRole('combobox', { name: 'Filter by interface' }).selectOption('TabPage');
  await expect.poll(async () => (await rows(ui)).every((row) => row.message.startsWith('TabPage.'))).toBe(true);
  await ui.getByRole('combobox', { name: 'Filter by interface' }).selectOption('');
  await ui.getByRole('combobox', { name: 'Filter by process' }).selectOption('');

  // Pause holds the list still; Resume goes on.
  await ui.getByRole('button', { name: 'Pause' }).click();
  const held = (await rows(ui)).at(-1)?.seq;
  await ui.waitForTimeout(600);
  expect((await rows(ui)).at(-1)?.seq).toBe(held);
  await ui.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(async () => (await rows(ui)).at(-1)?.seq).toBeGreaterThan(held!);

  await app.screenshot('ipc-inspector');

  // Export trace: Chrome trace JSON, one process_name track per process.
  const [download] = await Promise.all([
    ui.waitForEvent('download'),
    ui.getByRole('button', { name: 'Export trace' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^ipc-trace-.*\.json$/);
  const trace = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
    traceEvents: { name: string; ph: string; ts: number; pid: number; dur?: number; args?: { name?: string } }[];
  };
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  const tracks = trace.traceEvents.filter((event) => event.ph === 'M' && event.name === 'process_name');
  const trackNames = tracks.map((event) => event.args!.name!);
  expect(new Set(trackNames).size).toBe(trackNames.length);
  expect(new Set(tracks.map((event) => event.pid)).size).toBe(tracks.length);
  expect(trackNames).toEqual(
    expect.arrayContaining(['browser', 'ui', expect.stringMatching(new RegExp(`^${peer} \\(pid \\d+\\)$`))]),
  );
  const messages = trace.traceEvents.filter((event) => event.ph !== 'M');
  expect(messages.length).toBeGreaterThan(0);
  const pids = new Set(tracks.map((event) => event.pid));
  for (const event of messages) {
    expect(['X', 'i']).toContain(event.ph);
    expect(pids.has(event.pid)).toBe(true);
    expect(typeof event.ts).toBe('number');
  }
  expect(messages.map((event) => event.ts)).toEqual([...messages.map((event) => event.ts)].sort((a, b) => a - b));
  expect(messages.some((event) => event.name === 'TabPage.heartbeat')).toBe(true);

  // Clear empties the list; new messages keep coming.
  await ui.getByRole('button', { name: 'Clear' }).click();
  await ui.getByRole('button', { name: 'Pause' }).click();
  await ui.getByRole('button', { name: 'Clear' }).click();
  await expect(ui.getByRole('table', { name: 'IPC inspector' }).locator('tbody tr')).toHaveCount(0);
  await ui.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(async () => (await rows(ui)).length).toBeGreaterThan(0);
});

test('a bad message shows highlighted in the IPC inspector', async ({ app }) => {
  let ui = await app.ui();
  await openInspector(ui);
  const tabId = await openTab(ui, 'lab://bad-message');
  const tab = await app.tab(tabId);
  // The click ends the tab's renderer and this connection's view of the page (crash-isolation.spec.ts).
  await tab
    .getByRole('button', { name: 'Send a malformed message' })
    .click({ timeout: 3000 })
    .catch(() => {});
  await app.afterCrash(tabId);
  ui = await app.ui();
  await openInspector(ui);
  await ui.getByRole('combobox', { name: 'Filter by process' }).selectOption(`renderer#${tabId}`);
  const bad = ui.getByRole('table', { name: 'IPC inspector' }).locator('tbody tr.problem');
  await expect(bad.first()).toBeVisible();
  await expect(bad.first()).toContainText('bad-message');
  await expect(bad.first()).toContainText(`renderer#${tabId} → browser`);
  // The page sent a TabPage.heartbeat whose payload breaks its schema: the name reads, so it is named.
  await expect(bad.first()).toContainText('TabPage.heartbeat');
  await app.screenshot('ipc-inspector-bad-message');
});
