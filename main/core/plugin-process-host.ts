/**
 * The plugin host, supervised like VS Code's extension host: a crash is reported (every tab that
 * embeds a plugin shows a placeholder) and counted, and the host starts again when the user asks.
 */
import { PluginHostHost, PluginHostService } from '../../protocol/interfaces/browser-plugin-host.ts';
import { loopbackWebSocketBroker } from './channel-broker.ts';
import type { Clock } from './clock.ts';
import { CrashTracker } from './crash-tracker.ts';
import { Emitter } from './emitter.ts';
import type { EventLog } from './event-log.ts';
import type { ChannelTrafficReading } from './metrics-sampler.ts';
import type { ChannelBroker, ChannelEndpoint, UtilityProcessLauncher } from './ports.ts';
import type { ProcessRegistry } from './process-registry.ts';
import { readChannelTraffic, UtilityProcessHost } from './utility-process-host.ts';

export const PLUGIN_HOST_ID = 'plugin-host';

export interface PluginProcessHostOptions {
  readonly launcher: UtilityProcessLauncher;
  readonly registry: ProcessRegistry;
  readonly log: EventLog;
  readonly clock: Clock;
  readonly crashLimit?: number;
  readonly crashWindowMs?: number;
  readonly startTimeoutMs?: number;
  /** A host that answers no ping for this long is shown unresponsive (not ended: its plugins may recover). */
  readonly hangThresholdMs?: number;
  /** How tabs' channels are brokered; loopback WebSocket grants by default. */
  readonly broker?: ChannelBroker;
}

export class PluginProcessHost {
  private readonly tracker: CrashTracker;
  private readonly host: UtilityProcessHost<typeof PluginHostService, typeof PluginHostHost>;
  private starting: Promise<void> | undefined;

  private readonly crashEmitter = new Emitter<{ recentCrashes: number }>();
  private readonly readyEmitter = new Emitter<{ pid: number }>();
  /** The host ended unexpectedly; its plugins are gone until it is restarted. */
  readonly onDidCrash = this.crashEmitter.event;
  /** A (re)started host is ready: tabs should establish a new channel and recreate their instances. */
  readonly onDidBecomeReady = this.readyEmitter.event;

  constructor(private readonly options: PluginProcessHostOptions) {
    this.tracker = new CrashTracker(options.clock, {
      limit: options.crashLimit ?? 3,
      windowMs: options.crashWindowMs ?? 5 * 60_000,
    });
    this.host = new UtilityProcessHost({
      kind: 'plugin-host',
      id: PLUGIN_HOST_ID,
      label: 'Plugin host',
      launcher: options.launcher,
      registry: options.registry,
      log: options.log,
      service: PluginHostService,
      host: PluginHostHost,
      handlers: {},
      hangWatch: { clock: options.clock, thresholdMs: options.hangThresholdMs ?? 2000, killWhenHung: false },
      ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    });
    this.host.onDidBecomeReady(({ pid }) => this.readyEmitter.fire({ pid }));
    this.host.onDidExit(({ expected }) => {
      if (!expected) this.crashEmitter.fire({ recentCrashes: this.tracker.recordCrash() });
    });
  }

  get running(): boolean {
    return this.host.running;
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  /** Crashes within the window (5 minutes by default, as VS Code counts). */
  get recentCrashes(): number {
    return this.tracker.recentCrashes();
  }

  /** True once it crashed `crashLimit` times within the window: restart only when the user asks. */
  get crashLooping(): boolean {
    return this.tracker.exhausted;
  }

  /** Starts the host if it is not running (also the user's "Restart"). Resolves when it is ready. */
  start(): Promise<void> {
    if (this.host.running && !this.starting) return Promise.resolve();
    this.starting ??= this.host
      .start()
      .then(() => undefined)
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  /** A direct channel for a tab; rejects when the host is not running. */
  async establishChannel(clientId: string): Promise<{ channel: ChannelEndpoint; hostPid: number }> {
    if (this.starting) await this.starting;
    const service = this.host.service;
    const child = this.host.launched;
    const pid = this.host.pid;
    if (!service || !child || pid === undefined) throw new Error('The plugin host is not running');
    const channel = await (this.options.broker ?? loopbackWebSocketBroker).establish(
      {
        kind: 'plugin-host',
        child,
        grantWebSocket: async (id) => (await service.establishChannel({ clientId: id }, { timeoutMs: 5000 })).url,
      },
      clientId,
    );
    return { channel, hostPid: pid };
  }

  closeChannel(clientId: string): void {
    this.host.service?.closeChannel({ clientId }).catch(() => {});
  }

  /**
   * Messages the plugin host counted on each tab's direct channel (cumulative), with its pid (the counts
   * start again with a new process); undefined when it is not running or does not answer within `timeoutMs`.
   */
  channelTraffic(timeoutMs: number): Promise<ChannelTrafficReading | undefined> {
    return readChannelTraffic(this.host, timeoutMs);
  }

  /** "End process" in the task manager. */
  kill(): void {
    this.host.terminate({ reason: 'killed', signal: 'SIGKILL' });
  }

  dispose(): void {
    this.host.stop();
  }
}
