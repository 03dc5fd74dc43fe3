/**
 * The measuring side of the app's own message channels (child-process IPC, WebSocket, MessagePort):
 * each message carries one whole frame, so nothing is cut back out of a stream.
 */
import { FrameQueue, type Channel } from './channel.ts';

/** The other end: a peer process or a worker thread, whichever carries the channel. */
export interface MessagePeer {
  readonly pid: number;
  /** Why the peer can no longer answer, or undefined while it can. */
  gone(waitingFor: string): Error | undefined;
  /** Resolves when the peer has ended (for any reason). */
  readonly ended: Promise<unknown>;
  stop(): Promise<void>;
  kill(): void;
}

export function messageChannel(options: {
  peer: MessagePeer;
  post: (frame: Buffer) => void;
  /** Registers the receiver: every arriving message is one frame. */
  listen: (receive: (frame: Buffer) => void) => void;
  close: () => Promise<void>;
}): Channel {
  const { peer } = options;
  const queue = new FrameQueue();
  options.listen((frame) => queue.push(frame));
  void peer.ended.then(() => queue.fail(peer.gone('waiting for a frame') ?? new Error('the peer ended')));
  return {
    peerPid: peer.pid,
    async send(frame) {
      const gone = peer.gone('sending');
      if (gone) throw gone;
      // Every one of these copies the bytes before returning (structured clone, a socket write of
      // a copy): the caller may reuse its frame.
      options.post(Buffer.from(frame));
    },
    receive: (timeoutMs) => queue.next(timeoutMs),
    async close() {
      await options.close();
      await peer.stop();
    },
    killPeer: () => peer.kill(),
  };
}

/** A received message as a Buffer over the same bytes (structured clone gives a Uint8Array). */
export function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (Array.isArray(data)) return Buffer.concat(data.map(asBuffer));
  throw new TypeError(`not bytes: ${typeof data}`);
}
