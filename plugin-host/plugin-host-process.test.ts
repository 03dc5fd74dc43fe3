// The plugin host entry as a real child process, started the way the browser process starts it,
// with tabs connecting to it over real loopback WebSockets as tabs do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Encoder } from '@msgpack/msgpack';
import { endedAfterEachTest, rejectionOf, sleep, startHost, type Host } from './testing/tab.ts';

const { host, tab, endLater } = endedAfterEachTest();

const params = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => ({ name, value }));

it('answers describe with its own pid, and exits when the browser side disconnects', async () => {
  const { child, connection, exited } = host();
  const info = await connection.remote.describe({});
  expect(info).toMatchObject({ pid: child.pid, runtime: 'node' });
  expect(info.versions.node).toBe(process.versions.node);
  child.disconnect();
  expect(await exited).toEqual({ code: 0, signal: null });
});

describe('one host serving several tabs', () => {
  // One host for these tests (each spawn costs about a second under tsx); each test has its own tabs.
  let h: Host;
  let kill: () => void;
  beforeAll(() => ({ kill } = h = startHost()));
  afterAll(() => kill());

  it('lists its plugins', async () => {
    const { plugins } = await h.connection.remote.listPlugins({});
    expect(plugins.map((plugin) => plugin.name)).toEqual(['clock', 'crasher', 'cpu-hog']);
    for (const plugin of plugins) expect(plugin.description.length).toBeGreaterThan(10);
  });

  it('runs a clock that renders changing content at its interval, until it is destroyed', async () => {
    const t = await tab(h, 'clock-tab');
    await t.connection.remote.createInstance({
      instanceId: 'c1',
      plugin: 'clock',
      params: params({ intervalMs: '100' }),
    });
    const renders = await t.rendersOf('c1', 4);
    const contents = renders.map((render) => JSON.stringify(render.content));
    expect(new Set(contents).size).toBe(4); // each tick shows something new
    expect(renders[0]!.content.kind).toBe('display-list');
    const gaps = renders.slice(1).map((render, i) => render.at - renders[i]!.at);
    // The first render is at creation, then one per 100 ms. A timer late under load is followed by one
    // that catches up, so it is the mean gap that keeps to the interval, not each one.
    const later = gaps.slice(1);
    expect(later.reduce((sum, gap) => sum + gap, 0) / later.length).toBeGreaterThan(60);
    for (const gap of gaps) expect(gap).toBeLessThan(400);

    await t.connection.remote.destroyInstance({ instanceId: 'c1' });
    const count = t.renders.length; // renders sent before the destroy arrive before its answer
    await sleep(350);
    expect(t.renders.length).toBe(count);
    expect((await rejectionOf(t.connection.remote.command({ instanceId: 'c1', command: 'reset' }))).code).toBe(
      'PLUGIN_NO_INSTANCE',
    );
  });

  it('renders text with style=text, and reset starts the count again', async () => {
    const t = await tab(h, 'text-tab');
    await t.connection.remote.createInstance({
      instanceId: 'c1',
      plugin: 'clock',
      params: params({ intervalMs: '50', style: 'text' }),
    });
    const renders = await t.rendersOf('c1', 4);
    expect(renders.map((render) => render.content)).toEqual(
      [0, 1, 2, 3].map((n) => ({
        kind: 'text',
        text: expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d · tick ${n}$`)),
      })),
    );
    const before = t.renders.length;
    expect(await t.connection.remote.command({ instanceId: 'c1', command: 'reset' })).toEqual({ result: 'reset' });
    // The count starts again: a render after the reset shows tick 0 (a tick due meanwhile may come first).
    const afterReset = () => t.renders.slice(before).filter((render) => render.instanceId === 'c1');
    for (let waited = 0; waited < 1000 && !afterReset().some(showsTickZero); waited += 25) await sleep(25);
    expect(afterReset().map((render) => render.content)).toContainEqual({
      kind: 'text',
      text: expect.stringMatching(/tick 0$/),
    });
  });

  it('closeChannel ends the tab connection, its pending calls and its instances', async () => {
    const t = await tab(h, 'closing-tab');
    await t.connection.remote.createInstance({
      instanceId: 'c1',
      plugin: 'clock',
      params: params({ intervalMs: '50' }),
    });
    await t.connection.remote.createInstance({ instanceId: 'hog', plugin: 'cpu-hog' });
    await t.rendersOf('c1', 2);
    const pending = rejectionOf(t.connection.remote.command({ instanceId: 'hog', command: 'sleep', argument: '5000' }));
    await sleep(20);
    await h.connection.remote.closeChannel({ clientId: 'closing-tab' });
    expect(await pending).toMatchObject({ code: 'RPC_CLOSED' });
    expect(await t.socketClosed).toBe(1000);
    expect(t.connection.closed).toBe(true);
    // A new channel for the same tab starts empty: the old instances are gone.
    const again = await tab(h, 'closing-tab');
    expect((await rejectionOf(again.connection.remote.command({ instanceId: 'c1', command: 'reset' }))).code).toBe(
      'PLUGIN_NO_INSTANCE',
    );
    await again.connection.remote.createInstance({ instanceId: 'c1', plugin: 'clock' }); // the id is free again
    // Closing a channel that does not exist is fine.
    await h.connection.remote.closeChannel({ clientId: 'nobody' });
  });

  it("counts each tab's messages (getChannelTraffic): its calls and answers, and the renders it is sent", async () => {
    const t = await tab(h, 'counted-tab');
    const traffic = async () =>
      (await h.connection.remote.getChannelTraffic({})).channels.find((c) => c.clientId === 'counted-tab');
    expect(await traffic()).toEqual({ clientId: 'counted-tab', received: 0, sent: 0 });
    await t.connection.remote.createInstance({
      instanceId: 'c1',
      plugin: 'clock',
      params: params({ intervalMs: '50', style: 'text' }),
    });
    await t.rendersOf('c1', 3);
    await t.connection.remote.destroyInstance({ instanceId: 'c1' });
    // Two calls received; their two answers and every render sent (all arrived before the destroy's answer).
    expect(await traffic()).toEqual({ clientId: 'counted-tab', received: 2, sent: 2 + t.renders.length });
    await h.connection.remote.closeChannel({ clientId: 'counted-tab' });
    await expect.poll(traffic).toBeUndefined();
  });

  it('keeps two tabs apart: the same instance id in each, destroyed in one, alive in the other', async () => {
    const [a, b] = await Promise.all([tab(h, 'tab-a'), tab(h, 'tab-b')]);
    await a.connection.remote.createInstance({
      instanceId: 'p',
      plugin: 'clock',
      params: params({ intervalMs: '50', style: 'text' }),
    });
    await b.connection.remote.createInstance({
      instanceId: 'p',
      plugin: 'clock',
      params: params({ intervalMs: '50', style: 'text' }),
    });
    await a.connection.remote.createInstance({ instanceId: 'only-a', plugin: 'crasher' });
    await Promise.all([a.rendersOf('p', 3), b.rendersOf('p', 3)]);
    expect(b.renders.some((render) => render.instanceId === 'only-a')).toBe(false);
    expect((await rejectionOf(b.connection.remote.command({ instanceId: 'only-a', command: 'crash' }))).code).toBe(
      'PLUGIN_NO_INSTANCE',
    );

    await a.connection.remote.command({ instanceId: 'p', command: 'reset' });
    await a.connection.remote.destroyInstance({ instanceId: 'p' });
    const bBefore = b.renders.length;
    await b.rendersOf('p', bBefore + 3); // b's p ticks on, its count untouched by a's reset
    const bTexts = b.renders.map((render) => (render.content.kind === 'text' ? render.content.text : ''));
    expect(bTexts.at(-1)).toMatch(new RegExp(`tick ${bTexts.length - 1}$`));
  });

  it('fails unknown plugins, instances, commands and duplicate ids with their codes, and keeps serving', async () => {
    const { connection: tabConnection } = await tab(h, 'error-tab');
    const remote = tabConnection.remote;
    const unknown = await rejectionOf(remote.createInstance({ instanceId: 'x', plugin: 'flash' }));
    expect(unknown).toMatchObject({ code: 'PLUGIN_UNKNOWN', remote: true });
    expect(unknown.message).toMatch(/flash.*available: clock, crasher, cpu-hog/);

    expect(await rejectionOf(remote.destroyInstance({ instanceId: 'x' }))).toMatchObject({
      code: 'PLUGIN_NO_INSTANCE',
    });
    expect(await rejectionOf(remote.command({ instanceId: 'x', command: 'reset' }))).toMatchObject({
      code: 'PLUGIN_NO_INSTANCE',
    });

    await remote.createInstance({ instanceId: 'c', plugin: 'clock' });
    const command = await rejectionOf(remote.command({ instanceId: 'c', command: 'explode' }));
    expect(command).toMatchObject({ code: 'PLUGIN_UNKNOWN_COMMAND' });
    expect(command.message).toMatch(/its commands: reset/);
    // Names of Object.prototype are not commands.
    expect(await rejectionOf(remote.command({ instanceId: 'c', command: 'toString' }))).toMatchObject({
      code: 'PLUGIN_UNKNOWN_COMMAND',
    });

    expect(await rejectionOf(remote.createInstance({ instanceId: 'c', plugin: 'crasher' }))).toMatchObject({
      code: 'PLUGIN_DUPLICATE_INSTANCE',
    });
    expect(
      await rejectionOf(
        remote.createInstance({ instanceId: 'd', plugin: 'clock', params: params({ intervalMs: 'soon' }) }),
      ),
    ).toMatchObject({
      code: 'PLUGIN_BAD_PARAM',
    });
    // Still serving: the instance that exists works, and so does the browser's side.
    expect(await remote.command({ instanceId: 'c', command: 'reset' })).toEqual({ result: 'reset' });
    expect((await h.connection.remote.describe({})).pid).toBe(h.child.pid);
  });

  it('answers a malformed request with RPC_BAD_MESSAGE, ignores garbage frames, and keeps serving', async () => {
    const t = await tab(h, 'rogue-tab');
    const remote = t.connection.remote as unknown as Record<string, (request: unknown) => Promise<unknown>>;
    expect(await rejectionOf(remote.createInstance!({ instanceId: 'c' }))).toMatchObject({
      code: 'RPC_BAD_MESSAGE',
      message: expect.stringMatching(/plugin/),
    });
    expect(await rejectionOf(remote.command!({ instanceId: 'c', command: 'reset', extra: 1 }))).toMatchObject({
      code: 'RPC_BAD_MESSAGE',
    });
    expect(await rejectionOf(remote.createInstance!({ instanceId: '', plugin: 'clock' }))).toMatchObject({
      code: 'RPC_BAD_MESSAGE',
    });
    // Raw frames a tab's compromised renderer could send: not MessagePack, not an envelope, text.
    t.socket.send(Uint8Array.of(0xc1, 0xff, 0x00));
    t.socket.send(new Encoder().encode({ not: 'an envelope' }));
    t.socket.send(new Encoder().encode([0, 1.5, 'createInstance', {}]));
    t.socket.send('hello');
    // The same channel and the host go on: the garbage got no answer, the next call does.
    await t.connection.remote.createInstance({
      instanceId: 'c',
      plugin: 'clock',
      params: params({ intervalMs: '50' }),
    });
    await t.rendersOf('c', 2);
    expect(t.socket.readyState).toBe(WebSocket.OPEN);
    expect(t.badMessages).toEqual([]);
    expect(h.child.exitCode).toBe(null);
  });

  it('refuses a connection without a grant, and a grant used twice', async () => {
    const { url } = await h.connection.remote.establishChannel({ clientId: 'grant-tab' });
    const first = new WebSocket(url);
    endLater(() => first.terminate());
    await new Promise((resolve) => first.once('open', resolve));
    for (const target of [url, url.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000')]) {
      const second = new WebSocket(target);
      const outcome = await new Promise<string>((resolve) => {
        second.once('error', (error) => resolve(error.message));
        second.once('open', () => resolve('open'));
      });
      expect(outcome).toMatch(/Unexpected server response: 401/);
    }
  });
});

function showsTickZero(render: { content: unknown }): boolean {
  const content = render.content as { kind?: string; text?: string };
  return content.kind === 'text' && /tick 0$/.test(content.text ?? '');
}
