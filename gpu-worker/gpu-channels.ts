/**
 * The tabs' direct channels to the GPU process (Chrome's GpuChannel, which the browser brokers with
 * EstablishGpuChannel): a ChannelServer (utility/channel-server.ts) whose every admitted connection
 * serves GpuChannel for one tab. A malformed display list is a bad message: the endpoint refuses it
 * before any handler runs and answers RPC_BAD_MESSAGE; the GPU process logs it with the tab's
 * identity and keeps serving (ending the renderer is the browser process's call, not ours).
 */
import { GpuChannel, GpuChannelClient } from '../protocol/interfaces/tab-gpu.ts';
import { connect, type BadMessageReport, type Connection } from '../protocol/rpc/endpoint.ts';
import { describePeer, type PeerIdentity, type Transport } from '../protocol/transport/transport.ts';
import { ChannelServer } from '../utility/channel-server.ts';
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
  private server!: ChannelServer;

  private constructor(private readonly options: GpuChannelsOptions) {}

  /** Starts listening for tabs on a loopback port. */
  static async listen(options: GpuChannelsOptions): Promise<GpuChannels> {
    const channels = new GpuChannels(options);
    channels.server = await ChannelServer.listen({
      clientProcess: 'tab',
      onChannel: (clientId, transport) => channels.open(clientId, transport),
    });
    return channels;
  }

  /** A one-time URL where the tab `clientId` connects for its channel. */
  grant(clientId: string): string {
    return this.server.grant(clientId);
  }

  /** Ends `clientId`'s channel and drops its unused grants; nothing happens for a tab without one. */
  close(clientId: string): void {
    this.tabs.get(clientId)?.close('the browser process closed the channel');
    this.server.revoke(clientId);
  }

  private open(clientId: string, transport: Transport): void {
    // A new grant for the same tab replaces its channel (the server closes the old socket).
    this.tabs.get(clientId)?.close('replaced by a new channel');
    const connection = serveGpuChannel(transport, this.options);
    this.tabs.set(clientId, connection);
    connection.onDidClose(() => {
      if (this.tabs.get(clientId) === connection) this.tabs.delete(clientId);
    });
  }
}
