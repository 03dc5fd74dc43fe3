// The shell's own hang signal (TabHostEvents.onDidBecomeUnresponsive / onDidBecomeResponsive,
// Electron's `unresponsive` / `responsive`) beside the core's heartbeat watchdog: the TabManager on
// FakeTabHost, whose pages send real heartbeats over worker_threads ports, with a ManualClock.
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from './event-log.ts';
import { ProcessRegistry } from './process-registry.ts';
import { TabManager } from './tabs.ts';
import { FakeGpuProcessHost, FakePluginProcessHost } from './testing/fake-process-hosts.ts';
import { FakeTabHost } from './testing/fake-tab-host.ts';
import { ManualClock } from './testing/manual-clock.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup(options: { tabClock: ManualClock }) {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const host = new FakeTabHost();
  const tabs = new TabManager({
    host,
    registry,
    log,
    clock: options.tabClock,
    gpu: new FakeGpuProcessHost(),
    plugins: new FakePluginProcessHost(),
    hangThresholdMs: 1000,
  });
  cleanups.push(() => {
    tabs.dispose();
    host.dispose();
  });
  return { tabs, host, registry };
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("the shell's hang signal beside the heartbeat watchdog", () => {
  it('flags a tab at once, and clears it only when the shell says responsive and the heartbeats agree', async () => {
    const clock = new ManualClock();
    const { tabs, host, registry } = setup({ tabClock: clock });
    const { id } = await tabs.open('lab://live');
    const page = host.commit(id);
    let seq = 0;
    let received = 0;
    const beat = async () => {
      const before = received;
      page.emit('heartbeat', { seq: seq++ });
      await until(() => received > before, 'the heartbeat to arrive');
    };
    host.transport(id)!.on(() => received++);
    const state = () => tabs.get(id)!.state;
    const rendererState = () => registry.get(tabs.get(id)!.rendererId)!.state;
    await beat(); // watched from its first heartbeat
    expect(state()).toBe('live');

    host.events.onDidBecomeUnresponsive?.(id);
    expect([state(), rendererState()]).toEqual(['unresponsive', 'unresponsive']);
    host.events.onDidBecomeResponsive?.(id);
    expect([state(), rendererState()]).toEqual(['live', 'running']);

    // Both say hung: heartbeats resuming do not clear it while the shell still says so...
    clock.advance(1500);
    expect(state()).toBe('unresponsive');
    host.events.onDidBecomeUnresponsive?.(id);
    await beat();
    expect(state()).toBe('unresponsive');
    // ...and the shell's "responsive" does, now that the heartbeats agree.
    host.events.onDidBecomeResponsive?.(id);
    expect(state()).toBe('live');

    // The watchdog alone says hung: the shell's "responsive" does not clear it, a heartbeat does.
    clock.advance(1500);
    host.events.onDidBecomeResponsive?.(id);
    expect(state()).toBe('unresponsive');
    await beat();
    expect(state()).toBe('live');
  });

  it("covers a page that sends no heartbeats, and Wait clears the shell's flag too", async () => {
    const { tabs, host } = setup({ tabClock: new ManualClock() });
    const { id } = await tabs.open('https://example.com/');
    host.commit(id); // a web page: no heartbeats, so the watchdog never watches it
    host.events.onDidBecomeUnresponsive?.(id);
    expect(tabs.get(id)!.state).toBe('unresponsive');
    tabs.wait(id);
    expect(tabs.get(id)!.state).toBe('live');
    // A stale "responsive" after Wait changes nothing; a new hang is reported again.
    host.events.onDidBecomeResponsive?.(id);
    expect(tabs.get(id)!.state).toBe('live');
    host.events.onDidBecomeUnresponsive?.(id);
    expect(tabs.get(id)!.state).toBe('unresponsive');
  });

  it('ignores the signal for a tab that is loading or crashed, and forgets it when the page goes', async () => {
    const { tabs, host } = setup({ tabClock: new ManualClock() });
    const { id } = await tabs.open('lab://live');
    host.events.onDidBecomeUnresponsive?.(id); // still loading
    expect(tabs.get(id)!.state).toBe('loading');
    host.commit(id);
    expect(tabs.get(id)!.state).toBe('live');
    host.events.onDidBecomeUnresponsive?.(id);
    host.events.onDidRendererGone(id, { reason: 'crashed', code: 139 });
    expect(tabs.get(id)!.state).toBe('crashed');
    host.events.onDidBecomeResponsive?.(id);
    expect(tabs.get(id)!.state).toBe('crashed');
  });
});
