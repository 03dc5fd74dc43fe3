/**
 * Counts the messages on each client's direct channel, in the child that serves it (GPU process,
 * plugin host): the browser process never sees these messages, so it asks for the counts
 * (getChannelTraffic). Counting wraps the channel's transport: one increment per message posted and
 * per message delivered to the endpoint, whatever the interface; no records are built.
 */
import type { MessageListener, Transport } from '../protocol/transport/transport.ts';

export interface ClientTraffic {
  readonly clientId: string;
  /** Messages the client sent to this process. */
  readonly received: number;
  /** Messages this process sent to the client. */
  readonly sent: number;
}

interface Counts {
  received: number;
  sent: number;
}

export class ChannelTrafficCounter {
  private readonly clients = new Map<string, Counts>();

  /**
   * `transport`, counting into `clientId`'s figures. A client's figures go on across a replaced
   * channel (they are cumulative) until `forget`.
   */
  count(clientId: string, transport: Transport): Transport {
    let counts = this.clients.get(clientId);
    if (!counts) this.clients.set(clientId, (counts = { received: 0, sent: 0 }));
    const entry = counts;
    const wrapped = new Map<MessageListener, MessageListener>();
    const counting: Transport = {
      peer: transport.peer,
      post(message, transfer) {
        entry.sent++;
        transport.post(message, transfer);
      },
      on(listener) {
        if (wrapped.has(listener)) return;
        const wrapper: MessageListener = (message) => {
          entry.received++;
          listener(message);
        };
        wrapped.set(listener, wrapper);
        transport.on(wrapper);
      },
      off(listener) {
        const wrapper = wrapped.get(listener);
        if (!wrapper) return;
        wrapped.delete(listener);
        transport.off(wrapper);
      },
    };
    return {
      ...counting,
      ...(transport.onDidClose ? { onDidClose: (listener: () => void) => transport.onDidClose!(listener) } : {}),
      ...(transport.onDidFailToDecode
        ? { onDidFailToDecode: (listener: (error: unknown) => void) => transport.onDidFailToDecode!(listener) }
        : {}),
    };
  }

  /** Drops `clientId`'s figures (its channel closed and was not replaced). */
  forget(clientId: string): void {
    this.clients.delete(clientId);
  }

  /** Every client's figures, at most `max` of them. */
  snapshot(max = Number.POSITIVE_INFINITY): ClientTraffic[] {
    const result: ClientTraffic[] = [];
    for (const [clientId, { received, sent }] of this.clients) {
      if (result.length >= max) break;
      result.push({ clientId, received, sent });
    }
    return result;
  }
}
