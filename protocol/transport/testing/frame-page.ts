// The cross-origin iframe of browser-transports.test.ts: serves EchoService to the top page over
// windowTransport and over a DOM MessagePort the top page hands over. Loaded under a strict CSP.
import '../../rpc/eval-free.ts'; // first: before any schema is built
import { connect, type CallContext, type Connection, type Handlers } from '../../rpc/endpoint.ts';
import { echoHandlers } from '../../rpc/testing/echo-handlers.ts';
import { EchoClient, EchoService } from '../../rpc/testing/echo-service.ts';
import { domMessagePortTransport } from '../dom-port.ts';
import { describePeer, type Transport } from '../transport.ts';
import { windowTransport } from '../window.ts';
import type { FrameState } from './browser-checks.ts';
import type { PageDocument, PageMessageEvent, PageWindow } from './page-dom.ts';

declare const window: PageWindow;
declare const document: PageDocument;

type Service = Connection<typeof EchoService, typeof EchoClient>;

const topOrigin = new URLSearchParams(window.location.search).get('top') ?? '';
const state: FrameState = {
  violations: [],
  windowCalls: [],
  portCalls: [],
  bad: [],
  rawOverPort: [],
  sentBytesDetached: null,
  rogueDone: 0,
};
Object.assign(window, { frameState: state });
document.addEventListener('securitypolicyviolation', (event) => {
  state.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array(${value.byteLength}) first=${value[0]} last=${value.at(-1)}`;
  return typeof value;
}

/** EchoService over `transport`, recording every handler call in `calls`. */
function serve(transport: Transport, calls: string[], postRaw: (message: unknown) => void): Service {
  const base = echoHandlers({ connection: () => service, postRaw, exit: () => {} });
  const recorded = Object.fromEntries(
    Object.entries(base).map(([name, handler]) => [
      name,
      (request: { text?: unknown }, context: CallContext) => {
        calls.push(name === 'echo' ? `echo:${String(request.text)}` : name);
        const result = (handler as (request: unknown, context: CallContext) => unknown)(request, context);
        if (name === 'bytes') {
          const { data } = result as { data: Uint8Array };
          setTimeout(() => (state.sentBytesDetached = data.buffer.byteLength === 0)); // after the answer went
        }
        return result;
      },
    ]),
  ) as unknown as Handlers<typeof EchoService>;
  const service: Service = connect({
    transport,
    self: { process: 'renderer', id: 1 },
    local: EchoService,
    remote: EchoClient,
    handlers: recorded,
    onBadMessage(report) {
      const peer = describePeer(report.peer);
      state.bad.push({ peer, interface: report.interface, reason: report.reason });
      service.emit('sawBadMessage', { reason: report.reason, peer });
    },
  });
  return service;
}

// Set-up handshake, before either connection exists (so no RPC endpoint sees it): say hello, get
// the MessagePort, open both connections, say ready.
function onSetup(event: PageMessageEvent): void {
  if (event.origin !== topOrigin || event.source !== window.parent || event.data !== 'port') return;
  window.removeEventListener('message', onSetup);
  const port = event.ports[0]!;
  // Over the port, sendRaw reports what arrived instead of posting it back.
  serve(domMessagePortTransport(port, { process: 'ui' }), state.portCalls, (message) =>
    state.rawOverPort.push(describe(message)),
  );
  const transport = windowTransport({
    target: window.parent,
    targetOrigin: topOrigin,
    receiver: window,
    peer: { process: 'ui' },
  });
  serve(transport, state.windowCalls, (message) => transport.post(message));
  window.parent.postMessage('ready', topOrigin);
}
window.addEventListener('message', onSetup);
window.addEventListener('message', (event) => {
  if (event.data === 'rogue-done') state.rogueDone++;
});
window.parent.postMessage('hello', topOrigin);
