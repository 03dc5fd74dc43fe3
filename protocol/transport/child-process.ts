import type { EmitterListener, PeerIdentity, Transport } from './transport.ts';

/**
 * The IPC channel of `child_process.fork`, seen from either end: the parent's ChildProcess object
 * or the child's own `process`. Typed structurally so `protocol/` needs no Node import.
 */
export interface ChildProcessChannelLike {
  send?(message: unknown): boolean;
  /** False once the channel is closed: posting then is dropped, as on a closed pipe. */
  readonly connected?: boolean;
  on(event: string, listener: EmitterListener): unknown;
  off(event: string, listener: EmitterListener): unknown;
}

/**
 * Transport over a child process IPC channel. Start the child with `serialization: 'advanced'` so
 * messages are structured-cloned (binary data, Maps, exact numbers) rather than JSON; objects are
 * copied, so the transfer list is ignored.
 */
export function childProcessTransport(channel: ChildProcessChannelLike, peer: PeerIdentity): Transport {
  const send = channel.send?.bind(channel);
  if (!send) throw new Error(`No IPC channel to ${peer.process}: start it with child_process.fork`);
  return {
    peer,
    post: (message) => {
      if (channel.connected !== false) send(message);
    },
    on: (listener) => channel.on('message', listener),
    off: (listener) => channel.off('message', listener),
    onDidClose(listener) {
      channel.on('disconnect', listener);
      return () => channel.off('disconnect', listener);
    },
  };
}
