// What experiments hear from the TabManager: every page heartbeat (tab, seq, when on the core's
// clock) and each renderer's end with both times, the shell's `observedAt` and the core's own.
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from './event-log.ts';
import { ProcessRegistry } from './process-registry.ts';
import { TabManager, type TabHeartbeat, type TabRendererGone } from './tabs.ts';
import { FakeGpuProcessHost, FakePluginProcessHost } from './testing/fake-process-hosts.ts';
import { FakeTabHost } from './testing/fake-tab-host.ts';
import { ManualClock } from './testing/manual-clock.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('TabManager instrumentation', () => {
  it('tells listeners each heartbeat and each renderer end, on the core clock', async () => {
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
    });
    cleanups.push(() => {
      tabs.dispose();
      host.dispose();
    });
    const beats: TabHeartbeat[] = [];
    const gone: TabRendererGone[] = [];
    tabs.onDidHeartbeat((beat) => beats.push(beat));
    tabs.onDidRendererGone((end) => gone.push(end));
    const { id } = await tabs.open('lab://live');
    const page = host.commit(id);
    clock.advance(100);
    page.emit('heartbeat', { seq: 7 });
    await until(() => beats.length === 1, 'the heartbeat');
    expect(beats[0]).toEqual({ tabId: id, seq: 7, at: 100 });

    clock.advance(50);
    host.events.onDidRendererGone(id, { reason: 'crashed', observedAt: 140 });
    expect(gone).toHaveLength(1);
    expect(gone[0]).toMatchObject({
      tabId: id,
      reason: 'crashed',
      code: 'RESULT_CODE_CRASHED',
      observedAt: 140,
      at: 150,
    });
    // A reloaded page's heartbeats come again; the dead page's channel is closed.
    void tabs.reload(id);
    const next = host.commit(id);
    next.emit('heartbeat', { seq: 0 });
    await until(() => beats.length === 2, 'the new page heartbeat');
    expect(beats[1]).toMatchObject({ tabId: id, seq: 0 });
  });
});
