import { listenerWrappers } from './listener-wrappers.ts';
import type { PeerIdentity, Transport } from './transport.ts';

interface DataEventLike {
  readonly data: unknown;
}

/** The shape of a DOM MessagePort (or a Worker), structurally, so `protocol/` compiles without DOM types. */
export interface DomMessagePortLike {
  postMessage(message: unknown, transfer: unknown[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'close', listener: (event: DataEventLike) => void): void;
  removeEventListener(type: 'message' | 'messageerror' | 'close', listener: (event: DataEventLike) => void): void;
  start?(): void;
}

/** Transport over a DOM MessagePort: the page side of a port the browser process handed over. */
export function domMessagePortTransport(port: DomMessagePortLike, peer: PeerIdentity): Transport {
  const wrappers = listenerWrappers((listener) => (event: DataEventLike) => listener(event.data));
  return {
    peer,
    post: (message, transfer) => port.postMessage(message, transfer ? [...transfer] : []),
    on(listener) {
      const wrapper = wrappers.add(listener);
      if (!wrapper) return;
      port.addEventListener('message', wrapper);
      port.start?.(); // addEventListener, unlike onmessage, does not start a port's queue
    },
    off(listener) {
      const wrapper = wrappers.remove(listener);
      if (wrapper) port.removeEventListener('message', wrapper);
    },
    // The port's 'close' event: the other end was closed, or the process holding it is gone. Node's
    // ports fire it; Chromium 156 only with the Blink feature MessagePortCloseEvent, off by default
    // (brokered-ports.test.ts). Where it does not exist this never fires: a page must not rely on
    // it to learn that the other process went (the tab runtime hears it from the browser).
    onDidClose(listener) {
      const onClose = () => listener();
      port.addEventListener('close', onClose);
      return () => port.removeEventListener('close', onClose);
    },
    onDidFailToDecode(listener) {
      const onError = (event: DataEventLike) => listener(event.data);
      port.addEventListener('messageerror', onError);
      return () => port.removeEventListener('messageerror', onError);
    },
  };
}
