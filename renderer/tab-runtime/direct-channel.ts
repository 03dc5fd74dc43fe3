/**
 * A direct channel the browser process brokered (to the GPU process or the plugin host): a one-time
 * loopback WebSocket URL, MessagePack frames (webSocketTransport), the typed RPC on top. The socket
 * and the connection close together, whichever end goes first.
 */
import { connect, type Connection, type Handlers } from '../../protocol/rpc/endpoint.ts';
import type { InterfaceSpec } from '../../protocol/rpc/interface.ts';
import { webSocketTransport, type WebSocketLike } from '../../protocol/transport/websocket.ts';
import type { PeerIdentity } from '../../protocol/transport/transport.ts';
import { SELF } from './browser-channel.ts';

export interface DirectChannelOptions<Local extends InterfaceSpec, Remote extends InterfaceSpec> {
  readonly url: string;
  /** The interface the page implements (handlers: none, for both channels). */
  readonly local: Local;
  readonly remote: Remote;
  readonly peer: PeerIdentity;
  /** Aborting closes the socket, also while it is still opening. */
  readonly signal?: AbortSignal;
  /** How long the socket may take to open. */
  readonly openTimeoutMs?: number;
}

/** Opens the socket and connects over it; rejects when it cannot open (or is aborted first). */
export function openDirectChannel<Local extends InterfaceSpec, Remote extends InterfaceSpec>(
  options: DirectChannelOptions<Local, Remote>,
): Promise<Connection<Local, Remote>> {
  const { url, local, remote, peer, signal, openTimeoutMs = 5000 } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    const fail = (error: unknown) => {
      cleanup();
      socket.close();
      reject(error);
    };
    const onOpen = () => {
      cleanup();
      const connection = connect({
        // The DOM's send() wants ArrayBuffer-backed views; the transport's MessagePack encoder makes only those.
        transport: webSocketTransport(socket as unknown as WebSocketLike, { peer }),
        self: SELF,
        local,
        remote,
        handlers: {} as Handlers<Local>, // neither tab-side interface (GpuChannelClient, PluginChannelClient) has methods
        onBadMessage: (report) => console.error(`[tab-runtime] bad message from ${peer.process} (${report.interface}): ${report.reason}`),
      });
      connection.onDidClose(() => socket.close());
      signal?.addEventListener('abort', () => connection.close('aborted by the page'), { once: true });
      resolve(connection);
    };
    const onClose = () => fail(new Error(`The ${peer.process} channel closed before it opened`));
    const onAbort = () => fail(signal?.reason);
    const timer = setTimeout(() => fail(new Error(`The ${peer.process} channel did not open within ${openTimeoutMs} ms`)), openTimeoutMs);
    function cleanup() {
      clearTimeout(timer);
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    }
    socket.addEventListener('open', onOpen);
    // A socket that fails to open fires 'error' and then 'close': 'close' alone covers both.
    socket.addEventListener('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
