/**
 * Transport over a WebSocket, for the direct channels the browser process brokers between a tab and
 * the GPU process or plugin host when those are plain Node children (the Chromium shell): a tab
 * iframe cannot hold a pipe to a Node process, but it can open a loopback WebSocket with a one-time
 * token. Messages are MessagePack (binary data stays binary; no code generation, so it runs under a
 * strict CSP). Works with the browser's WebSocket and with the `ws` package alike.
 */
import { Decoder, Encoder } from '@msgpack/msgpack';
import { listenerWrappers } from './listener-wrappers.ts';
import type { PeerIdentity, Transport } from './transport.ts';

interface DataEventLike {
  readonly data: unknown;
}

/** The part of a WebSocket (DOM or `ws`) this adapter uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: DataEventLike) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: DataEventLike) => void): void;
  removeEventListener(type: 'close', listener: () => void): void;
}

const OPEN = 1;
const encoder = new Encoder({ ignoreUndefined: true });

export interface WebSocketTransportOptions {
  readonly peer: PeerIdentity;
  /** Frames larger than this are refused before decoding. */
  readonly maxFrameBytes?: number;
}

/** Transport over an open WebSocket; messages are MessagePack frames. */
export function webSocketTransport(socket: WebSocketLike, options: WebSocketTransportOptions): Transport {
  const maxFrameBytes = options.maxFrameBytes ?? 64 * 1024 * 1024;
  const decoder = new Decoder({ maxBinLength: maxFrameBytes, maxStrLength: maxFrameBytes });
  socket.binaryType = 'arraybuffer';
  const decodeFailures = new Set<(error: unknown) => void>();
  const fail = (error: unknown) => {
    for (const listener of decodeFailures) listener(error);
  };
  const wrappers = listenerWrappers((listener) => (event: DataEventLike) => {
    const { data } = event;
    if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data))
      return fail(new Error('text frames are not accepted'));
    if (data.byteLength > maxFrameBytes) return fail(new Error(`frame of ${data.byteLength} bytes is over the limit`));
    let message: unknown;
    try {
      message = decoder.decode(data);
    } catch (error) {
      return fail(error);
    }
    listener(message, data.byteLength);
  });
  return {
    peer: options.peer,
    post(message) {
      // A socket that is closing drops the message, as a closed pipe would.
      if (socket.readyState !== OPEN) return undefined;
      const frame = encoder.encode(message);
      socket.send(frame);
      return frame.byteLength;
    },
    on(listener) {
      const wrapper = wrappers.add(listener);
      if (wrapper) socket.addEventListener('message', wrapper);
    },
    off(listener) {
      const wrapper = wrappers.remove(listener);
      if (wrapper) socket.removeEventListener('message', wrapper);
    },
    onDidClose(listener) {
      socket.addEventListener('close', listener);
      return () => socket.removeEventListener('close', listener);
    },
    onDidFailToDecode(listener) {
      decodeFailures.add(listener);
      return () => decodeFailures.delete(listener);
    },
  };
}
