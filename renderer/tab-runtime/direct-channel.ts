/**
 * A direct channel the browser process brokered (to the GPU process or the plugin host), in the form
 * the shell brokers it (main/core/ports.ts, ChannelBroker):
 *
 * - `websocket` (Chromium shell): a one-time loopback WebSocket URL, MessagePack frames
 *   (webSocketTransport). The socket and the connection close together, whichever end goes first.
 * - `port` (Electron shell): a MessagePort the browser delivered to the page through the tab
 *   preload, taken from the document's DeliveredPorts by the id the answer named
 *   (domMessagePortTransport). The port and the connection close together; the port's `close`
 *   event says the other end (the utility process) is gone.
 *
 * The typed RPC runs on top of either.
 */
import type { DirectChannelEndpoint } from '../../protocol/interfaces/browser-tab.ts';
import { connect, type Connection, type Handlers } from '../../protocol/rpc/endpoint.ts';
import type { InterfaceSpec } from '../../protocol/rpc/interface.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
import { DeliveredPorts, type PortReceiverLike } from '../../protocol/transport/brokered-ports.ts';
import { domMessagePortTransport, type DomMessagePortLike } from '../../protocol/transport/dom-port.ts';
import type { PeerIdentity, Transport } from '../../protocol/transport/transport.ts';
import { webSocketTransport, type WebSocketLike } from '../../protocol/transport/websocket.ts';
import { SELF } from './browser-channel.ts';

export type DirectChannel = Static<typeof DirectChannelEndpoint>;

/** A port the browser delivered, as the page sees it (a DOM MessagePort). */
export type DeliveredPort = DomMessagePortLike & { close(): void };

export interface DirectChannelOptions<Local extends InterfaceSpec, Remote extends InterfaceSpec> {
  /** What the browser's answer said to connect with. */
  readonly channel: DirectChannel;
  /** The interface the page implements (handlers: none, for both channels). */
  readonly local: Local;
  readonly remote: Remote;
  readonly peer: PeerIdentity;
  /** Aborting closes the socket or port, also while it is still opening or awaited. */
  readonly signal?: AbortSignal;
  /** How long the socket may take to open, or the port to arrive. */
  readonly openTimeoutMs?: number;
  /** Where delivered ports are taken from (default: this document's, `listenForDeliveredPorts`). */
  readonly ports?: DeliveredPorts<DeliveredPort>;
}

let documentPorts: DeliveredPorts<DeliveredPort> | undefined;

/**
 * This document's inbox for ports the browser delivers (Electron shell). Call before the first
 * channel request: a port can arrive before the answer that names it, and one that arrives with
 * nobody listening is lost (then the request times out and is made again). `startTabRuntime` does.
 */
export function listenForDeliveredPorts(): DeliveredPorts<DeliveredPort> {
  documentPorts ??= new DeliveredPorts(window as unknown as PortReceiverLike<DeliveredPort>);
  return documentPorts;
}

/** Connects over the brokered channel; rejects when it cannot open (or is aborted first). */
export async function openDirectChannel<Local extends InterfaceSpec, Remote extends InterfaceSpec>(
  options: DirectChannelOptions<Local, Remote>,
): Promise<Connection<Local, Remote>> {
  const { channel, signal, openTimeoutMs = 5000 } = options;
  if (channel.kind === 'websocket') return openWebSocket(channel.url, options, openTimeoutMs);
  const ports = options.ports ?? listenForDeliveredPorts();
  const port = await ports.take(channel.portId, { timeoutMs: openTimeoutMs, ...(signal ? { signal } : {}) });
  if (signal?.aborted) {
    port.close();
    throw signal.reason;
  }
  const connection = connectOver(domMessagePortTransport(port, options.peer), options);
  connection.onDidClose(() => port.close());
  return connection;
}

function connectOver<Local extends InterfaceSpec, Remote extends InterfaceSpec>(
  transport: Transport,
  options: DirectChannelOptions<Local, Remote>,
): Connection<Local, Remote> {
  const { local, remote, peer, signal } = options;
  const connection = connect({
    transport,
    self: SELF,
    local,
    remote,
    handlers: {} as Handlers<Local>, // no tab-side interface (GpuChannelClient, PluginChannelClient, LabChannelClient) has methods
    onBadMessage: (report) =>
      console.error(`[tab-runtime] bad message from ${peer.process} (${report.interface}): ${report.reason}`),
  });
  signal?.addEventListener('abort', () => connection.close('aborted by the page'), { once: true });
  return connection;
}

/** Opens the socket and connects over it; rejects when it cannot open (or is aborted first). */
function openWebSocket<Local extends InterfaceSpec, Remote extends InterfaceSpec>(
  url: string,
  options: DirectChannelOptions<Local, Remote>,
  openTimeoutMs: number,
): Promise<Connection<Local, Remote>> {
  const { peer, signal } = options;
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
      // The DOM's send() wants ArrayBuffer-backed views; the transport's MessagePack encoder makes only those.
      const connection = connectOver(webSocketTransport(socket as unknown as WebSocketLike, { peer }), options);
      connection.onDidClose(() => socket.close());
      resolve(connection);
    };
    const onClose = () => fail(new Error(`The ${peer.process} channel closed before it opened`));
    const onAbort = () => fail(signal?.reason);
    const timer = setTimeout(
      () => fail(new Error(`The ${peer.process} channel did not open within ${openTimeoutMs} ms`)),
      openTimeoutMs,
    );
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
