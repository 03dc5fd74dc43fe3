// The top page of browser-transports.test.ts, loaded under a strict CSP: embeds the service frame
// (another origin) and two rogue frames, calls EchoService over windowTransport and over a DOM
// MessagePort, and publishes what it found as `window.results` (a promise).
import '../../rpc/eval-free.ts'; // first: before any schema is built
import { connect, type Connection } from '../../rpc/endpoint.ts';
import { EchoClient, EchoService } from '../../rpc/testing/echo-service.ts';
import { Kind } from '../../rpc/wire.ts';
import { domMessagePortTransport } from '../dom-port.ts';
import { windowTransport } from '../window.ts';
import { FORGED, isForged, type ErrorSummary, type TopResults } from './browser-checks.ts';
import type { PageDocument, PageIFrame, PageMessageChannel, PageMessageEvent, PageWindow } from './page-dom.ts';

declare const window: PageWindow;
declare const document: PageDocument;
declare const MessageChannel: new () => PageMessageChannel;

type Client = Connection<typeof EchoClient, typeof EchoService>;

const params = new URLSearchParams(window.location.search);
const frameOrigin = params.get('frame') ?? '';
const thirdOrigin = params.get('third') ?? '';
const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});

function addFrame(src: string): PageIFrame {
  const frame = document.createElement('iframe');
  frame.src = src;
  document.body.append(frame);
  return frame;
}

/** The first message `data` from the window `source()` returns. Call it before that window can post. */
function messageFrom(source: () => PageWindow | null, data: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (event: PageMessageEvent) => {
      if (event.source !== source() || event.data !== data) return;
      window.removeEventListener('message', listener);
      resolve();
    };
    window.addEventListener('message', listener);
  });
}

function nextEvent<E extends 'sawBadMessage' | 'ticked'>(client: Client, event: E) {
  return new Promise<Parameters<Parameters<Client['on']>[1]>[0]>((resolve) => {
    const off = client.on(event, (payload) => {
      off();
      resolve(payload);
    });
  });
}

function summarize(error: unknown): ErrorSummary {
  const e = error as Error & { code?: string };
  return { name: e.name, code: e.code, message: e.message };
}

async function run(): Promise<TopResults> {
  const clientBad: string[] = [];
  const onBadMessage = (report: { interface: string; reason: string }) =>
    clientBad.push(`${report.interface}: ${report.reason}`);

  // The service frame first (the rogues find it as frames[0]), then a rogue of the same origin (a
  // wrong source) and one of a third origin.
  const frame = addFrame(`${frameOrigin}/frame.html?top=${encodeURIComponent(window.location.origin)}`);
  const hello = messageFrom(() => frame.contentWindow, 'hello');
  const rogues = [addFrame(`${frameOrigin}/rogue.html`), addFrame(`${thirdOrigin}/rogue.html`)];
  const roguesReady = Promise.all(rogues.map((rogue) => messageFrom(() => rogue.contentWindow, 'rogue-ready')));

  // Set-up handshake: hand the frame one end of a MessageChannel before either connection exists.
  await hello;
  const target = frame.contentWindow!;
  const channel = new MessageChannel();
  const ready = messageFrom(() => target, 'ready');
  target.postMessage('port', frameOrigin, [channel.port2]);
  await ready;

  // ---- windowTransport ----
  const transport = windowTransport({
    target,
    targetOrigin: frameOrigin,
    receiver: window,
    peer: { process: 'renderer', id: 1 },
  });
  const accepted: unknown[] = [];
  transport.on((message) => accepted.push(message));
  const client: Client = connect({
    transport,
    self: { process: 'ui' },
    local: EchoClient,
    remote: EchoService,
    handlers: {},
    onBadMessage,
  });
  const ticked: number[] = [];
  client.on('ticked', ({ n }) => ticked.push(n));

  const echo = await client.remote.echo({ text: 'hello' });
  const shapes = [
    { op: 'rect', x: 1, y: 2, w: 3, h: 4 },
    { op: 'text', text: 'hi', x: 5, y: 6 },
    { op: 'fill', color: '#fff' },
  ] as const;
  const draw = await client.remote.draw({ shapes: [...shapes] });

  const sawBad = nextEvent(client, 'sawBadMessage');
  const badRequest = { shapes: [{ op: 'circle', r: 1 }] } as unknown as Parameters<Client['remote']['draw']>[0];
  const invalid = await client.remote.draw(badRequest).then(() => null, summarize);
  const sawBadMessage = (await sawBad) as { reason: string; peer: string };

  await client.remote.tick({ count: 3 }); // its events come before its answer

  // ---- forged messages: from the rogue frames and from this window itself ----
  await roguesReady;
  let waitSettled = false;
  const waiting = client.remote.wait({ ms: 500 });
  waiting.then(
    () => (waitSettled = true),
    () => (waitSettled = true),
  );
  const roguesDone = Promise.all(rogues.map((rogue) => messageFrom(() => rogue.contentWindow, 'rogue-done')));
  for (const rogue of rogues) rogue.contentWindow!.postMessage('go', '*');
  const selfDone = messageFrom(() => window, 'self-done');
  for (let i = 0; i <= 64; i++) window.postMessage([Kind.Response, i, { waited: FORGED }], '*');
  window.postMessage([Kind.Event, 'ticked', { n: FORGED }], '*');
  window.postMessage({ forged: FORGED }, '*');
  window.postMessage('self-done', '*');
  await Promise.all([roguesDone, selfDone]);
  const pendingWhenForgedArrived = !waitSettled;
  const wait = await waiting;

  let starError = '';
  try {
    windowTransport({ target, targetOrigin: '*', receiver: window, peer: { process: 'renderer', id: 1 } });
  } catch (error) {
    starError = (error as Error).message;
  }

  // ---- domMessagePortTransport ----
  const portClient: Client = connect({
    transport: domMessagePortTransport(channel.port1, { process: 'renderer', id: 1 }),
    self: { process: 'ui' },
    local: EchoClient,
    remote: EchoService,
    handlers: {},
    onBadMessage,
  });
  const portEcho = await portClient.remote.echo({ text: 'over the port' });
  const { data } = await portClient.remote.bytes({ size: 1 << 20 });
  const received = {
    isUint8Array: data instanceof Uint8Array,
    length: data.byteLength,
    allSevens: data.every((b) => b === 7),
  };
  const sent = new Uint8Array(4096).fill(9);
  sent[0] = 1;
  await portClient.remote.sendRaw({ message: sent }, { transfer: [sent.buffer] });
  const sentDetached = sent.byteLength === 0 && sent.buffer.byteLength === 0;

  client.close();
  portClient.close();
  return {
    echo,
    draw: { sent: shapes, got: draw },
    invalid,
    sawBadMessage,
    ticked,
    forged: {
      pendingWhenForgedArrived,
      wait,
      accepted: accepted.filter(isForged).length,
      acceptedTotal: accepted.length,
    },
    clientBad,
    starError,
    port: { echo: portEcho, received, sentDetached },
    violations,
  };
}

Object.assign(window, {
  results: run().catch((error: unknown) => ({ error: String((error as Error)?.stack ?? error) })),
});
