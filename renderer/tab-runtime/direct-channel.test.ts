// openDirectChannel's port path in Node, whose global MessageChannel has the DOM's MessagePort API:
// the answer names a port, the page takes it from its DeliveredPorts and speaks the typed RPC over
// it. The "window" is an EventTarget the test posts to as the tab preload would (a message event
// whose source is that window). DeliveredPorts' checks against real windows and frames, and the
// preload's real path, are in protocol/transport/brokered-ports.test.ts and the e2e suite.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../protocol/rpc/endpoint.ts';
import { echoHandlers } from '../../protocol/rpc/testing/echo-handlers.ts';
import { EchoClient, EchoService } from '../../protocol/rpc/testing/echo-service.ts';
import { DeliveredPorts, deliveredPort, type PortReceiverLike } from '../../protocol/transport/brokered-ports.ts';
import { domMessagePortTransport, type DomMessagePortLike } from '../../protocol/transport/dom-port.ts';
import { openDirectChannel, type DeliveredPort } from './direct-channel.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setup() {
  const window = new EventTarget();
  const ports = new DeliveredPorts<DeliveredPort>(window as unknown as PortReceiverLike<DeliveredPort>);
  cleanups.push(() => ports.dispose());
  /** What the preload does with a port the browser sent: posts it to the page's own window. */
  const deliver = (portId: string, port: MessagePort) =>
    window.dispatchEvent(
      Object.assign(new Event('message'), { data: deliveredPort(portId), source: window, ports: [port] }),
    );
  /** The utility process's end: EchoService over the other port. */
  const serve = (port: MessagePort) => {
    const service: Connection<typeof EchoService, typeof EchoClient> = connect({
      transport: domMessagePortTransport(port as unknown as DomMessagePortLike, { process: 'tab' }),
      self: { process: 'gpu' },
      local: EchoService,
      remote: EchoClient,
      handlers: echoHandlers({ connection: () => service, postRaw: () => {}, exit: () => {} }),
      onBadMessage: () => {},
    });
    cleanups.push(() => service.close());
    return service;
  };
  const pair = () => {
    const channel = new MessageChannel();
    cleanups.push(() => channel.port1.close());
    return channel;
  };
  return { ports, deliver, serve, pair };
}

const options = { local: EchoClient, remote: EchoService, peer: { process: 'gpu', pid: 77 } } as const;

describe('openDirectChannel over a delivered port', () => {
  it('connects over the port the answer named, whichever came first, and closes the port with the connection', async () => {
    const { ports, deliver, serve, pair } = setup();
    const early = pair();
    serve(early.port1);
    deliver('p-early', early.port2); // before the answer
    const first = await openDirectChannel({ ...options, channel: { kind: 'port', portId: 'p-early' }, ports });
    expect(await first.remote.echo({ text: 'early' })).toEqual({ text: 'early' });

    const late = pair();
    const service = serve(late.port1);
    const opening = openDirectChannel({ ...options, channel: { kind: 'port', portId: 'p-late' }, ports });
    setTimeout(() => deliver('p-late', late.port2), 10); // after the answer
    const second = await opening;
    expect(await second.remote.echo({ text: 'late' })).toEqual({ text: 'late' });

    // The page closes its connection (a newer channel replaced it): the port closes, the other end hears it.
    const serviceClosed = new Promise<string>((resolve) => service.onDidClose(resolve));
    second.close('replaced');
    expect(await serviceClosed).toBe('the channel closed');
  });

  it('fails when the port does not come in time, or when the page gives up first', async () => {
    const { ports } = setup();
    await expect(
      openDirectChannel({ ...options, channel: { kind: 'port', portId: 'never' }, ports, openTimeoutMs: 30 }),
    ).rejects.toThrow("The channel's port did not arrive within 30 ms");
    const request = new AbortController();
    const opening = openDirectChannel({
      ...options,
      channel: { kind: 'port', portId: 'gone' },
      ports,
      signal: request.signal,
    });
    request.abort(new Error('a newer GPU channel request replaced this one'));
    await expect(opening).rejects.toThrow('a newer GPU channel request replaced this one');
  });
});
