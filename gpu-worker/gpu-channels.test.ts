// The tabs' direct channels to the real GPU process: bad messages are refused and the process keeps
// serving, Skia's refusals come back as errors, grants are single-use, the browser can close a
// channel, and a GPU process that dies never leaves a tab waiting.
import { MessageChannel } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { DisplayList, PaintOp } from '../protocol/interfaces/display-list.ts';
import { GpuChannel, GpuChannelClient } from '../protocol/interfaces/tab-gpu.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { nodeMessagePortTransport } from '../protocol/transport/node-port.ts';
import { GpuChannels, serveGpuChannel } from './gpu-channels.ts';
import { Rasterizer } from './rasterizer.ts';
import { FIDELITY_LISTS } from './testing/display-lists.ts';
import { openTabChannel, startGpuProcess, type GpuProcess, type TabChannel } from './testing/gpu-process.ts';
import { mismatch, replayHere } from './testing/pixels.ts';

const valid = FIDELITY_LISTS.shapes!;
const list = (ops: unknown[], extra: object = {}) => ({ width: 64, height: 48, ops, ...extra }) as DisplayList;
const rgba = (width: number, height: number) => ({ width, height, data: new Uint8Array(width * height * 4).fill(200) });

let gpu: GpuProcess;
const tabs: TabChannel[] = [];

async function channelFor(clientId: string): Promise<TabChannel> {
  const { url } = await gpu.connection.remote.establishChannel({ clientId });
  const tab = await openTabChannel(url, clientId);
  tabs.push(tab);
  return tab;
}

async function expectValidFrame(tab: TabChannel): Promise<void> {
  const frame = await tab.connection.remote.rasterize(valid);
  expect(mismatch(frame, replayHere(valid))).toBeLessThanOrEqual(0.005);
}

/** One GPU process for each test of the block, or one for the whole block (`shared`). */
function withGpuProcess({ shared }: { shared: boolean }): void {
  const start = () => {
    gpu = startGpuProcess(inject('childEntries').gpu);
  };
  const stop = () => {
    for (const tab of tabs.splice(0)) tab.socket.terminate();
    gpu.child.kill('SIGKILL');
  };
  if (shared) {
    beforeAll(start);
    afterAll(stop);
  } else {
    beforeEach(start);
    afterEach(stop);
  }
}

describe('a malformed display list', () => {
  // One process for all of them: each bad message leaves it serving.
  withGpuProcess({ shared: true });

  const cases: [string, unknown, RegExp][] = [
    ['a wrong op field type', list([{ op: 'fillRect', x: '10', y: 0, w: 5, h: 5 }]), /\/ops\/0\/x must be number/],
    ['an unknown op', list([{ op: 'fill' }, { op: 'drawVideo', src: 'x' }]), /\/ops\/1 must have a "op" of "save"/],
    ['an extra field', list([{ op: 'fill', evil: true }]), /\/ops\/0\/evil/],
    ['a non-finite number', list([{ op: 'translate', x: Number.NaN, y: 0 }]), /\/ops\/0\/x must be number/],
    [
      'too many ops',
      list(Array.from({ length: 10_001 }, () => ({ op: 'save' }))),
      /\/ops must not have more than 10000 items/,
    ],
    ['a frame too large', { ...list([]), width: 4096 }, /\/width must be <= 2048/],
    [
      'an image index out of range',
      list([{ op: 'drawImage', image: 1, x: 0, y: 0 }], { images: [rgba(2, 2)] }),
      /\/ops\/0\/image 1 is out of range: the list carries 1 image/,
    ],
    [
      'an image index past the limit',
      list([{ op: 'drawImage', image: 9, x: 0, y: 0 }]),
      /\/ops\/0\/image must be <= 3/,
    ],
    // Skia would throw on it; the schema refuses it first.
    [
      'a radial gradient with a negative radius',
      list([
        { op: 'radialGradient', x0: 5, y0: 5, r0: -1, x1: 5, y1: 5, r1: 10, stops: [{ offset: 0, color: 'red' }] },
      ]),
      /\/ops\/0\/r0 must be >= 0/,
    ],
    [
      'image bytes that do not match its size',
      list([], { images: [{ ...rgba(2, 2), width: 3 }] }),
      /\/images\/0 data must hold width x height x 4 = 24 bytes, not 16/,
    ],
  ];

  it.each(cases)('is refused with RPC_BAD_MESSAGE: %s', async (_name, bad, reason) => {
    const tab = await channelFor('tab-bad');
    const error = await tab.connection.remote.rasterize(bad as DisplayList).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'RPC_BAD_MESSAGE', message: expect.stringMatching(reason) });
    expect((error as Error).message).toMatch(/^GpuChannel\.rasterize request: /);
    // The same channel, a new channel and the browser's channel all still work.
    await expectValidFrame(tab);
    await expectValidFrame(await channelFor('tab-other'));
    expect((await gpu.connection.remote.describe({})).pid).toBe(gpu.child.pid);
  });
});

describe('an op Skia refuses', () => {
  withGpuProcess({ shared: true });

  const cases: [string, PaintOp, RegExp][] = [
    [
      'a gradient stop whose color does not parse',
      { op: 'linearGradient', x0: 0, y0: 0, x1: 10, y1: 0, stops: [{ offset: 0, color: 'not-a-color' }] },
      /^paint op 1 \(linearGradient\) failed: .*'not-a-color'.* could not be parsed as a color/,
    ],
  ];

  it.each(cases)(
    'comes back as a RemoteError naming the op, and the process keeps going: %s',
    async (_name, op, message) => {
      const tab = await channelFor('tab-skia');
      const error = await tab.connection.remote
        .rasterize(list([{ op: 'fill' }, op]))
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        remote: true,
        name: 'ReplayError',
        code: 'PAINT_OP_FAILED',
        message: expect.stringMatching(message),
      });
      await expectValidFrame(tab);
    },
  );

  it('is not confused with a bad font, which the canvas ignores as Chrome does', async () => {
    const tab = await channelFor('tab-font');
    const fonts = ['bogus', '12px', '20px url(x)', `${'9'.repeat(100)}px serif`];
    const ops: PaintOp[] = fonts.flatMap((font): PaintOp[] => [
      { op: 'font', font },
      { op: 'fillText', text: 'text', x: 2, y: 20 },
    ]);
    const frame = await tab.connection.remote.rasterize(list(ops));
    expect(mismatch(frame, replayHere(list(ops)))).toBe(0);
  });
});

describe('grants and channels', () => {
  withGpuProcess({ shared: false });

  it('admits one connection per grant: a second one with the same URL is refused', async () => {
    const { url } = await gpu.connection.remote.establishChannel({ clientId: 'tab-1' });
    const first = await openTabChannel(url, 'tab-1');
    tabs.push(first);
    await expect(openTabChannel(url, 'tab-1')).rejects.toThrow(/Unexpected server response: 401/);
    await expect(openTabChannel(url.replace(/[0-9a-f]{8}-/, '00000000-'), 'tab-1')).rejects.toThrow(/401/);
    await expectValidFrame(first); // the first connection is untouched
  });

  it('closeChannel ends the tab connection: the socket closes and calls fail with RPC_CLOSED', async () => {
    const tab = await channelFor('tab-close');
    await expectValidFrame(tab);
    const other = await channelFor('tab-stays');
    const closedReason = new Promise<string>((resolve) => tab.connection.onDidClose(resolve));
    await gpu.connection.remote.closeChannel({ clientId: 'tab-close' });
    expect(await tab.closed).toEqual({ code: 1000, reason: 'channel closed by the browser process' });
    expect(await closedReason).toBe('the channel closed');
    await expect(tab.connection.remote.rasterize(valid)).rejects.toMatchObject({ code: 'RPC_CLOSED' });
    await expectValidFrame(other);
    // Closing a tab without a channel is harmless.
    await gpu.connection.remote.closeChannel({ clientId: 'no-such-tab' });
  });

  it('a new grant for the same tab replaces its channel', async () => {
    const old = await channelFor('tab-again');
    const fresh = await channelFor('tab-again');
    expect((await old.closed).reason).toBe('replaced by a new channel');
    await expectValidFrame(fresh);
  });

  it("counts each tab's messages (getChannelTraffic): cumulative across a replaced channel, dropped when closed", async () => {
    expect(await gpu.connection.remote.getChannelTraffic({})).toEqual({ channels: [] });
    const busy = await channelFor('tab-busy');
    await channelFor('tab-idle');
    for (let i = 0; i < 3; i++) await expectValidFrame(busy);
    const counts = async () =>
      new Map((await gpu.connection.remote.getChannelTraffic({})).channels.map((c) => [c.clientId, c]));
    // Three requests received, three frames sent back; the idle tab's channel counts nothing.
    expect(await counts()).toEqual(
      new Map([
        ['tab-busy', { clientId: 'tab-busy', received: 3, sent: 3 }],
        ['tab-idle', { clientId: 'tab-idle', received: 0, sent: 0 }],
      ]),
    );
    const fresh = await channelFor('tab-busy'); // replaces the old channel: the counts go on
    await expectValidFrame(fresh);
    expect((await counts()).get('tab-busy')).toEqual({ clientId: 'tab-busy', received: 4, sent: 4 });
    await gpu.connection.remote.closeChannel({ clientId: 'tab-idle' });
    await expect.poll(async () => [...(await counts()).keys()]).toEqual(['tab-busy']);
  });

  it('a tab waiting on the GPU process when it is killed gets RPC_CLOSED, not a hang', async () => {
    const tab = await channelFor('tab-waiting');
    // Hang the GPU main thread first (proved by a describe that times out), so the rasterize below
    // is certainly still pending when the process dies.
    void gpu.connection.remote.hang({}).catch(() => undefined);
    await expect(gpu.connection.remote.describe({}, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'RPC_TIMEOUT' });
    const pending = tab.connection.remote.rasterize(valid, { timeoutMs: 60_000 }).catch((caught: unknown) => caught);
    const killedAt = performance.now();
    gpu.child.kill('SIGKILL');
    const error = await pending;
    expect(error).toMatchObject({
      code: 'RPC_CLOSED',
      message: expect.stringContaining('GpuChannel.rasterize failed: connection to gpu closed'),
    });
    expect(performance.now() - killedAt).toBeLessThan(5000);
    expect(await gpu.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });
});

describe('serveGpuChannel over a MessagePort (in process)', () => {
  it('logs a bad message with the tab identity from the transport, and keeps serving', async () => {
    const { port1, port2 } = new MessageChannel();
    const lines: string[] = [];
    const served = serveGpuChannel(nodeMessagePortTransport(port1, { process: 'tab', id: 'tab-7', pid: 4242 }), {
      rasterizer: new Rasterizer(process.pid),
      self: { process: 'gpu' },
      log: (line) => lines.push(line),
    });
    const tab = connect({
      transport: nodeMessagePortTransport(port2, { process: 'gpu' }),
      self: { process: 'tab' },
      local: GpuChannelClient,
      remote: GpuChannel,
      handlers: {},
      onBadMessage: () => undefined,
    });
    try {
      await expect(tab.remote.rasterize(list([{ op: 'nope' }]))).rejects.toMatchObject({ code: 'RPC_BAD_MESSAGE' });
      expect(lines).toEqual([
        expect.stringMatching(
          /^\[gpu\] refused a bad message from tab#tab-7 \(pid 4242\) on GpuChannel: GpuChannel\.rasterize request: \/ops\/0 must have/,
        ),
      ]);
      const frame = await tab.remote.rasterize(valid);
      expect(frame).toMatchObject({ width: valid.width, height: valid.height, gpuPid: process.pid });
    } finally {
      tab.close();
      served.close();
      port1.close();
    }
  });
});

describe('GpuChannels taking ports (as under utilityProcess), in process', () => {
  it("serves each tab on the port it was handed, replaces a tab's old channel, and releases ports as channels close", async () => {
    const channels = new GpuChannels({
      rasterizer: new Rasterizer(process.pid),
      self: { process: 'gpu' },
      log: () => {},
    });
    expect(() => channels.grant('tab-1')).toThrow(/takes its tabs' channels as ports/);
    const released: string[] = [];
    const open = (clientId: string, label: string) => {
      const { port1, port2 } = new MessageChannel();
      channels.accept(clientId, nodeMessagePortTransport(port1, { process: 'tab', id: clientId }), () => {
        released.push(label);
        port1.close(); // what the real release does to a MessagePortMain
      });
      const tab = connect({
        transport: nodeMessagePortTransport(port2, { process: 'gpu' }),
        self: { process: 'tab', id: clientId },
        local: GpuChannelClient,
        remote: GpuChannel,
        handlers: {},
        onBadMessage: () => undefined,
      });
      return { tab, closed: new Promise<string>((resolve) => tab.onDidClose(resolve)) };
    };
    const first = open('tab-1', 'first');
    const other = open('tab-2', 'other');
    expect((await first.tab.remote.rasterize(valid)).gpuPid).toBe(process.pid);
    expect(channels.size).toBe(2);

    const second = open('tab-1', 'second'); // the page asked again (a reload, a GPU restart)
    expect(await first.closed).toBe('the channel closed');
    expect(mismatch(await second.tab.remote.rasterize(valid), replayHere(valid))).toBeLessThanOrEqual(0.005);

    channels.close('tab-2'); // the browser closed it: the tab went
    expect(await other.closed).toBe('the channel closed');
    expect(released).toEqual(['first', 'other']);
    expect(channels.size).toBe(1);
    channels.close('tab-1');
    expect(released).toEqual(['first', 'other', 'second']);
    await second.closed;
  });
});
