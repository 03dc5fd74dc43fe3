// Session restore on the Chromium shell, across real restarts of the browser process: a clean quit
// brings the same tabs, selection and history back without asking; a SIGKILLed browser process
// offers "Restore tabs?" and Restore brings them back; a corrupt file gives a fresh session and is
// kept aside; --fresh skips the saved session. Each test keeps its own session folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { parseSession, type SessionState } from '../protocol/session/session-state.ts';
import { SESSION_FILE } from '../main/node/session-file.ts';
import { SESSION_DIR_SWITCH } from '../main/core/session/session-switches.ts';
import { SPARE_RENDERER_SWITCH } from '../main/core/spare-renderer-switch.ts';
import { processModelArgs } from '../main/core/process-model-switch.ts';
import { openTab } from './helpers.ts';
import { ChromiumShellApp, expect, test } from './lab-app.ts';

test.skip(
  ({ shell }) => shell !== 'chromium',
  'restarts the Chromium shell as a process; the Electron shell cannot run here',
);
// Two or three starts of the whole app per test.
test.setTimeout(150_000);

let dir: string;
const apps: ChromiumShellApp[] = [];
test.beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-e2e-session-restore-'));
});
test.afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(...args: string[]): Promise<ChromiumShellApp> {
  const app = await ChromiumShellApp.start([
    `--${SPARE_RENDERER_SWITCH}=off`,
    `--${SESSION_DIR_SWITCH}=${dir}`,
    ...args,
  ]);
  apps.push(app);
  return app;
}

function saved(): SessionState | undefined {
  try {
    const parsed = parseSession(fs.readFileSync(path.join(dir, SESSION_FILE), 'utf8'));
    return parsed.ok ? parsed.state : undefined;
  } catch {
    return undefined;
  }
}

/** The tab strip as the user sees it: each tab's URL (its tooltip's second line) and whether it is selected. */
async function tabStrip(ui: Page): Promise<{ url: string; selected: boolean }[]> {
  const tabs = ui.locator('[data-tab-id]');
  const result = [];
  for (let i = 0; i < (await tabs.count()); i++) {
    const tab = tabs.nth(i);
    const title = (await tab.getAttribute('title')) ?? '';
    result.push({ url: title.split('\n')[1] ?? '', selected: (await tab.getAttribute('aria-selected')) === 'true' });
  }
  return result;
}

/** Two tabs: the first navigated live -> plugins (so it has a Back), the second lab://labs; the first selected. */
async function makeSession(app: ChromiumShellApp): Promise<void> {
  const ui = await app.ui();
  const first = (await ui.locator('[data-tab-id]').first().getAttribute('data-tab-id'))!;
  const omnibox = ui.getByRole('textbox', { name: 'Address and search bar' });
  await omnibox.fill('lab://plugins');
  await omnibox.press('Enter');
  await expect(ui.locator(`[data-tab-id="${first}"]`)).toHaveAttribute('title', /lab:\/\/plugins[\s\S]*pid \d+/);
  await openTab(ui, 'lab://labs');
  await ui.locator(`[data-tab-id="${first}"]`).click();
  await expect(ui.locator(`[data-tab-id="${first}"]`)).toHaveAttribute('aria-selected', 'true');
}

const EXPECTED = [
  { url: 'lab://plugins', selected: true },
  { url: 'lab://labs', selected: false },
];

test('after a clean quit the same tabs, selection, history and process model come back without asking', async () => {
  const first = await start(...processModelArgs('process-per-site'));
  await makeSession(first);
  await first.close(); // SIGTERM: the orderly shutdown
  expect(saved()).toMatchObject({
    cleanExit: true,
    selected: 0,
    processModel: 'process-per-site',
    window: { width: 1280, height: 860 },
  });

  const second = await start(); // no process model switch: the session's
  const ui = await second.ui();
  await expect.poll(() => tabStrip(ui)).toEqual(EXPECTED);
  await expect(ui.getByRole('status', { name: 'Browser status' })).toContainText('Process per site');
  await expect(ui.getByRole('dialog', { name: 'Restore tabs?' })).toHaveCount(0);
  // The restored tab keeps its history: Back goes to the page before.
  await ui.getByRole('button', { name: 'Back' }).click();
  await expect.poll(async () => (await tabStrip(ui))[0]?.url).toBe('lab://live');
  await ui.getByRole('button', { name: 'Forward' }).click();
  await expect.poll(async () => (await tabStrip(ui))[0]?.url).toBe('lab://plugins');
});

test('after the browser process is SIGKILLed, "Restore tabs?" is offered and Restore brings the tabs back', async () => {
  const first = await start();
  await makeSession(first);
  // Saved a moment after the last change; then the process dies without any shutdown.
  await expect.poll(() => saved()?.tabs.map((tab) => tab.url)).toEqual(['lab://plugins', 'lab://labs']);
  await expect.poll(() => saved()?.selected).toBe(0);
  await first.kill();
  expect(saved()?.cleanExit).toBe(false);

  const second = await start();
  const ui = await second.ui();
  const offer = ui.getByRole('dialog', { name: 'Restore tabs?' });
  await expect(offer).toBeVisible();
  await expect(offer).toContainText("The browser didn't shut down correctly. 2 tabs: Plugins, Labs.");
  // Not restored silently: only the start page until the user answers.
  expect(await tabStrip(ui)).toEqual([{ url: 'lab://live', selected: true }]);
  await second.screenshot('session-restore-offer-en');
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(offer).toBeHidden();
  await expect.poll(() => tabStrip(ui)).toEqual([{ url: 'lab://live', selected: false }, ...EXPECTED]);
  await ui.getByRole('button', { name: 'Back' }).click();
  await expect.poll(async () => (await tabStrip(ui))[1]?.url).toBe('lab://live');
});

test('a corrupt session file gives a fresh session with one notice, and is kept aside', async () => {
  fs.writeFileSync(path.join(dir, SESSION_FILE), '{"version":1,"tabs":[{"url":"lab://la');
  const app = await start();
  const ui = await app.ui();
  const notice = ui.getByRole('status', { name: 'Saved tabs could not be read' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/is not JSON .*kept as .*session\.json\.corrupt-.*fresh session/);
  expect(await tabStrip(ui)).toEqual([{ url: 'lab://live', selected: true }]);
  const kept = fs.readdirSync(dir).filter((name) => name.startsWith(`${SESSION_FILE}.corrupt-`));
  expect(kept).toHaveLength(1);
  expect(fs.readFileSync(path.join(dir, kept[0]!), 'utf8')).toBe('{"version":1,"tabs":[{"url":"lab://la');
  await app.screenshot('session-restore-unreadable-en');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
  // The fresh session is saved beside the kept file.
  await expect.poll(() => saved()?.tabs.map((tab) => tab.url)).toEqual(['lab://live']);
});

test('--fresh starts without the saved session, in both the clean and the unclean case', async () => {
  for (const cleanExit of [true, false]) {
    const state: SessionState = {
      version: 1,
      savedAt: Date.now(),
      cleanExit,
      processModel: 'process-per-tab',
      tabs: [{ url: 'lab://labs', title: 'Labs', history: { entries: ['lab://labs'], index: 0 } }],
      selected: 0,
    };
    fs.writeFileSync(path.join(dir, SESSION_FILE), JSON.stringify(state));
    const app = await start('--fresh');
    const ui = await app.ui();
    expect(await tabStrip(ui)).toEqual([{ url: 'lab://live', selected: true }]);
    await expect(ui.getByRole('dialog', { name: 'Restore tabs?' })).toHaveCount(0);
    await app.close();
  }
});
