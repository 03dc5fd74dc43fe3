/**
 * The tabs' direct channels to this host, one per tab, each serving PluginChannel, however it
 * arrives: a connection to the ChannelServer (utility/channel-server.ts) under child_process.fork,
 * or a port the browser sent under Electron's utilityProcess (`accept`). A tab's instances live and
 * die with its channel: when the channel closes (the tab went away, the browser closed it, a new one
 * replaced it) its instances are destroyed. A malformed message from a tab is logged with the tab's identity
 * and answered with RPC_BAD_MESSAGE where it had a call id; the host and the channel keep going.
 */
import { PluginChannel, PluginChannelClient } from '../protocol/interfaces/tab-plugin.ts';
import { connect, type BadMessageReport, type Connection } from '../protocol/rpc/endpoint.ts';
import { describePeer, type PeerIdentity, type Transport } from '../protocol/transport/transport.ts';
import { ChannelServer } from '../utility/channel-server.ts';
import { ChannelTrafficCounter, type ClientTraffic } from '../utility/channel-traffic.ts';
import { PluginInstances } from './plugin-instances.ts';
import type { PluginRegistry } from './plugin-registry.ts';

export interface PluginChannelsOptions {
  readonly registry: PluginRegistry;
  /** This process, as it appears in traces. */
  readonly self: PeerIdentity;
  /** Where bad messages and plugin failures are written; stderr by default. */
  readonly log?: (line: string) => void;
}

interface TabChannel {
  readonly connection: Connection<typeof PluginChannel, typeof PluginChannelClient>;
  readonly instances: PluginInstances;
}

export class PluginChannels {
  private readonly tabs = new Map<string, TabChannel>();
  private readonly log: (line: string) => void;
  private server: ChannelServer | undefined;
  private readonly traffic = new ChannelTrafficCounter();

  /** Channels that arrive as ports only (`accept`), until `startListening`. */
  constructor(private readonly options: PluginChannelsOptions) {
    this.log = options.log ?? ((line) => console.error(line));
  }

  /** Channels that also arrive over loopback WebSockets: listening, on an ephemeral port. */
  static async listen(options: PluginChannelsOptions): Promise<PluginChannels> {
    const channels = new PluginChannels(options);
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
      throw new Error("This plugin host takes its tabs' channels as ports from the browser, not WebSockets");
    return this.server.grant(clientId);
  }

  /** Ends `clientId`'s channel and destroys its instances; nothing happens for a tab without one. */
  close(clientId: string): void {
    this.tabs.get(clientId)?.connection.close('the browser process closed the channel');
    this.server?.revoke(clientId);
  }

  /** How many instances `clientId` has (0 without a channel). */
  instanceCount(clientId: string): number {
    return this.tabs.get(clientId)?.instances.size ?? 0;
  }

  /** Messages on each tab's channel so far (cumulative), at most `max` tabs. */
  trafficCounts(max?: number): ClientTraffic[] {
    return this.traffic.snapshot(max);
  }

  async dispose(): Promise<void> {
    for (const { connection } of [...this.tabs.values()]) connection.close('the plugin host is shutting down');
    await this.server?.close();
  }

  /**
   * Serves PluginChannel for `clientId` over `transport` (a port the browser sent, or an admitted
   * socket), replacing the tab's previous channel, instances and all; `release` runs when it closes.
   */
  accept(clientId: string, transport: Transport, release: () => void = () => {}): void {
    // A new channel for the same tab replaces its channel, instances and all.
    // Out of the map first, so its closing is no tab going away (its traffic counts go on).
    const previous = this.tabs.get(clientId);
    this.tabs.delete(clientId);
    previous?.connection.close('replaced by a new channel');
    const owner = describePeer(transport.peer);
    const instances = new PluginInstances({
      registry: this.options.registry,
      owner,
      render: (instanceId, content) => connection.emit('render', { instanceId, content }),
      log: this.log,
    });
    const connection = connect({
      transport: this.traffic.count(clientId, transport),
      self: this.options.self,
      local: PluginChannel,
      remote: PluginChannelClient,
      handlers: {
        createInstance: ({ instanceId, plugin, params }) => {
          instances.create(instanceId, plugin, params);
          return {};
        },
        destroyInstance: ({ instanceId }) => {
          instances.destroy(instanceId);
          return {};
        },
        command: ({ instanceId, command, argument }, { signal }) =>
          instances.command(instanceId, command, argument, signal),
      },
      onBadMessage: (report: BadMessageReport) =>
        this.log(
          `[plugin-host] bad message from ${describePeer(report.peer)} on ${report.interface}: ${report.reason}`,
        ),
    });
    const tab: TabChannel = { connection, instances };
    this.tabs.set(clientId, tab);
    connection.onDidClose(() => {
      instances.destroyAll();
      if (this.tabs.get(clientId) === tab) {
        this.tabs.delete(clientId);
        this.traffic.forget(clientId);
      }
      release();
    });
  }
}
