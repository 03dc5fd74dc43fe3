// The core's side of the ChannelBroker port and of the TabHost's second hang signal, in plain Node.
// The core's other ports are filled by the doubles in testing/, which speak the real interfaces over
// real worker_threads MessagePorts: "utility children" serving GpuService / PluginHostService
// (FakeUtilityLauncher), and a TabHost whose pages speak TabPage (FakeTabHost). What each shell does
// behind the ports is tested in main/chromium (loopback WebSockets, real children) and main/electron
// (MessageChannelMain).
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackWebSocketBroker } from './channel-broker.ts';
import { systemClock, type Clock } from './clock.ts';
import { EventLog } from './event-log.ts';
import { GpuProcessHost } from './gpu-process-host.ts';
import { PluginProcessHost } from './plugin-process-host.ts';
import type { ChannelBroker } from './ports.ts';
import { ProcessRegistry } from './process-registry.ts';
import { TabManager } from './tabs.ts';
import { FakeTabHost } from './testing/fake-tab-host.ts';
import { FakeUtilityLauncher } from './testing/fake-utility-launcher.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { RecordingChannelBroker } from './testing/recording-channel-broker.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup(options: { broker?: ChannelBroker; tabClock?: Clock } = {}) {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const launcher = new FakeUtilityLauncher();
  const children = launcher.children;
  const clock = systemClock();
  const broker = options.broker === undefined ? {} : { broker: options.broker };
  const gpu = new GpuProcessHost({ launcher, registry, log, clock, ...broker });
  const plugins = new PluginProcessHost({ launcher, registry, log, clock, ...broker });
  const host = new FakeTabHost();
  const tabs = new TabManager({ host, registry, log, clock: options.tabClock ?? clock, gpu, plugins, hangThresholdMs: 1000 });
  cleanups.push(() => {
    tabs.dispose();
    gpu.dispose();
    plugins.dispose();
    host.dispose();
    launcher.dispose();
  });
  return { gpu, plugins, tabs, host, children, registry };
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('brokering a tab\'s direct channels', () => {
  it('asks the shell\'s broker, for the tab, with the running child; the page gets its answer', async () => {
    const broker = new RecordingChannelBroker();
    const { gpu, plugins, tabs, host, children } = setup({ broker });
    await Promise.all([gpu.start(), plugins.start()]);
    const { id } = await tabs.open('lab://live');
    const page = host.commit(id);

    const grant = await page.remote.requestGpuChannel({});
    const gpuChild = children.find((child) => child.kind === 'gpu')!;
    expect(grant).toEqual({ mode: 'hardware', channel: { kind: 'port', portId: `gpu-${id}-1` }, gpuPid: gpuChild.pid });
    expect(broker.calls[0]!.target.kind).toBe('gpu');
    expect(broker.calls[0]!.target.child).toBe(gpuChild.launched);
    expect(broker.calls[0]!.tabId).toBe(id);

    const pluginGrant = await page.remote.requestPluginChannel({});
    const hostChild = children.find((child) => child.kind === 'plugin-host')!;
    expect(pluginGrant).toEqual({ channel: { kind: 'port', portId: `plugin-host-${id}-2` }, hostPid: hostChild.pid });
    expect(broker.calls[1]!.target.child).toBe(hostChild.launched);
    // A port broker never asks the children for WebSocket grants.
    expect(children.flatMap((child) => child.grants)).toEqual([]);
  });

  it('brokers a new channel with the restarted GPU process after a crash, when the page asks again', async () => {
    const broker = new RecordingChannelBroker();
    const { gpu, tabs, host, children } = setup({ broker });
    await gpu.start();
    const { id } = await tabs.open('lab://live');
    const page = host.commit(id);
    const first = await page.remote.requestGpuChannel({});

    const told = new Promise<string>((resolve) => page.on('gpuChanged', ({ mode }) => resolve(mode)));
    children[0]!.crash();
    expect(await told).toBe('hardware'); // the restarted GPU process is ready: ask again
    const second = await page.remote.requestGpuChannel({});
    expect(children).toHaveLength(2);
    expect(second).toMatchObject({ mode: 'hardware', gpuPid: children[1]!.pid });
    expect(second).not.toEqual(first);
    expect(broker.calls.map((call) => call.target.child)).toEqual([children[0]!.launched, children[1]!.launched]);
  });

  it('by default asks the child itself for a one-time loopback WebSocket grant (the Chromium shell\'s way)', async () => {
    const { gpu, plugins, children } = setup();
    await Promise.all([gpu.start(), plugins.start()]);
    const [gpuChild, hostChild] = [children.find((c) => c.kind === 'gpu')!, children.find((c) => c.kind === 'plugin-host')!];
    expect(await gpu.establishChannel('tab-7')).toEqual({
      mode: 'hardware',
      channel: { kind: 'websocket', url: 'ws://127.0.0.1:9/channel/gpu-tab-7-1' },
      gpuPid: gpuChild.pid,
    });
    expect(await plugins.establishChannel('tab-7')).toEqual({
      channel: { kind: 'websocket', url: 'ws://127.0.0.1:9/channel/plugin-host-tab-7-1' },
      hostPid: hostChild.pid,
    });
    expect([gpuChild.grants, hostChild.grants]).toEqual([['tab-7'], ['tab-7']]);
    // loopbackWebSocketBroker is that default, named.
    expect(await loopbackWebSocketBroker.establish({ kind: 'gpu', child: gpuChild.launched, grantWebSocket: async (clientId) => `ws://x/${clientId}` }, 'tab-8')).toEqual({
      kind: 'websocket',
      url: 'ws://x/tab-8',
    });
  });

  it('tells the page the plugin host is down instead of asking the broker when it is not running', async () => {
    const broker = new RecordingChannelBroker();
    const { tabs, host } = setup({ broker });
    const { id } = await tabs.open('lab://live');
    const page = host.commit(id);
    await expect(page.remote.requestPluginChannel({})).rejects.toMatchObject({ code: 'PLUGIN_HOST_DOWN' });
    expect(broker.calls).toEqual([]);
  });
});

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
