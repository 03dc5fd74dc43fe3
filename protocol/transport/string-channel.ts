/**
 * Transport over a pair of functions that carry strings: a tab page's channel to the browser
 * process. In the Chromium shell the page sends through a CDP binding (`Runtime.addBinding`, whose
 * payload is a string) and the browser delivers by calling a function in the page; in Electron the
 * tab preload exposes the same two functions over ipcRenderer. Messages are JSON: this channel
 * carries small control messages, never pixels.
 */
import type { MessageListener, PeerIdentity, Transport } from './transport.ts';

export interface StringChannel {
  send(message: string): void;
  /** Registers the one function that receives the other side's messages. */
  setReceiver(receive: (message: string) => void): void;
}

/** Control messages are small: anything longer is refused before it is parsed. */
export const MAX_STRING_MESSAGE = 1024 * 1024;

export function stringChannelTransport(channel: StringChannel, peer: PeerIdentity): Transport {
  const listeners = new Set<MessageListener>();
  const decodeFailures = new Set<(error: unknown) => void>();
  const fail = (error: unknown) => {
    for (const listener of decodeFailures) listener(error);
  };
  channel.setReceiver((text) => {
    if (typeof text !== 'string') return fail(new Error('a message must be a string'));
    if (text.length > MAX_STRING_MESSAGE)
      return fail(new Error(`a message of ${text.length} characters is over the limit`));
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      return fail(error);
    }
    for (const listener of listeners) listener(message, text.length);
  });
  return {
    peer,
    post: (message) => {
      const text = JSON.stringify(message);
      channel.send(text);
      return text.length;
    },
    on: (listener) => void listeners.add(listener),
    off: (listener) => void listeners.delete(listener),
    onDidFailToDecode(listener) {
      decodeFailures.add(listener);
      return () => decodeFailures.delete(listener);
    },
  };
}

/** The names a page's channel uses in the Chromium shell: a CDP binding out, a function in. */
export const TAB_CHANNEL_NAMES = { send: '__labTabSend', receive: '__labTabReceive' } as const;
export const UI_CHANNEL_NAMES = { send: '__labUiSend', receive: '__labUiReceive' } as const;

/**
 * The page side of such a channel: `send` is the binding the shell installed before the page's
 * first script, `receive` the function the shell calls. `scope` is the page's global object.
 */
export function bindingStringChannel(
  scope: Record<string, unknown>,
  names: { readonly send: string; readonly receive: string },
): StringChannel {
  const send = scope[names.send];
  if (typeof send !== 'function') throw new Error(`This page has no ${names.send}: it is not served by the shell`);
  return {
    send: (message) => (send as (message: string) => void)(message),
    setReceiver: (receive) => {
      scope[names.receive] = receive;
    },
  };
}
