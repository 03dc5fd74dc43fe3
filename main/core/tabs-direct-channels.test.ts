// The direct channels the browser brokers for each tab's page (TabGpu, TabPlugin), as the core
// reports them to the UI (channel-opened / channel-closed, Browser.state().channels): the TabManager
// on the doubles in testing/ (FakeTabHost, whose pages speak TabPage over a worker_threads port;
// FakeGpuProcessHost and FakePluginProcessHost, whose grants the test settles by hand).
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserEvent, DirectChannel } from '../../protocol/interfaces/browser-state.ts';
import { EventLog } from './event-log.ts';
import type { GpuChannelGrant } from './gpu-process-host.ts';
import { ProcessRegistry } from './process-registry.ts';
import { TabManager } from './tabs.ts';
import { FakeGpuProcessHost, FakePluginProcessHost, type PluginChannelGrant } from './testing/fake-process-hosts.ts';
import { FakeTabHost } from './testing/fake-tab-host.ts';
import { ManualClock } from './testing/manual-clock.ts';

function setUp() {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const host = new FakeTabHost();
  const gpu = new FakeGpuProcessHost();
  const plugins = new FakePluginProcessHost();

  const tabs = new TabManager({ host, registry, log, clock: new ManualClock(), gpu, plugins, now: () => 0 });
  registry.launched('gpu', 'gpu', 'GPU process', 300);
  registry.launched('plugin-host', 'plugin-host', 'Plugin host', 400);

  const channelEvents = () =>
    log
      .history()
      .filter(
        (event): event is Extract<BrowserEvent, { type: 'channel-opened' | 'channel-closed' }> =>
          event.type === 'channel-opened' || event.type === 'channel-closed',
      )
      .map(
        (event) =>
          `${event.type === 'channel-opened' ? 'opened' : 'closed'} ${event.channel.interface} ${event.channel.tabId}->${event.channel.to}@${event.channel.toPid}`,
      );
  /** Lets the page's request reach the browser's handler. */
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(check()).toBe(true);
  };
  return {
    log,
    registry,
    tabs,
    events: () => host.events,
    commit: (tabId: string, pid: number) => host.commit(tabId, pid),
    gpuGrants: gpu.grants,
    pluginGrants: plugins.grants,
    hostEmitters: [gpu.ready, gpu.modeChanged, plugins.crashed, plugins.ready] as const,
    channelEvents,
    until,
    close: () => host.dispose(),
  };
}

let current: ReturnType<typeof setUp> | undefined;
afterEach(() => current?.close());

const hardware = (gpuPid: number): GpuChannelGrant => ({
  mode: 'hardware',
  channel: { kind: 'websocket', url: 'ws://127.0.0.1:1/x' },
  gpuPid,
});
const pluginGrant = (hostPid: number): PluginChannelGrant => ({
  channel: { kind: 'websocket', url: 'ws://127.0.0.1:1/y' },
  hostPid,
});

describe('the direct channels the browser brokers', () => {
  it("records each grant as a channel from the tab's renderer to the GPU process or plugin host, and closes them with the page", async () => {
    const t = (current = setUp());
    await t.tabs.open('lab://live');
    const page = t.commit('tab-1', 201);
    // What the page gets is tab-channel-brokering.test.ts's concern; what the browser records is this one's.
    const gpuCall = page.remote.requestGpuChannel({}).catch(() => {});
    const pluginCall = page.remote.requestPluginChannel({}).catch(() => {});
    await t.until(() => t.gpuGrants.length === 1 && t.pluginGrants.length === 1);
    t.gpuGrants[0]!.resolve(hardware(300));
    t.pluginGrants[0]!.resolve(pluginGrant(400));
    await Promise.all([gpuCall, pluginCall]);
    expect(t.channelEvents()).toEqual(['opened TabGpu tab-1->gpu@300', 'opened TabPlugin tab-1->plugin-host@400']);
    expect(t.tabs.directChannels()).toEqual<DirectChannel[]>([
      { interface: 'TabGpu', tabId: 'tab-1', from: 'renderer-tab-1', to: 'gpu', toPid: 300 },
      { interface: 'TabPlugin', tabId: 'tab-1', from: 'renderer-tab-1', to: 'plugin-host', toPid: 400 },
    ]);

    // The renderer crashes: the page and its channels are gone.
    t.events().onDidRendererGone('tab-1', { reason: 'crashed' });
    expect(t.channelEvents().slice(2)).toEqual([
      'closed TabGpu tab-1->gpu@300',
      'closed TabPlugin tab-1->plugin-host@400',
    ]);
    expect(t.tabs.directChannels()).toEqual([]);
  });

  it('lists a channel only while its process is the one granted; asking again after a restart replaces it', async () => {
    const t = (current = setUp());
    await t.tabs.open('lab://live');
    const page = t.commit('tab-1', 201);
    const first = page.remote.requestGpuChannel({}).catch(() => {});
    await t.until(() => t.gpuGrants.length === 1);
    t.gpuGrants[0]!.resolve(hardware(300));
    await first;
    expect(t.tabs.directChannels()).toHaveLength(1);

    t.registry.exited('gpu', { reason: 'crashed', signal: 'SIGABRT' }, false);
    expect(t.tabs.directChannels()).toEqual([]);
    t.registry.launched('gpu', 'gpu', 'GPU process', 301);
    const again = page.remote.requestGpuChannel({}).catch(() => {});
    await t.until(() => t.gpuGrants.length === 2);
    t.gpuGrants[1]!.resolve(hardware(301));
    await again;
    expect(t.tabs.directChannels()).toMatchObject([{ interface: 'TabGpu', toPid: 301 }]);

    // Software compositing: asked again, no channel.
    const software = page.remote.requestGpuChannel({}).catch(() => {});
    await t.until(() => t.gpuGrants.length === 3);
    t.gpuGrants[2]!.resolve({ mode: 'software' });
    await software;
    expect(t.channelEvents()).toEqual([
      'opened TabGpu tab-1->gpu@300',
      'opened TabGpu tab-1->gpu@301',
      'closed TabGpu tab-1->gpu@301',
    ]);
    expect(t.tabs.directChannels()).toEqual([]);
  });

  it('closes a plugin channel that is asked for again and refused (plugin host down)', async () => {
    const t = (current = setUp());
    await t.tabs.open('lab://plugins');
    const page = t.commit('tab-1', 201);
    const first = page.remote.requestPluginChannel({}).catch(() => {});
    await t.until(() => t.pluginGrants.length === 1);
    t.pluginGrants[0]!.resolve(pluginGrant(400));
    await first;
    const refused = page.remote.requestPluginChannel({}).catch((error: { code?: string }) => error.code);
    await t.until(() => t.pluginGrants.length === 2);
    t.pluginGrants[1]!.reject(new Error('The plugin host is not running'));
    expect(await refused).toBe('PLUGIN_HOST_DOWN');
    expect(t.channelEvents()).toEqual([
      'opened TabPlugin tab-1->plugin-host@400',
      'closed TabPlugin tab-1->plugin-host@400',
    ]);
  });

  it("ignores a grant for a page that is gone by the time it comes, and forgets a closed tab's channels", async () => {
    const t = (current = setUp());
    await t.tabs.open('lab://live');
    const old = t.commit('tab-1', 201);
    const stale = old.remote.requestGpuChannel({}, { timeoutMs: 200 }).catch(() => {});
    await t.until(() => t.gpuGrants.length === 1);
    // The page is replaced (a new commit) before its grant comes.
    const page = t.commit('tab-1', 202);
    t.gpuGrants[0]!.resolve(hardware(300));
    await stale;
    expect(t.channelEvents()).toEqual([]);

    const fresh = page.remote.requestGpuChannel({}).catch(() => {});
    await t.until(() => t.gpuGrants.length === 2);
    t.gpuGrants[1]!.resolve(hardware(300));
    await fresh;
    await t.tabs.close('tab-1');
    expect(t.channelEvents()).toEqual(['opened TabGpu tab-1->gpu@300', 'closed TabGpu tab-1->gpu@300']);
    const order = t.log.history().map((event) => event.type);
    expect(order.lastIndexOf('channel-closed')).toBeLessThan(order.lastIndexOf('tab-closed'));
  });
});

describe('a load that fails', () => {
  it('leaves loading: the tab is live in the renderer showing the error page, titled with the error and URL', async () => {
    current = setUp();
    const { tabs, registry, events } = current;
    const info = await tabs.open('https://unreachable.invalid/');
    expect(tabs.get(info.id)?.state).toBe('loading');
    events().onDidFailLoad?.(info.id, {
      pid: 4242,
      url: 'https://unreachable.invalid/',
      code: -105,
      description: 'ERR_NAME_NOT_RESOLVED',
    });
    expect(tabs.get(info.id)).toMatchObject({
      state: 'live',
      pid: 4242,
      url: 'https://unreachable.invalid/',
      title: 'ERR_NAME_NOT_RESOLVED · https://unreachable.invalid/',
    });
    expect(registry.get(info.rendererId)).toMatchObject({ pid: 4242, state: 'running' });
    // A failure for a tab that is gone changes nothing.
    events().onDidFailLoad?.('tab-99', { pid: 1, url: 'lab://x', code: -6, description: 'ERR_FILE_NOT_FOUND' });
    expect(tabs.list()).toHaveLength(1);
  });
});

describe('disposal', () => {
  it('dispose ends every subscription the tab manager made to the GPU process and plugin host hosts', () => {
    const t = (current = setUp());
    expect(t.hostEmitters.every((emitter) => emitter.hasListeners)).toBe(true);
    t.tabs.dispose();
    expect(t.hostEmitters.some((emitter) => emitter.hasListeners)).toBe(false);
  });
});
