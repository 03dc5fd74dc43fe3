import { listenerWrappers } from './listener-wrappers.ts';
import type { PeerIdentity, Transport } from './transport.ts';

/** A window (or frame) we can post to. Structural, so `protocol/` compiles without DOM types. */
export interface PostTargetLike {
  postMessage(message: unknown, targetOrigin: string, transfer?: unknown[]): void;
}

export interface WindowMessageEventLike {
  readonly data: unknown;
  readonly origin: string;
  readonly source: unknown;
}

/** Where `message` events arrive: the receiving window. */
export interface MessageEventSourceLike {
  addEventListener(type: 'message', listener: (event: WindowMessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: WindowMessageEventLike) => void): void;
}

export interface WindowTransportOptions {
  /** The window messages are posted to, e.g. an iframe's `contentWindow` or `window.parent`. */
  readonly target: PostTargetLike;
  /** Its origin: messages go only there, and only messages from there are accepted. */
  readonly targetOrigin: string;
  /** The window whose `message` events we listen to (our own `window`). */
  readonly receiver: MessageEventSourceLike;
  readonly peer: PeerIdentity;
}

/**
 * Transport over `window.postMessage` between frames. Every received event is checked for its
 * origin and source (the sender check a page must do itself); anything else is ignored.
 */
export function windowTransport(options: WindowTransportOptions): Transport {
  const { target, targetOrigin, receiver, peer } = options;
  if (targetOrigin === '*') throw new Error('windowTransport needs an exact target origin, not "*"');
  const wrappers = listenerWrappers((listener) => (event: WindowMessageEventLike) => {
    if (event.origin === targetOrigin && event.source === target) listener(event.data);
  });
  return {
    peer,
    post: (message, transfer) => target.postMessage(message, targetOrigin, transfer ? [...transfer] : []),
    on(listener) {
      const wrapper = wrappers.add(listener);
      if (wrapper) receiver.addEventListener('message', wrapper);
    },
    off(listener) {
      const wrapper = wrappers.remove(listener);
      if (wrapper) receiver.removeEventListener('message', wrapper);
    },
  };
}
