/**
 * The tabs' direct channels to the GPU process (Chrome's GpuChannel, which the browser brokers with
 * EstablishGpuChannel), one per tab, however it arrives: a connection to the ChannelServer
 * (utility/channel-server.ts) under child_process.fork, or a port the browser sent under Electron's
 * utilityProcess (`accept`). A malformed display list is a bad message: the endpoint refuses it
 * before any handler runs and answers RPC_BAD_MESSAGE; the GPU process logs it with the tab's
 * identity and keeps serving (ending the renderer is the browser process's call, not ours).
 */
import { GpuChannel, GpuChannelClient } from '../protocol/interfaces/tab-gpu.ts';
import { connect, type BadMessageReport, type Connection } from '../protocol/rpc/endpoint.ts';
import { describePeer, type PeerIdentity, type Transport } from '../protocol/transport/transport.ts';
import { ChannelServer } from '../utility/channel-server.ts';
import { ChannelTrafficCounter, type ClientTraffic } from '../utility/channel-traffic.ts';
import type { Rasterizer } from './rasterizer.ts';

export interface GpuChannelsOptions {
  readonly rasterizer: Rasterizer;
  /** This process, as it appears in traces. */
  readonly self: PeerIdentity;
  /** Where bad messages are written; stderr by default. */
  readonly log?: (line: string) => void;
}

type TabConnection = Connection<typeof GpuChannel, typeof GpuChannelClient>;

/** One tab's channel over `transport`, with bad messages logged under the tab's identity. */
export function serveGpuChannel(transport: Transport, options: GpuChannelsOptions): TabConnection {
  const log = options.log ?? ((line: string) => console.error(line));
  return connect({
    transport,
    self: options.self,
    local: GpuChannel,
    remote: GpuChannelClient,
    handlers: {
      // No transfer list for the pixels: @napi-rs/canvas returns them in external (native) memory,
      // which V8 cannot detach, so a MessagePort would copy them anyway (measured); the WebSocket
      // channels encode the bytes in any case.
      rasterize: (list) => options.rasterizer.rasterize(list),
    },
    onBadMessage: (report: BadMessageReport) =>
      log(`[gpu] refused a bad message from ${describePeer(report.peer)} on ${report.interface}: ${report.reason}`),
  });
}

export class GpuChannels {
  private readonly tabs = new Map<string, TabConnection>();
  private server: ChannelServer | undefined;
  private readonly traffic = new ChannelTrafficCounter();

  /** Channels that arrive as ports only (`accept`), until `startListening`. */
  constructor(private readonly options: GpuChannelsOptions) {}

  /** Channels that also arrive over loopback WebSockets: listening, on an ephemeral port. */
  static async listen(options: GpuChannelsOptions): Promise<GpuChannels> {
    const channels = new GpuChannels(options);
    await channels.startListening();
    return channels;
  }

  /** Starts listening for tabs on a loopback port (under child_process.fork, where ports cannot come). */
  async startListening(): Promise<void> {
    if (this.server) return;
    this.server = await ChannelServer.listen({
      clientProcess: 'tab',
      onChannel: (clientId, transport) => this.accept(clientId, transport),
    });
  }

  /** A one-time URL where the tab `clientId` connects for its channel; throws when not listening. */
  grant(clientId: string): string {
    if (!this.server)
      throw new Error("This GPU process takes its tabs' channels as ports from the browser, not WebSockets");
    return this.server.grant(clientId);
  }

  /**
   * Serves GpuChannel for `clientId` over `transport` (a port the browser sent, or an admitted
   * socket), replacing the tab's previous channel; `release` runs when this channel closes.
   */
  accept(clientId: string, transport: Transport, release: () => void = () => {}): void {
    // A new channel for the same tab replaces the old (the server also closes an old socket).
    // Out of the map first, so its closing is no tab going away (its traffic counts go on).
    const previous = this.tabs.get(clientId);
    this.tabs.delete(clientId);
    previous?.close('replaced by a new channel');
    const connection = serveGpuChannel(this.traffic.count(clientId, transport), this.options);
    this.tabs.set(clientId, connection);
    connection.onDidClose(() => {
      if (this.tabs.get(clientId) === connection) {
        this.tabs.delete(clientId);
        this.traffic.forget(clientId);
      }
      release();
    });
  }

  /** Ends `clientId`'s channel and drops its unused grants; nothing happens for a tab without one. */
  close(clientId: string): void {
    this.tabs.get(clientId)?.close('the browser process closed the channel');
    this.server?.revoke(clientId);
  }

  /** Messages on each tab's channel so far (cumulative), at most `max` tabs. */
  trafficCounts(max?: number): ClientTraffic[] {
    return this.traffic.snapshot(max);
  }

  /** How many tabs have a channel. */
  get size(): number {
    return this.tabs.size;
  }
}
