/**
 * The browser end of one tab document's channel in the Chromium shell. The page sends by calling
 * the CDP binding `__labTabSend(text)` (Runtime.addBinding: it arrives as Runtime.bindingCalled);
 * the browser delivers by calling `__labTabReceive(text)` in the page (Runtime.evaluate). Both ends
 * see a StringChannel, so the Transport is `stringChannelTransport`'s: JSON text, over 1 MiB refused
 * as a decode failure.
 *
 * One channel per document: a new page is a new channel, and the old one closes, so a reply meant
 * for the old page can never reach the new one.
 */
import { stringChannelTransport, TAB_CHANNEL_NAMES } from '../../protocol/transport/string-channel.ts';
import type { PeerIdentity, Transport } from '../../protocol/transport/transport.ts';

/** The function the page calls to send (installed with Runtime.addBinding). */
export const TAB_SEND_BINDING = TAB_CHANNEL_NAMES.send;
/** The function the page defines to receive. */
export const TAB_RECEIVE_FUNCTION = TAB_CHANNEL_NAMES.receive;

/**
 * Messages held while nobody listens yet: the page may talk as soon as its script runs, before the
 * browser knows its pid (a trace away) and before the core has connected. More than this before
 * the core listens is a page flooding the browser.
 */
export const MAX_HELD_MESSAGES = 256;

export class TabPageChannel {
  private held: string[] | undefined = [];
  private overflowed = false;
  private receiver: ((text: string) => void) | undefined;
  private readonly closeListeners = new Set<() => void>();
  private readonly decodeFailures = new Set<(error: unknown) => void>();
  private closed = false;

  /** `deliver` calls the page's receive function; it is not called once the channel is closed. */
  constructor(private readonly deliver: (text: string) => void) {}

  /** A message from the page. */
  receive(text: string): void {
    if (this.closed) return;
    if (this.held === undefined) return this.receiver?.(text);
    if (this.held.length < MAX_HELD_MESSAGES) this.held.push(text);
    else this.overflowed = true;
  }

  /** The Transport over this channel; `peer` names the tab and its renderer's pid. Call once. */
  transport(peer: PeerIdentity): Transport {
    const inner = stringChannelTransport(
      {
        send: (text) => {
          if (!this.closed) this.deliver(text);
        },
        setReceiver: (receive) => (this.receiver = receive),
      },
      peer,
    );
    inner.onDidFailToDecode?.((error) => this.fail(error));
    return {
      ...inner,
      on: (listener) => {
        inner.on(listener);
        // Release what the page said so far once the first listener is in place, after the
        // caller (connect()) has finished wiring itself up.
        queueMicrotask(() => this.release());
      },
      onDidFailToDecode: (listener) => {
        this.decodeFailures.add(listener);
        return () => this.decodeFailures.delete(listener);
      },
      onDidClose: (listener) => {
        if (this.closed) {
          listener();
          return () => {};
        }
        this.closeListeners.add(listener);
        return () => this.closeListeners.delete(listener);
      },
    };
  }

  /** The document is gone (replaced, crashed, closed): nothing more goes either way. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.held = undefined;
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
    this.decodeFailures.clear();
  }

  private release(): void {
    const held = this.held;
    if (!held || this.closed || !this.receiver) return;
    this.held = undefined;
    for (const text of held) this.receiver(text);
    if (this.overflowed) this.fail(new Error(`over ${MAX_HELD_MESSAGES} messages arrived before the browser listened`));
  }

  private fail(error: unknown): void {
    for (const listener of [...this.decodeFailures]) listener(error);
  }
}
