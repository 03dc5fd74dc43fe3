/**
 * The one transport abstraction every process uses: post a message, listen for messages, and learn
 * when the channel is gone. Adapters (one per channel kind, in this folder) are a few lines each, so
 * the RPC layer above never knows whether it talks over a MessagePort, a child process or Electron IPC.
 */

/**
 * Who is at the other end of a channel, as the channel's owner knows it: set when the channel is
 * made (the browser process knows which process it spawned), never read from a message payload.
 */
export interface PeerIdentity {
  /** The process role: 'browser', 'gpu', 'plugin-host', 'renderer', 'ui', … */
  readonly process: string;
  /** Which one of several, e.g. a tab id. */
  readonly id?: string | number;
  /** The OS process id, when known. */
  readonly pid?: number;
}

/** Objects whose ownership moves with a message (ArrayBuffer, MessagePort): typed loosely on purpose. */
export type Transferable = object;

/**
 * `wireBytes`: the message's size as the channel carried it, where the channel encodes messages
 * itself (JSON text: its length; MessagePack: its frame); absent where the platform serializes them
 * (structured clone), which tells nobody the size.
 */
export type MessageListener = (message: unknown, wireBytes?: number) => void;

export interface Transport {
  /** The process at the other end. */
  readonly peer: PeerIdentity;
  /**
   * Sends one message; the transfer list is honoured where the channel can move objects. Answers
   * the message's size on the wire where the channel encodes it itself (as `wireBytes` above).
   */
  post(message: unknown, transfer?: readonly Transferable[]): number | void;
  on(listener: MessageListener): void;
  off(listener: MessageListener): void;
  /** Calls `listener` once when the channel closes (peer gone, port closed). Returns an unsubscribe. */
  onDidClose?(listener: () => void): () => void;
  /**
   * Calls `listener` when a message arrived but could not be decoded (a 'messageerror': the peer
   * sent something the structured-clone reader refuses). Returns an unsubscribe.
   */
  onDidFailToDecode?(listener: (error: unknown) => void): () => void;
}

/** Formats a peer for error messages and logs: `renderer#3 (pid 4242)`. */
export function describePeer(peer: PeerIdentity): string {
  const which = peer.id === undefined ? '' : `#${peer.id}`;
  const pid = peer.pid === undefined ? '' : ` (pid ${peer.pid})`;
  return `${peer.process}${which}${pid}`;
}

/**
 * A listener as Node's EventEmitter types it. `any[]` on purpose: an `unknown[]` or `never[]` one
 * would not accept Node's and Electron's own emitter signatures, structurally.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EmitterListener = (...args: any[]) => void;
