/**
 * The server end of the direct channels the browser process brokers to tabs, when the GPU process
 * or plugin host runs as a plain Node child (Chromium shell): a loopback WebSocket server that admits
 * one connection per one-time grant. The browser asks for a grant for a client, passes the URL to
 * that client only, and the client connects directly (Chrome's EstablishGpuChannel, with a token
 * standing in for the handle the browser would pass).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { webSocketTransport } from '../protocol/transport/websocket.ts';
import type { PeerIdentity, Transport } from '../protocol/transport/transport.ts';

/** How long a grant stays usable before it is dropped unused. */
const GRANT_TTL_MS = 30_000;

export interface ChannelServerOptions {
  /** Called for each admitted connection, with the transport over it and the client it was granted to. */
  readonly onChannel: (clientId: string, transport: Transport) => void;
  /** Who the clients are, for their transports' peer identity. */
  readonly clientProcess: string;
  readonly maxFrameBytes?: number;
}

type Grants = Map<string, { clientId: string; timer: NodeJS.Timeout }>;

export class ChannelServer {
  private readonly sockets = new Map<string, WebSocket>();

  private constructor(
    private readonly server: WebSocketServer,
    private readonly grants: Grants,
    private readonly options: ChannelServerOptions,
  ) {
    server.on('connection', (socket, request) => this.admit(socket, request));
  }

  /** Starts listening on an ephemeral loopback port. */
  static async listen(options: ChannelServerOptions): Promise<ChannelServer> {
    const grants: Grants = new Map();
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      maxPayload: options.maxFrameBytes ?? 64 * 1024 * 1024,
      // Refused before the upgrade: a connection without a live grant never becomes a channel.
      verifyClient: (info: { req: IncomingMessage }) => grants.has(tokenOf(info.req)),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new ChannelServer(server, grants, options);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** A one-time URL for `clientId`; a new grant replaces the client's live channel when it connects. */
  grant(clientId: string): string {
    const token = randomUUID();
    const timer = setTimeout(() => this.grants.delete(token), GRANT_TTL_MS);
    timer.unref();
    this.grants.set(token, { clientId, timer });
    return `ws://127.0.0.1:${this.port}/channel/${token}`;
  }

  /** Closes `clientId`'s channel and forgets its unused grants. */
  revoke(clientId: string): void {
    for (const [token, grant] of this.grants) {
      if (grant.clientId === clientId) {
        clearTimeout(grant.timer);
        this.grants.delete(token);
      }
    }
    this.sockets.get(clientId)?.close(1000, 'channel closed by the browser process');
    this.sockets.delete(clientId);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.values()) socket.terminate();
    this.sockets.clear();
    for (const grant of this.grants.values()) clearTimeout(grant.timer);
    this.grants.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private admit(socket: WebSocket, request: IncomingMessage): void {
    const token = tokenOf(request);
    const grant = this.grants.get(token);
    if (!grant) return socket.close(4001, 'no such grant'); // raced with expiry
    this.grants.delete(token);
    clearTimeout(grant.timer);
    const { clientId } = grant;
    this.sockets.get(clientId)?.close(1000, 'replaced by a new channel');
    this.sockets.set(clientId, socket);
    socket.once('close', () => {
      if (this.sockets.get(clientId) === socket) this.sockets.delete(clientId);
    });
    const peer: PeerIdentity = { process: this.options.clientProcess, id: clientId };
    const options =
      this.options.maxFrameBytes === undefined ? { peer } : { peer, maxFrameBytes: this.options.maxFrameBytes };
    this.options.onChannel(clientId, webSocketTransport(socket, options));
  }
}

function tokenOf(request: IncomingMessage): string {
  const match = /^\/channel\/([0-9a-f-]{36})$/.exec(request.url ?? '');
  return match?.[1] ?? '';
}
