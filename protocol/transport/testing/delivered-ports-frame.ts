// The cross-origin frame of brokered-ports.test.ts: first tries to pass itself off as the preload
// (posts a delivered-port message with a port to its parent), then serves EchoService on the port
// the top page hands it, until the test crashes this frame's process.
import { connect, type Connection } from '../../rpc/endpoint.ts';
import { echoHandlers } from '../../rpc/testing/echo-handlers.ts';
import { EchoClient, EchoService } from '../../rpc/testing/echo-service.ts';
import { deliveredPort } from '../brokered-ports.ts';
import { domMessagePortTransport, type DomMessagePortLike } from '../dom-port.ts';
import type { PageMessageEvent, PageWindow } from './page-dom.ts';

declare const window: PageWindow;
declare const MessageChannel: new () => { readonly port1: DomMessagePortLike; readonly port2: DomMessagePortLike };

const top = new URLSearchParams(window.location.search).get('top') ?? '';

window.parent.postMessage(deliveredPort('forged'), top, [new MessageChannel().port2]);

window.addEventListener('message', (event: PageMessageEvent) => {
  if (event.origin !== top || event.data !== 'serve' || !event.ports[0]) return;
  const service: Connection<typeof EchoService, typeof EchoClient> = connect({
    transport: domMessagePortTransport(event.ports[0], { process: 'tab' }),
    self: { process: 'frame' },
    local: EchoService,
    remote: EchoClient,
    handlers: echoHandlers({ connection: () => service, postRaw: () => {}, exit: () => {} }),
    onBadMessage: () => {},
  });
  Object.assign(window, { service });
});

window.parent.postMessage('ready', top);
