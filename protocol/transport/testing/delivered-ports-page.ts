// The top page of brokered-ports.test.ts: takes MessagePorts posted to its own window the way the
// Electron tab preload posts them (window.postMessage(deliveredPort(id), origin, [port])), refuses
// the ones it must, and runs a typed connection over a port whose other end lives in a cross-origin
// frame (another renderer process), which the test then crashes. Publishes `window.results` (a
// promise) and, for the crash, `window.crashWatch`.
import { connect, type Connection } from '../../rpc/endpoint.ts';
import { echoHandlers } from '../../rpc/testing/echo-handlers.ts';
import { EchoClient, EchoService } from '../../rpc/testing/echo-service.ts';
import { DELIVERED_PORT, DeliveredPorts, deliveredPort, type PortReceiverLike } from '../brokered-ports.ts';
import { domMessagePortTransport, type DomMessagePortLike } from '../dom-port.ts';
import type { DeliveredPortsResults } from './delivered-ports-checks.ts';
import type { PageDocument, PageMessageEvent, PageWindow } from './page-dom.ts';

type Port = DomMessagePortLike & { close(): void };
declare const window: PageWindow;
declare const document: PageDocument;
declare const MessageChannel: new () => { readonly port1: Port; readonly port2: Port };

const frameOrigin = new URLSearchParams(window.location.search).get('frame') ?? '';
const origin = window.location.origin;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true when `port`'s other end goes away within `ms` (its 'close' event), else false. */
function closes(port: Port, ms = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    port.addEventListener('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    port.start?.();
  });
}

/** EchoService over `port` and a client over `other`: the echo answer. */
async function echoOver(servicePort: Port, clientPort: Port, text: string): Promise<unknown> {
  const service: Connection<typeof EchoService, typeof EchoClient> = connect({
    transport: domMessagePortTransport(servicePort, { process: 'tab' }),
    self: { process: 'gpu' },
    local: EchoService,
    remote: EchoClient,
    handlers: echoHandlers({ connection: () => service, postRaw: () => {}, exit: () => {} }),
    onBadMessage: () => {},
  });
  const client = connect({
    transport: domMessagePortTransport(clientPort, { process: 'gpu' }),
    self: { process: 'tab' },
    local: EchoClient,
    remote: EchoService,
    handlers: {},
    onBadMessage: () => {},
  });
  const answer = await client.remote.echo({ text });
  client.close();
  service.close();
  return answer;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: Error) => error.message,
  );

async function run(): Promise<DeliveredPortsResults> {
  const ports = new DeliveredPorts<Port>(window as unknown as PortReceiverLike<Port>, { holdMs: 300 });

  // Arrives before it is asked for (the answer to the request came second).
  const early = new MessageChannel();
  window.postMessage(deliveredPort('early'), origin, [early.port2]);
  await sleep(20);
  const heldEarly = ports.heldCount;
  const earlyEcho = await echoOver(early.port1, await ports.take('early'), 'early');

  // Asked for before it arrives.
  const late = new MessageChannel();
  const taking = ports.take('late');
  setTimeout(() => window.postMessage(deliveredPort('late'), origin, [late.port2]), 30);
  const lateEcho = await echoOver(late.port1, await taking, 'late');

  // Refused: two ports, a wrong shape, no port. The ports of a refused message are closed.
  const two = [new MessageChannel(), new MessageChannel()];
  const twoClosed = Promise.all(two.map(({ port1 }) => closes(port1)));
  window.postMessage(
    deliveredPort('two'),
    origin,
    two.map(({ port2 }) => port2),
  );
  const shaped = new MessageChannel();
  window.postMessage({ type: DELIVERED_PORT, portId: 'shaped', extra: 1 }, origin, [shaped.port2]);
  window.postMessage(deliveredPort('none'), origin);
  const refused = await Promise.all(
    ['two', 'shaped', 'none'].map((id) => rejection(ports.take(id, { timeoutMs: 200 }))),
  );
  const refusedPortsClosed = (await twoClosed).every(Boolean);

  // From another window (a frame of another origin posting to its parent): not the preload.
  const frame = document.createElement('iframe');
  frame.src = `${frameOrigin}/frame.html?top=${encodeURIComponent(origin)}`;
  const frameReady = new Promise<void>((resolve) => {
    const listener = (event: PageMessageEvent) => {
      if (event.source !== frame.contentWindow || event.data !== 'ready') return;
      window.removeEventListener('message', listener);
      resolve();
    };
    window.addEventListener('message', listener);
  });
  document.body.append(frame);
  await frameReady; // the frame has posted its forged delivery before 'ready'
  const forged = await rejection(ports.take('forged', { timeoutMs: 200 }));

  // Unclaimed, it is closed after holdMs.
  const unclaimed = new MessageChannel();
  const unclaimedClosed = closes(unclaimed.port1);
  window.postMessage(deliveredPort('unclaimed'), origin, [unclaimed.port2]);
  const unclaimedWasClosed = await unclaimedClosed;

  const aborted = new AbortController();
  const abortedTake = rejection(ports.take('aborted', { signal: aborted.signal }));
  aborted.abort(new Error('the page gave up'));

  // A connection over a port whose other end is in the frame (another process): kept for the crash.
  const toFrame = new MessageChannel();
  frame.contentWindow!.postMessage('serve', frameOrigin, [toFrame.port2]);
  const client = connect({
    transport: domMessagePortTransport(toFrame.port1, { process: 'frame' }),
    self: { process: 'tab' },
    local: EchoClient,
    remote: EchoService,
    handlers: {},
    onBadMessage: () => {},
  });
  const frameEcho = await client.remote.echo({ text: 'across processes' });
  Object.assign(window, { crashWatch: new Promise((resolve) => client.onDidClose(resolve)) });

  return {
    heldEarly,
    earlyEcho,
    lateEcho,
    refused,
    refusedPortsClosed,
    forged,
    unclaimedWasClosed,
    heldAtEnd: ports.heldCount,
    aborted: await abortedTake,
    frameEcho,
  };
}

Object.assign(window, {
  results: run().catch((error: Error) => ({ error: `${error.name}: ${error.message}` })),
});
