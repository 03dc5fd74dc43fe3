// domMessagePortTransport over Node's global MessageChannel, whose ports have the DOM's
// addEventListener/removeEventListener. browser-transports.test.ts runs it in a real Chromium.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type BadMessageReport, type Connection } from '../rpc/endpoint.ts';
import { echoHandlers } from '../rpc/testing/echo-handlers.ts';
import { EchoClient, EchoService } from '../rpc/testing/echo-service.ts';
import { domMessagePortTransport, type DomMessagePortLike } from './dom-port.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The two ends of a global (DOM-style) MessageChannel, closed after the test. */
function ports(): [DomMessagePortLike, DomMessagePortLike] {
  const { port1, port2 } = new MessageChannel();
  cleanups.push(
    () => port1.close(),
    () => port2.close(),
  );
  // @types/node does not declare the EventTarget methods Node's ports have.
  return [port1 as unknown as DomMessagePortLike, port2 as unknown as DomMessagePortLike];
}

describe('domMessagePortTransport', () => {
  it('carries a typed connection: calls, unions, events, validation and transfers', async () => {
    const [clientPort, servicePort] = ports();
    const serviceBad: BadMessageReport[] = [];
    const clientBad: BadMessageReport[] = [];
    const service: Connection<typeof EchoService, typeof EchoClient> = connect({
      transport: domMessagePortTransport(servicePort, { process: 'ui' }),
      self: { process: 'renderer', id: 1 },
      local: EchoService,
      remote: EchoClient,
      handlers: echoHandlers({ connection: () => service, postRaw: () => {}, exit: () => {} }),
      onBadMessage: (report) => serviceBad.push(report),
    });
    const client = connect({
      transport: domMessagePortTransport(clientPort, { process: 'renderer', id: 1 }),
      self: { process: 'ui' },
      local: EchoClient,
      remote: EchoService,
      handlers: {},
      onBadMessage: (report) => clientBad.push(report),
    });
    cleanups.push(
      () => client.close(),
      () => service.close(),
    );

    expect(await client.remote.echo({ text: 'hello' })).toEqual({ text: 'hello' });
    const shapes = [
      { op: 'rect', x: 1, y: 2, w: 3, h: 4 },
      { op: 'fill', color: 'red' },
    ] as const;
    expect(await client.remote.draw({ shapes: [...shapes] })).toEqual({ shapes });

    const ticked: number[] = [];
    client.on('ticked', ({ n }) => ticked.push(n));
    await client.remote.tick({ count: 3 }); // the events are posted before the answer
    expect(ticked).toEqual([1, 2, 3]);

    const { data } = await client.remote.bytes({ size: 1024 });
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.byteLength).toBe(1024);

    const bad = { shapes: [{ op: 'circle' }] } as unknown as Parameters<typeof client.remote.draw>[0];
    await expect(client.remote.draw(bad)).rejects.toMatchObject({ code: 'RPC_BAD_MESSAGE' });
    expect(serviceBad).toEqual([
      { peer: { process: 'ui' }, interface: 'EchoService', reason: expect.stringContaining('/shapes/0') },
    ]);
    expect(clientBad).toEqual([]);
  });

  it('moves transferred objects, and off() stops delivery', async () => {
    const [a, b] = ports();
    const sender = domMessagePortTransport(a, { process: 'a' });
    const receiver = domMessagePortTransport(b, { process: 'b' });
    const seen: unknown[] = [];
    const all: unknown[] = [];
    const listener = (message: unknown) => seen.push(message);
    receiver.on(listener);
    receiver.on(listener); // twice adds once
    receiver.on((message) => all.push(message)); // stays on, to know when a message has arrived

    const buffer = new ArrayBuffer(8);
    sender.post({ n: 1, buffer }, [buffer]);
    await expect.poll(() => all.length).toBe(1);
    expect(buffer.byteLength).toBe(0); // moved, not copied
    expect(seen).toEqual([{ n: 1, buffer: expect.any(ArrayBuffer) }]);
    expect((seen[0] as { buffer: ArrayBuffer }).buffer.byteLength).toBe(8);

    receiver.off(listener);
    sender.post({ n: 2 });
    await expect.poll(() => all.length).toBe(2);
    expect(seen).toHaveLength(1);
  });
});

describe('domMessagePortTransport.onDidClose', () => {
  it("reports the other end closing (Node's ports fire 'close'), and a connection over it closes", async () => {
    const [a, b] = ports();
    const connection = connect({
      transport: domMessagePortTransport(b, { process: 'gpu' }),
      self: { process: 'renderer' },
      local: EchoClient,
      remote: EchoService,
      handlers: {},
      onBadMessage: () => {},
    });
    const pending = connection.remote.wait({ ms: 60_000 });
    const closed = new Promise<string>((resolve) => connection.onDidClose(resolve));
    (a as unknown as { close(): void }).close();
    expect(await closed).toBe('the channel closed');
    await expect(pending).rejects.toMatchObject({ code: 'RPC_CLOSED' });
  });
});
