// The tab channels in process: a real loopback WebSocket server and real `ws` clients, with the
// faulty fixture plugins next to the built-ins, so what a plugin throws crosses the real wire.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { PluginChannel, PluginChannelClient } from '../protocol/interfaces/tab-plugin.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { nodeMessagePortTransport } from '../protocol/transport/node-port.ts';
import { RemoteError } from '../protocol/rpc/errors.ts';
import { PluginChannels } from './plugin-channels.ts';
import { PluginRegistry } from './plugin-registry.ts';
import { builtinPlugins } from './plugins/index.ts';
import { failsToCreate, faulty, fixtureLog } from './testing/faulty-plugins.ts';
import { connectTab, rejectionOf, sleep, type Tab } from './testing/tab.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  fixtureLog.length = 0;
});

async function server() {
  const log: string[] = [];
  const channels = await PluginChannels.listen({
    registry: new PluginRegistry([...builtinPlugins, failsToCreate, faulty]),
    self: { process: 'plugin-host', pid: process.pid },
    log: (line) => log.push(line),
  });
  cleanups.push(() => channels.dispose());
  const tab = async (clientId: string): Promise<Tab> => {
    const opened = await connectTab(channels.grant(clientId), clientId);
    cleanups.push(opened.close);
    return opened;
  };
  return { channels, log, tab };
}

it("logs a bad message with the tab's identity and answers it, and the channel keeps serving", async () => {
  const { log, tab } = await server();
  const t = await tab('tab-7');
  const remote = t.connection.remote as unknown as Record<string, (request: unknown) => Promise<unknown>>;
  expect(await rejectionOf(remote.createInstance!({ instanceId: 'c' }))).toMatchObject({ code: 'RPC_BAD_MESSAGE' });
  t.socket.send(Uint8Array.of(0xc1));
  await t.connection.remote.createInstance({ instanceId: 'c', plugin: 'clock' });
  expect(log).toEqual([
    expect.stringMatching(
      /^\[plugin-host\] bad message from tab#tab-7 on PluginChannel: PluginChannel.createInstance request: .*plugin/,
    ),
    expect.stringMatching(/^\[plugin-host\] bad message from tab#tab-7 on \?: message could not be decoded/),
  ]);
});

it('carries what a plugin throws to the tab as a RemoteError, and logs what its timers throw', async () => {
  const { log, tab } = await server();
  const t = await tab('tab-1');
  const create = await rejectionOf(t.connection.remote.createInstance({ instanceId: 'x', plugin: 'fails-to-create' }));
  expect(create).toBeInstanceOf(RemoteError);
  expect(create).toMatchObject({ code: 'FIXTURE_CREATE', message: 'no instance for you' });
  await t.connection.remote.createInstance({
    instanceId: 'f',
    plugin: 'faulty',
    params: [{ name: 'intervalMs', value: '10' }],
  });
  const huge = await rejectionOf(t.connection.remote.command({ instanceId: 'f', command: 'throwHuge' }));
  expect(huge).toBeInstanceOf(RemoteError); // within the wire's bounds, so not a bad message at the tab
  expect(await rejectionOf(t.connection.remote.command({ instanceId: 'f', command: 'throw' }))).toMatchObject({
    name: 'RangeError',
  });
  await t.rendersOf('f', 3);
  expect(log.some((line) => line.startsWith('[plugin-host] tab#tab-1 faulty#f: a timer callback threw'))).toBe(true);
  expect(t.badMessages).toEqual([]);
});

it("destroys a tab's instances when its channel closes, from either end or by a new grant", async () => {
  const { channels, tab } = await server();
  const a = await tab('tab-a');
  await a.connection.remote.createInstance({
    instanceId: 'f',
    plugin: 'faulty',
    params: [{ name: 'intervalMs', value: '10000' }],
  });
  expect(channels.instanceCount('tab-a')).toBe(1);
  // The tab goes away.
  a.socket.close();
  await a.socketClosed;
  await sleep(20);
  expect(channels.instanceCount('tab-a')).toBe(0);
  expect(fixtureLog).toEqual(['destroy f']);

  // A new grant for the same tab replaces its channel: the old one closes, its instances go.
  const b1 = await tab('tab-b');
  await b1.connection.remote.createInstance({
    instanceId: 'f',
    plugin: 'faulty',
    params: [{ name: 'intervalMs', value: '10000' }],
  });
  const b2 = await tab('tab-b');
  await b1.socketClosed;
  expect(fixtureLog).toEqual(['destroy f', 'destroy f']);
  await b2.connection.remote.createInstance({ instanceId: 'f', plugin: 'clock' });

  // The browser closes it.
  channels.close('tab-b');
  expect(channels.instanceCount('tab-b')).toBe(0);
  expect(await b2.socketClosed).toBe(1000);
});

it('serves a tab on a port it was handed (as under utilityProcess): instances, renders, replacement and release', async () => {
  const channels = new PluginChannels({
    registry: new PluginRegistry([...builtinPlugins, failsToCreate, faulty]),
    self: { process: 'plugin-host', pid: process.pid },
    log: () => {},
  });
  cleanups.push(() => channels.dispose());
  expect(() => channels.grant('tab-p')).toThrow(/takes its tabs' channels as ports/);
  const released: string[] = [];
  const open = (label: string) => {
    const { port1, port2 } = new MessageChannel();
    channels.accept('tab-p', nodeMessagePortTransport(port1, { process: 'tab', id: 'tab-p' }), () => {
      released.push(label);
      port1.close();
    });
    const renders: string[] = [];
    const tab = connect({
      transport: nodeMessagePortTransport(port2, { process: 'plugin-host' }),
      self: { process: 'tab', id: 'tab-p' },
      local: PluginChannelClient,
      remote: PluginChannel,
      handlers: {},
      onBadMessage: () => {},
    });
    tab.on('render', ({ instanceId }) => renders.push(instanceId));
    cleanups.push(() => tab.close());
    return { tab, renders, closed: new Promise<string>((resolve) => tab.onDidClose(resolve)) };
  };
  const first = open('first');
  await first.tab.remote.createInstance({
    instanceId: 'f',
    plugin: 'faulty',
    params: [{ name: 'intervalMs', value: '10000' }],
  });
  await first.tab.remote.createInstance({ instanceId: 'c', plugin: 'clock' });
  await sleep(20);
  expect(first.renders).toContain('c');
  expect(channels.instanceCount('tab-p')).toBe(2);

  const second = open('second'); // the page asked again: the old channel and its instances go
  expect(await first.closed).toBe('the channel closed');
  expect(fixtureLog).toEqual(['destroy f']);
  await second.tab.remote.createInstance({ instanceId: 'c', plugin: 'clock' });
  expect(channels.instanceCount('tab-p')).toBe(1);

  channels.close('tab-p');
  expect(await second.closed).toBe('the channel closed');
  expect(channels.instanceCount('tab-p')).toBe(0);
  expect(released).toEqual(['first', 'second']);
});
