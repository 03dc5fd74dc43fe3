import type { EmitterListener, PeerIdentity, Transport } from './transport.ts';

/**
 * The shape of a Node `worker_threads` MessagePort (and of a Worker's `parentPort`): messages arrive
 * as the value itself. Typed structurally so `protocol/` needs no Node import.
 */
export interface NodeMessagePortLike {
  postMessage(value: unknown, transferList?: readonly unknown[]): void;
  on(event: string, listener: EmitterListener): unknown;
  off(event: string, listener: EmitterListener): unknown;
}

/** Transport over a `node:worker_threads` MessagePort. */
export function nodeMessagePortTransport(port: NodeMessagePortLike, peer: PeerIdentity): Transport {
  return {
    peer,
    post: (message, transfer) => {
      port.postMessage(message, transfer); // (Node's answers `true`: no size)
    },
    on: (listener) => port.on('message', listener),
    off: (listener) => port.off('message', listener),
    onDidClose(listener) {
      port.on('close', listener);
      return () => port.off('close', listener);
    },
    onDidFailToDecode(listener) {
      port.on('messageerror', listener);
      return () => port.off('messageerror', listener);
    },
  };
}
