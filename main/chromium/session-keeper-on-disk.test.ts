// The session keeper (main/core/session/) with the real SessionFile on a real disk, and the core's
// real TabManager behind a fake tab host: what is saved as tabs change, what a clean or unclean end
// brings at the next start, and what a bad file or bad URLs in it give. (Here, not in main/core:
// the core may not import main/node/; this shell folder may import both.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ProcessModel } from '../../protocol/interfaces/browser-state.ts';
import { parseSession, type SessionState } from '../../protocol/session/session-state.ts';
import { EventLog } from '../core/event-log.ts';
import { ProcessRegistry } from '../core/process-registry.ts';
import { readSession, type SessionAtStart } from '../core/session/session-at-start.ts';
import { SessionKeeper } from '../core/session/session-keeper.ts';
import { TabManager } from '../core/tabs.ts';
import { FakeGpuProcessHost, FakePluginProcessHost } from '../core/testing/fake-process-hosts.ts';
import { FakeTabHost } from '../core/testing/fake-tab-host.ts';
import { ManualClock } from '../core/testing/manual-clock.ts';
import { SESSION_FILE, SessionFile } from '../node/session-file.ts';

const SAVE_DELAY_MS = 500;
let dir: string;
const cleanups: (() => void)[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-session-keeper-'));
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One run of the browser as far as the session sees it: tabs, the event log, a keeper on the file in `dir`. */
async function run(options: { fresh?: boolean; processModel?: ProcessModel } = {}) {
  const lines: string[] = [];
  const report = (line: string) => lines.push(line);
  const store = new SessionFile(dir);
  const atStart = await readSession(store, { fresh: options.fresh ?? false, report });
  const clock = new ManualClock();
  const log = new EventLog();
  const host = new FakeTabHost();
  const tabs = new TabManager({
    host,
    registry: new ProcessRegistry(log),
    log,
    clock,
    gpu: new FakeGpuProcessHost(),
    plugins: new FakePluginProcessHost(),
    processModel: options.processModel ?? (atStart.kind === 'restore' ? atStart.state.processModel : undefined),
  });
  const keeper = new SessionKeeper({ store, tabs, log, clock, atStart, report, saveDelayMs: SAVE_DELAY_MS });
  cleanups.push(() => {
    keeper.dispose();
    tabs.dispose();
    host.dispose();
  });
  return { atStart, lines, clock, log, host, tabs, keeper, store };
}

const file = () => path.join(dir, SESSION_FILE);
function saved(): SessionState {
  const parsed = parseSession(fs.readFileSync(file(), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.state;
}
/** Waits for the writes asked for so far (SessionFile answers them in order). */
const settle = async (store: SessionFile, keeper: SessionKeeper) => {
  await store.save(keeper.capture(false)).catch(() => {});
};

async function openThree(tabs: TabManager) {
  const a = await tabs.open('lab://live');
  await tabs.navigate(a.id, 'lab://plugins');
  await tabs.navigate(a.id, 'https://example.com/page');
  await tabs.goBack(a.id); // a: live, plugins (shown), example.com
  const b = await tabs.open('lab://labs');
  const c = await tabs.open('lab://cpu-heavy');
  tabs.select(b.id);
  return { a, b, c };
}

it('saves tabs, history, titles, selection, process model and window size a moment after they change; a clean exit restores them silently', async () => {
  const first = await run({ processModel: 'process-per-site' });
  expect(first.atStart.kind).toBe('none');
  expect(await first.keeper.start()).toBe(0);
  await settle(first.store, first.keeper);
  expect(saved()).toMatchObject({ cleanExit: false, tabs: [] }); // this run is not over yet
  await openThree(first.tabs);
  first.keeper.noteWindowSize({ width: 1000.4, height: 700 });
  // Not yet: changes are coalesced for SAVE_DELAY_MS.
  expect(saved().tabs).toEqual([]);
  first.clock.advance(SAVE_DELAY_MS);
  await first.keeper.close();
  const state = saved();
  expect(state).toMatchObject({
    cleanExit: true,
    processModel: 'process-per-site',
    window: { width: 1000, height: 700 },
    selected: 1,
  });
  expect(state.tabs).toEqual([
    {
      url: 'lab://plugins',
      title: 'Plugins',
      history: { entries: ['lab://live', 'lab://plugins', 'https://example.com/page'], index: 1 },
    },
    { url: 'lab://labs', title: 'Labs', history: { entries: ['lab://labs'], index: 0 } },
    { url: 'lab://cpu-heavy', title: 'CPU-heavy page', history: { entries: ['lab://cpu-heavy'], index: 0 } },
  ]);
  // Nothing written after the clean exit (renderers ending on the way out change nothing).
  first.host.events.onDidRendererGone('tab-1', { reason: 'killed' });
  first.clock.advance(SAVE_DELAY_MS * 2);
  expect(saved().cleanExit).toBe(true);

  const second = await run();
  expect(second.atStart.kind).toBe('restore');
  expect(second.tabs.processModel).toBe('process-per-site');
  expect(await second.keeper.start()).toBe(3);
  expect(second.keeper.currentNotice).toBeUndefined(); // silent
  const list = second.tabs.list();
  expect(list.map((tab) => tab.url)).toEqual(['lab://plugins', 'lab://labs', 'lab://cpu-heavy']);
  expect(second.tabs.selectedTabId).toBe(list[1]!.id);
  // Back and Forward as they were.
  await second.tabs.goForward(list[0]!.id);
  expect(second.tabs.get(list[0]!.id)?.url).toBe('https://example.com/page');
  await second.tabs.goBack(list[0]!.id);
  await second.tabs.goBack(list[0]!.id);
  expect(second.tabs.get(list[0]!.id)?.url).toBe('lab://live');
  await settle(second.store, second.keeper);
  expect(saved().cleanExit).toBe(false); // running again
});

it('after an unclean exit offers "Restore tabs?", writes nothing until answered, and Restore brings the tabs back beside the new ones', async () => {
  const first = await run();
  await first.keeper.start();
  await openThree(first.tabs);
  first.clock.advance(SAVE_DELAY_MS);
  await settle(first.store, first.keeper);
  // No close(): the process was killed.
  const before = fs.readFileSync(file(), 'utf8');

  const second = await run();
  expect(second.atStart.kind).toBe('offer');
  expect(await second.keeper.start()).toBe(0);
  expect(second.keeper.currentNotice).toEqual({
    kind: 'offer',
    tabs: 3,
    titles: ['Plugins', 'Labs', 'CPU-heavy page'],
    savedAt: expect.any(Number),
  });
  const startTab = await second.tabs.open('lab://live'); // the shell's first tab
  second.clock.advance(SAVE_DELAY_MS * 4);
  await second.keeper.close(); // quit without answering: the offer stands for the next start
  expect(fs.readFileSync(file(), 'utf8')).toBe(before);

  const third = await run();
  expect(third.atStart.kind).toBe('offer');
  await third.keeper.start();
  const started = await third.tabs.open('lab://live');
  const notices: unknown[] = [];
  third.log.onDidRecord((event) => event.type === 'session-notice' && notices.push(event));
  expect(await third.keeper.restore()).toBe(3);
  expect(await third.keeper.restore()).toBe(3); // a second click restores nothing more
  expect(notices).toEqual([expect.objectContaining({ type: 'session-notice' })]);
  expect(notices[0]).not.toHaveProperty('notice');
  expect(third.keeper.currentNotice).toBeUndefined();
  expect(third.tabs.list().map((tab) => tab.url)).toEqual([
    'lab://live',
    'lab://plugins',
    'lab://labs',
    'lab://cpu-heavy',
  ]);
  expect(third.tabs.get(third.tabs.selectedTabId!)?.url).toBe('lab://labs');
  expect(started.id).toBe(startTab.id); // tab ids start over each run
  await third.keeper.close();
  expect(saved()).toMatchObject({ cleanExit: true, selected: 2 });
  expect(saved().tabs).toHaveLength(4);
});

it('a dismissed offer is replaced by the session that goes on', async () => {
  const first = await run();
  await first.keeper.start();
  await first.tabs.open('lab://plugins');
  await settle(first.store, first.keeper);
  first.clock.advance(SAVE_DELAY_MS);
  await settle(first.store, first.keeper);

  const second = await run();
  await second.keeper.start();
  await second.tabs.open('lab://labs');
  second.keeper.dismiss();
  expect(second.keeper.currentNotice).toBeUndefined();
  await settle(second.store, second.keeper);
  expect(saved().tabs.map((tab) => tab.url)).toEqual(['lab://labs']);
});

it('a corrupt file gives one line and a fresh session, and is kept aside', async () => {
  fs.writeFileSync(file(), '{"version":1,"tabs":[{"url":');
  const { atStart, lines, keeper, tabs, store } = await run();
  expect(atStart.kind).toBe('unreadable');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/session\.json is not JSON .*kept as .*session\.json\.corrupt-.*fresh session/);
  const kept = fs.readdirSync(dir).filter((name) => name.startsWith(`${SESSION_FILE}.corrupt-`));
  expect(kept).toHaveLength(1);
  expect(fs.readFileSync(path.join(dir, kept[0]!), 'utf8')).toBe('{"version":1,"tabs":[{"url":');
  expect(keeper.currentNotice).toEqual({ kind: 'unreadable', problem: lines[0] });
  expect(await keeper.start()).toBe(0);
  await tabs.open('lab://live');
  await settle(store, keeper);
  expect(saved().tabs).toHaveLength(1); // the fresh session is saved beside the kept file
  keeper.dismiss();
  expect(keeper.currentNotice).toBeUndefined();
});

it('drops URLs no page may load with one line, keeping the rest of each tab', async () => {
  const state: SessionState = {
    version: 1,
    savedAt: 1,
    cleanExit: true,
    processModel: 'process-per-tab',
    tabs: [
      { url: 'file:///etc/passwd', title: 'x', history: { entries: ['file:///etc/passwd'], index: 0 } },
      {
        url: 'javascript:alert(1)',
        title: 'y',
        history: { entries: ['lab://live', 'javascript:alert(1)', 'lab://nope', 'lab://plugins'], index: 1 },
      },
      { url: 'chrome://kill', title: 'z', history: { entries: ['chrome://kill'], index: 0 } },
    ],
    selected: 1,
  };
  fs.writeFileSync(file(), JSON.stringify(state));
  const { atStart, lines, keeper, tabs } = await run();
  expect(lines).toEqual([
    expect.stringMatching(
      /^The saved session had 4 URLs no page may load, dropped: "file:\/\/\/etc\/passwd" \(file: URLs are not allowed/,
    ),
  ]);
  expect(atStart.kind).toBe('restore');
  expect(await keeper.start()).toBe(1);
  const [tab] = tabs.list();
  expect(tab?.url).toBe('lab://live'); // its current entry was dropped: the one before it
  expect(tabs.historyOf(tab!.id)).toEqual({ entries: ['lab://live', 'lab://plugins'], index: 0 });
  expect(tabs.selectedTabId).toBe(tab!.id);
});

it('a session with only unsafe URLs is no session: nothing to restore or offer', async () => {
  const state: SessionState = {
    version: 1,
    savedAt: 1,
    cleanExit: false,
    processModel: 'process-per-tab',
    tabs: [{ url: 'data:text/html,x', title: 'x', history: { entries: ['data:text/html,x'], index: 0 } }],
    selected: 0,
  };
  fs.writeFileSync(file(), JSON.stringify(state));
  const { atStart, lines } = await run();
  expect(atStart.kind).toBe('none');
  expect(lines).toHaveLength(1);
});

it('--fresh does not read the saved session; the new one replaces it once saved', async () => {
  const first = await run();
  await first.keeper.start();
  await first.tabs.open('lab://plugins');
  await first.keeper.close();

  const second = await run({ fresh: true });
  expect(second.atStart).toEqual({ kind: 'fresh' } satisfies SessionAtStart);
  expect(second.lines).toEqual([expect.stringMatching(/^--fresh: the saved session .* is not restored/)]);
  expect(await second.keeper.start()).toBe(0);
  expect(second.tabs.list()).toEqual([]);
  await second.tabs.open('lab://labs');
  await second.keeper.close();
  expect(saved().tabs.map((tab) => tab.url)).toEqual(['lab://labs']);
});

it('a save that fails says so once, and the browser goes on', async () => {
  const first = await run();
  await first.keeper.start();
  await settle(first.store, first.keeper);
  // The folder becomes a file: every write fails.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.writeFileSync(dir, 'not a folder');
  cleanups.push(() => fs.rmSync(dir, { force: true }));
  for (let i = 0; i < 3; i++) {
    await first.tabs.open('lab://live');
    first.clock.advance(SAVE_DELAY_MS);
    await first.keeper.close().catch(() => {});
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(first.lines).toEqual([expect.stringMatching(/^The session could not be saved to .*session\.json: /)]);
});
