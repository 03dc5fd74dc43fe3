// The core's side of the ChannelBroker port, in plain Node: a tab's direct channels to the GPU
// process and the plugin host, brokered by the shell's broker or by the default loopback grants.
// The core's other ports are filled by the doubles in testing/, which speak the real interfaces over
// real worker_threads MessagePorts: "utility children" serving GpuService / PluginHostService
// (FakeUtilityLauncher), and a TabHost whose pages speak TabPage (FakeTabHost). What each shell does
// behind the ports is tested in main/chromium (loopback WebSockets, real children) and main/electron
// (MessageChannelMain).
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackWebSocketBroker } from './channel-broker.ts';
import { systemClock } from './clock.ts';
import { EventLog } from './event-log.ts';
import { GpuProcessHost } from './gpu-process-host.ts';
import { PluginProcessHost } from './plugin-process-host.ts';
import type { ChannelBroker } from './ports.ts';
import { ProcessRegistry } from './process-registry.ts';
import { TabManager } from './tabs.ts';
import { FakeTabHost } from './testing/fake-tab-host.ts';
import { FakeUtilityLauncher } from './testing/fake-utility-launcher.ts';
import { RecordingChannelBroker } from './testing/recording-channel-broker.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup(options: { broker?: ChannelBroker } = {}) {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const launcher = new FakeUtilityLauncher();
  const children = launcher.children;
  const clock = systemClock();
  const broker = options.broker === undefined ? {} : { broker: options.broker };
  const gpu = new GpuProcessHost({ launcher, registry, log, clock, ...broker });
  const plugins = new PluginProcessHost({ launcher, registry, log, clock, ...broker });
  const host = new FakeTabHost();
  const tabs = new TabManager({ host, registry, log, clock, gpu, plugins });
  cleanups.push(() => {
    tabs.dispose();
    gpu.dispose();
    plugins.dispose();
    host.dispose();
    launcher.dispose();
  });
  return { gpu, plugins, tabs, host, children };
}

describe("brokering a tab's direct channels", () => {
  it("asks the shell's broker, for the tab, with the running child; the page gets its answer", async () => {
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

  it("by default asks the child itself for a one-time loopback WebSocket grant (the Chromium shell's way)", async () => {
    const { gpu, plugins, children } = setup();
    await Promise.all([gpu.start(), plugins.start()]);
    const [gpuChild, hostChild] = [
      children.find((c) => c.kind === 'gpu')!,
      children.find((c) => c.kind === 'plugin-host')!,
    ];
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
    expect(
      await loopbackWebSocketBroker.establish(
        { kind: 'gpu', child: gpuChild.launched, grantWebSocket: async (clientId) => `ws://x/${clientId}` },
        'tab-8',
      ),
    ).toEqual({
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
