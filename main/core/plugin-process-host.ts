/**
 * The plugin host, supervised like VS Code's extension host: a crash is reported (every tab that
 * embeds a plugin shows a placeholder) and counted, and the host starts again when the user asks.
 */
import { PluginHostHost, PluginHostService } from '../../protocol/interfaces/browser-plugin-host.ts';
import { DisposableStore } from './disposable.ts';
import { Emitter } from './emitter.ts';
import type { ChannelTrafficReading } from './metrics-sampler.ts';
import type { ChannelEndpoint } from './ports.ts';
import { UtilityProcessHost, type ChildProcessHostOptions } from './utility-process-host.ts';

export const PLUGIN_HOST_ID = 'plugin-host';
/** VS Code's extension host: 3 crashes within 5 minutes are a crash loop, restarted only when the user asks. */
export const DEFAULT_PLUGIN_HOST_CRASH_LIMIT = 3;
export const DEFAULT_PLUGIN_HOST_CRASH_WINDOW_MS = 5 * 60_000;
export const DEFAULT_PLUGIN_HOST_HANG_THRESHOLD_MS = 2000;

export interface PluginProcessHostOptions extends ChildProcessHostOptions {
  /** A host that answers no ping for this long is shown unresponsive (not ended: its plugins may recover). */
  readonly hangThresholdMs?: number;
}

export class PluginProcessHost {
  private readonly host: UtilityProcessHost<typeof PluginHostService, typeof PluginHostHost>;
  private readonly subscriptions = new DisposableStore();

  private readonly crashEmitter = new Emitter<{ recentCrashes: number }>();
  /** The host ended unexpectedly; its plugins are gone until it is restarted. */
  readonly onDidCrash = this.crashEmitter.event;
  /** A (re)started host is ready: tabs should establish a new channel and recreate their instances. */
  readonly onDidBecomeReady: (listener: (info: { readonly pid: number }) => void) => () => void;

  constructor(options: PluginProcessHostOptions) {
    this.host = new UtilityProcessHost(options, {
      kind: 'plugin-host',
      id: PLUGIN_HOST_ID,
      label: 'Plugin host',
      service: PluginHostService,
      host: PluginHostHost,
      handlers: {},
      crashes: { limit: DEFAULT_PLUGIN_HOST_CRASH_LIMIT, windowMs: DEFAULT_PLUGIN_HOST_CRASH_WINDOW_MS },
      hangWatch: { thresholdMs: options.hangThresholdMs ?? DEFAULT_PLUGIN_HOST_HANG_THRESHOLD_MS, killWhenHung: false },
    });
    this.onDidBecomeReady = this.host.onDidBecomeReady;
    this.subscriptions.add(
      this.host.onDidExit(({ expected, recentCrashes }) => {
        if (!expected) this.crashEmitter.fire({ recentCrashes });
      }),
    );
  }

  get running(): boolean {
    return this.host.running;
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  /** Crashes within the window (5 minutes by default, as VS Code counts). */
  get recentCrashes(): number {
    return this.host.crashes.recentCrashes();
  }

  /** True once it crashed `crashLimit` times within the window: restart only when the user asks. */
  get crashLooping(): boolean {
    return this.host.crashes.exhausted;
  }

  /** Starts the host if it is not running (also the user's "Restart"). Resolves when it is ready. */
  start(): Promise<void> {
    return this.host.start();
  }

  /** A direct channel for a tab; rejects when the host is not running. */
  async establishChannel(clientId: string): Promise<{ channel: ChannelEndpoint; hostPid: number }> {
    const granted = await this.host.establishChannel(clientId);
    if (!granted) throw new Error('The plugin host is not running');
    return { channel: granted.channel, hostPid: granted.pid };
  }

  closeChannel(clientId: string): void {
    this.host.closeChannel(clientId);
  }

  /**
   * Messages the plugin host counted on each tab's direct channel (cumulative), with its pid (the counts
   * start again with a new process); undefined when it is not running or does not answer within `timeoutMs`.
   */
  channelTraffic(timeoutMs: number): Promise<ChannelTrafficReading | undefined> {
    return this.host.channelTraffic(timeoutMs);
  }

  /** "End process" in the task manager. */
  kill(): void {
    this.host.kill();
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.host.dispose();
  }
}
