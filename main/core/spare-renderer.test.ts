// The spare renderer's policy in the core: the TabManager on FakeTabHost (pages sending real
// heartbeats over worker_threads ports) with a ManualClock. The shell's side (a real process
// started ahead and taken) is tested in main/chromium/spare-renderer-in-chromium.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserEvent, ProcessModel } from '../../protocol/interfaces/browser-state.ts';
import { Browser } from './browser.ts';
import { EventLog } from './event-log.ts';
import { ProcessRegistry } from './process-registry.ts';
import { SPARE_RETRY_MS, type SpareRefill } from './spare-renderer.ts';
import { TabManager } from './tabs.ts';
import { FakeGpuProcessHost, FakePluginProcessHost } from './testing/fake-process-hosts.ts';
import { FakeTabHost, type FakePage } from './testing/fake-tab-host.ts';
import { FakeUtilityLauncher } from './testing/fake-utility-launcher.ts';
import { ManualClock } from './testing/manual-clock.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup(options: { processModel?: ProcessModel; refill?: SpareRefill; spareRenderer?: boolean } = {}) {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const host = new FakeTabHost({ spares: true });
  const clock = new ManualClock();
  const tabs = new TabManager({
    host,
    registry,
    log,
    clock,
    gpu: new FakeGpuProcessHost(),
    plugins: new FakePluginProcessHost(),
    spareRenderer: options.spareRenderer ?? true,
    ...(options.processModel ? { processModel: options.processModel } : {}),
    ...(options.refill ? { spareRefill: options.refill } : {}),
  });
  const events: BrowserEvent[] = [];
  log.onDidRecord((event) => events.push(event));
  cleanups.push(() => {
    tabs.dispose();
    host.dispose();
  });
  const starts = () => host.requests.filter((request) => request.startsWith('startSpare'));
  return { tabs, host, registry, clock, events, starts };
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Promise callbacks (the spare's start answered) run before the test looks. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The page's first heartbeat, and the core having heard it. */
async function firstBeat(tabs: TabManager, page: FakePage, tabId: string): Promise<void> {
  let heard = false;
  const stop = tabs.onDidFirstHeartbeat((id) => (heard ||= id === tabId));
  page.emit('heartbeat', { seq: 0 });
  await until(() => heard, `${tabId}'s first heartbeat`);
  stop();
}

describe('the spare renderer (core policy)', () => {
  it('is started when asked, listed as a standby "Spare renderer", and running once the shell says so', async () => {
    const { tabs, host, registry, starts } = setup();
    tabs.warmSpare();
    expect(starts()).toEqual(['startSpare spare-1']);
    expect(registry.get('renderer-spare-1')).toMatchObject({
      kind: 'renderer',
      label: 'Spare renderer',
      standby: true,
      state: 'starting',
    });
    host.spareStarted('spare-1', 900);
    await settle();
    expect(registry.get('renderer-spare-1')).toMatchObject({ pid: 900, state: 'running' });
    expect(tabs.spare.current).toEqual({ processId: 'renderer-spare-1', pid: 900, ready: true });
    tabs.warmSpare(); // one at a time
    expect(starts()).toHaveLength(1);
  });

  it('gives a new tab the ready spare; the next one starts only after that tab is live, not during its load', async () => {
    const { tabs, host, registry, events, starts } = setup();
    tabs.warmSpare();
    host.spareStarted('spare-1', 900);
    await settle();
    const { id } = await tabs.open('lab://live');
    expect(host.requests).toContain(`create ${id} lab://live ${id} spare=spare-1`);
    expect(registry.get('renderer-spare-1')).toBeUndefined();
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'spare-renderer-ended',
        processId: 'renderer-spare-1',
        outcome: 'taken',
        tabId: id,
        pid: 900,
      }),
    );
    const page = host.commit(id, 900);
    expect(registry.get(`renderer-${id}`)).toMatchObject({ pid: 900, state: 'running', restarts: 0 });
    expect(registry.get(`renderer-${id}`)?.standby).toBeUndefined();
    expect(starts()).toHaveLength(1); // committed, still loading
    await firstBeat(tabs, page, id);
    expect(starts()).toEqual(['startSpare spare-1', 'startSpare spare-2']);
  });

  it('with refill at once (the policy measured against), starts the next spare as the tab takes one', async () => {
    const { tabs, host, starts } = setup({ refill: 'at-once' });
    tabs.warmSpare();
    host.spareStarted('spare-1', 900);
    await settle();
    await tabs.open('lab://live');
    expect(starts()).toEqual(['startSpare spare-1', 'startSpare spare-2']);
  });

  it('opens a tab cold while the spare is still starting, and keeps the spare for the next tab', async () => {
    const { tabs, host } = setup();
    tabs.warmSpare();
    const first = await tabs.open('lab://live');
    expect(host.requests).toContain(`create ${first.id} lab://live ${first.id}`);
    host.spareStarted('spare-1', 900);
    await settle();
    const second = await tabs.open('lab://live');
    expect(host.requests).toContain(`create ${second.id} lab://live ${second.id} spare=spare-1`);
  });

  it('waits for a loading tab before starting one; a page that never beats stops holding it back after a while', async () => {
    const { tabs, host, clock, starts } = setup();
    const { id } = await tabs.open('https://example.com/');
    tabs.warmSpare();
    expect(starts()).toEqual([]);
    host.commit(id, 700, 'https://example.com/');
    clock.advance(1499);
    expect(starts()).toEqual([]);
    clock.advance(1);
    expect(starts()).toEqual(['startSpare spare-1']);
  });

  it("serves a crashed tab's reload", async () => {
    const { tabs, host, starts } = setup();
    const { id } = await tabs.open('lab://live');
    const page = host.commit(id, 700);
    await firstBeat(tabs, page, id);
    expect(starts()).toEqual(['startSpare spare-1']);
    host.spareStarted('spare-1', 901);
    await settle();
    host.events.onDidRendererGone(id, { reason: 'crashed' });
    await tabs.reload(id);
    expect(host.requests).toContain(`reload ${id} spare=spare-1`);
    host.commit(id, 901);
    expect(tabs.get(id)).toMatchObject({ state: 'live', pid: 901 });
  });

  it('under process per site, serves only a site with no process yet', async () => {
    const { tabs, host } = setup({ processModel: 'process-per-site' });
    tabs.warmSpare();
    host.spareStarted('spare-1', 900);
    await settle();
    const a = await tabs.open('lab://same-site-a');
    const siteA = 'site-pair'; // both same-site pages' site (BUILT_IN_PAGES)
    expect(host.requests.at(-1)).toMatch(/ spare=spare-1$/);
    expect(host.requests.at(-1)).toContain(siteA);
    await firstBeat(tabs, host.commit(a.id, 900, 'lab://same-site-a'), a.id);
    // The same site: it joins that process, the spare is not asked for.
    const b = await tabs.open('lab://same-site-b');
    expect(host.requests.at(-1)).toBe(`create ${b.id} lab://same-site-b ${siteA}`);
    await firstBeat(tabs, host.commit(b.id, 900, 'lab://same-site-b'), b.id);
    // Both crash together; the first reload takes a spare, the second joins the first there.
    host.spareStarted('spare-2', 902);
    await settle();
    host.events.onDidRendererGone(a.id, { reason: 'crashed' });
    host.events.onDidRendererGone(b.id, { reason: 'crashed' });
    await tabs.reload(a.id);
    expect(host.requests.at(-1)).toBe(`reload ${a.id} spare=spare-2`);
    await tabs.reload(b.id);
    expect(host.requests.at(-1)).toBe(`reload ${b.id}`);
  });

  it('replaces a spare whose process died, quietly: the log says so, no tab crashed, no process exit recorded', async () => {
    const { tabs, host, registry, events, clock, starts } = setup();
    tabs.warmSpare();
    host.spareStarted('spare-1', 900);
    await settle();
    const from = events.length;
    host.events.onDidSpareGone!('spare-1', { reason: 'killed', signal: 'SIGKILL' });
    expect(registry.get('renderer-spare-1')).toBeUndefined();
    expect(starts()).toEqual(['startSpare spare-1', 'startSpare spare-2']);
    const after = events.slice(from);
    expect(after[0]).toMatchObject({ type: 'spare-renderer-ended', outcome: 'gone', reason: 'killed', pid: 900 });
    expect(after.some((event) => event.type === 'process-exited' || event.type === 'tab-changed')).toBe(false);
    // Dying again within 10 s: replaced after SPARE_RETRY_MS, not in a loop.
    host.spareStarted('spare-2', 901);
    await settle();
    host.events.onDidSpareGone!('spare-2', { reason: 'crashed' });
    expect(starts()).toHaveLength(2);
    clock.advance(SPARE_RETRY_MS);
    expect(starts()).toEqual(['startSpare spare-1', 'startSpare spare-2', 'startSpare spare-3']);
  });

  it('retries a spare that could not start', async () => {
    const { tabs, host, registry, events, starts } = setup();
    tabs.warmSpare();
    host.spareFailed('spare-1');
    await settle();
    expect(events).toContainEqual(expect.objectContaining({ type: 'spare-renderer-ended', reason: 'launch-failed' }));
    expect(registry.get('renderer-spare-1')).toBeUndefined();
    expect(starts()).toEqual(['startSpare spare-1', 'startSpare spare-2']);
  });

  it('ends the spare with the browser', async () => {
    const { tabs, host, events } = setup();
    tabs.warmSpare();
    host.spareStarted('spare-1', 900);
    await settle();
    tabs.dispose();
    expect(host.requests).toContain('discardSpare spare-1');
    expect(events.at(-1)).toMatchObject({ type: 'spare-renderer-ended', outcome: 'discarded' });
  });

  it('switched off, starts none and every tab starts cold', async () => {
    const { tabs, host, starts } = setup({ spareRenderer: false });
    tabs.warmSpare();
    const { id } = await tabs.open('lab://live');
    const page = host.commit(id, 700);
    await firstBeat(tabs, page, id);
    expect(starts()).toEqual([]);
    expect(host.requests).toContain(`create ${id} lab://live ${id}`);
  });
});

describe("the task manager's End process on the spare", () => {
  it('ends it and warms another, as for a spare that died; no tab is touched', async () => {
    const host = new FakeTabHost({ spares: true });
    const launcher = new FakeUtilityLauncher();
    const browser = new Browser({
      launcher,
      tabHost: host,
      clock: new ManualClock(),
      pid: 1,
      sandbox: { enabled: true },
      spareRenderer: true,
    });
    cleanups.push(() => {
      browser.dispose();
      host.dispose();
      launcher.dispose();
    });
    browser.tabs.warmSpare();
    host.spareStarted('spare-1', 900);
    await settle();
    expect(browser.state().processes.find((process) => process.standby)).toMatchObject({ pid: 900 });
    browser.endProcess('renderer-spare-1');
    expect(host.requests).toEqual(['startSpare spare-1', 'discardSpare spare-1', 'startSpare spare-2']);
    expect(browser.log.history().at(-2)).toMatchObject({ type: 'spare-renderer-ended', outcome: 'discarded' });
    expect(browser.state().processes.filter((process) => process.standby)).toHaveLength(1);
  });
});
