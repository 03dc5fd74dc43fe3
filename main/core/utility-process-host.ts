/**
 * The browser-process side of one utility-style child (the GPU process, the plugin host), like
 * Chrome's BrowserChildProcessHostImpl: what every child-process host does lives here once. It
 * launches the child through the shell's launcher (one start at a time), connects to it, asks it to
 * describe itself, keeps the registry up to date, watches it for hangs, counts its crashes, brokers
 * tabs' direct channels to it, reads their traffic, kills it, and reports how it ended. What to do
 * about an ending (restart, fall back, wait for the user) is the owner's policy (gpu-process-host.ts,
 * plugin-process-host.ts).
 */
import type { ChildProcessInfo } from '../../protocol/interfaces/child-process-info.ts';
import type { InterfaceSpec } from '../../protocol/rpc/interface.ts';
import type { BadMessageReason } from '../../protocol/rpc/bad-message.ts';
import {
  connect,
  type BadMessageReport,
  type CallOptions,
  type Connection,
  type Handlers,
  type RemoteMethods,
} from '../../protocol/rpc/endpoint.ts';
import { loopbackWebSocketBroker } from './channel-broker.ts';
import type { Clock, TimerId } from './clock.ts';
import { CrashTracker, type CrashTrackerOptions } from './crash-tracker.ts';
import { DisposableStore } from './disposable.ts';
import { Emitter } from './emitter.ts';
import type { EventLog } from './event-log.ts';
import type { ChannelTrafficReading } from './metrics-sampler.ts';
import type { ChannelBroker, ChannelEndpoint, LaunchedChild, UtilityKind, UtilityProcessLauncher } from './ports.ts';
import type { ChildExit, ProcessRegistry } from './process-registry.ts';
import { Watchdog } from './watchdog.ts';

/** How long a new child has to answer `describe` before it counts as failed to launch. */
export const DEFAULT_START_TIMEOUT_MS = 10_000;
/** How long a child has to grant a tab's direct channel. */
export const CHANNEL_GRANT_TIMEOUT_MS = 5000;

/**
 * Every utility child's service starts with `describe() -> ChildProcessInfo` and serves tabs' direct
 * channels: `establishChannel`, `closeChannel`, `getChannelTraffic` (GpuService, PluginHostService).
 */
type Method = InterfaceSpec['methods'][string];
type UtilityService = InterfaceSpec & {
  methods: { describe: Method; establishChannel: Method; closeChannel: Method; getChannelTraffic: Method };
};
/** The same methods as called: what a generic host cannot read off `RemoteMethods<Service>`. */
interface UtilityRemote {
  describe(request: object, options: CallOptions): Promise<ChildProcessInfo>;
  establishChannel(request: { clientId: string }, options: CallOptions): Promise<{ url: string }>;
  closeChannel(request: { clientId: string }): Promise<object>;
  getChannelTraffic(request: object, options: CallOptions): Promise<Omit<ChannelTrafficReading, 'pid'>>;
}

/** What the browser gives every supervised child's host; each host adds its policy's options. */
export interface ChildProcessHostOptions {
  readonly launcher: UtilityProcessLauncher;
  readonly registry: ProcessRegistry;
  readonly log: EventLog;
  readonly clock: Clock;
  /** How many crashes within `crashWindowMs` the host's policy treats as a crash loop. */
  readonly crashLimit?: number;
  /** How long a crash counts against the child. */
  readonly crashWindowMs?: number;
  /** How long a new child has to answer `describe` (DEFAULT_START_TIMEOUT_MS). */
  readonly startTimeoutMs?: number;
  /** How tabs' channels are brokered; loopback WebSocket grants by default. */
  readonly broker?: ChannelBroker;
}

export interface UtilityProcessHostOptions<Service extends UtilityService, Host extends InterfaceSpec> {
  readonly kind: UtilityKind;
  /** Registry id, stable across restarts. */
  readonly id: string;
  readonly label: string;
  readonly service: Service;
  readonly host: Host;
  readonly handlers: Handlers<Host>;
  /** The host's defaults where the browser gave none. */
  readonly crashes: CrashTrackerOptions;
  /** Its children are standbys, started ahead of need (ProcessInfo.standby): the registry says so. */
  readonly standby?: boolean;
  /**
   * Pings the running child (`describe`) and marks it unresponsive when it stops answering for
   * `thresholdMs`; with `killWhenHung` it is then ended, as Chrome's GPU watchdog ends a hung GPU
   * process.
   */
  readonly hangWatch?: { readonly thresholdMs: number; readonly killWhenHung: boolean };
}

export interface UtilityExit {
  readonly exit: ChildExit;
  /** True when the browser ended it on purpose (stop). */
  readonly expected: boolean;
  /** Crashes within the window, this one included when it was not expected. */
  readonly recentCrashes: number;
}

/** Which host a child's connection reports bad messages to: the one that owns the child now. */
interface ChildOwner {
  host: { onChildBadMessage(child: LaunchedChild, report: BadMessageReport, code: BadMessageReason): void };
}

/**
 * A ready child taken out of one host to be adopted by another of the same interfaces (a hot
 * standby promoted): the process, its connection to the browser and its description travel as they
 * are, so nothing is started again.
 */
export interface HandedOverChild<Service extends UtilityService, Host extends InterfaceSpec> {
  readonly child: LaunchedChild;
  readonly connection: Connection<Host, Service>;
  readonly info: ChildProcessInfo;
  readonly owner: ChildOwner;
}

export class UtilityProcessHost<Service extends UtilityService, Host extends InterfaceSpec> {
  private child: LaunchedChild | undefined;
  private connection: Connection<Host, Service> | undefined;
  private owner: ChildOwner | undefined;
  private starting: Promise<void> | undefined;
  private stopping = false;
  private info: ChildProcessInfo | undefined;
  /** Set by terminate(): the reason to record instead of the one the OS reports. */
  private overrideExit: ChildExit | undefined;
  private readonly options: UtilityProcessHostOptions<Service, Host> & ChildProcessHostOptions;
  private readonly standby: boolean;
  /** Its registry entry already says a new child is on its way (after handOver): launch fills it in. */
  private entryPending = false;
  private readonly watchdog: Watchdog | undefined;
  private pingTimer: TimerId | undefined;
  private pinging = false;
  private readonly subscriptions = new DisposableStore();
  /** Its recent crashes (unexpected exits), older ones forgiven. */
  readonly crashes: CrashTracker;

  private readonly exitEmitter = new Emitter<UtilityExit>();
  private readonly readyEmitter = new Emitter<ChildProcessInfo>();
  /** The child ended, however it ended. */
  readonly onDidExit = this.exitEmitter.event;
  /** A launched child answered `describe`: it is ready to serve. */
  readonly onDidBecomeReady = this.readyEmitter.event;

  constructor(shared: ChildProcessHostOptions, own: UtilityProcessHostOptions<Service, Host>) {
    const options = { ...shared, ...own };
    this.options = options;
    // From its own options only: a policy's options (the GPU host's `standby` switch) share the name.
    this.standby = own.standby === true;
    this.crashes = new CrashTracker(options.clock, {
      limit: shared.crashLimit ?? own.crashes.limit,
      windowMs: shared.crashWindowMs ?? own.crashes.windowMs,
    });
    const watch = options.hangWatch;
    if (watch) {
      this.watchdog = new Watchdog(options.clock, { thresholdMs: watch.thresholdMs });
      this.subscriptions.add(
        this.watchdog.onDidBecomeUnresponsive(() => {
          options.registry.setState(options.id, 'unresponsive');
          if (watch.killWhenHung) this.kill();
        }),
      );
      this.subscriptions.add(
        this.watchdog.onDidBecomeResponsive(() => options.registry.setState(options.id, 'running')),
      );
    }
  }

  /** The running child's service, or undefined when none runs. */
  get service(): RemoteMethods<Service> | undefined {
    return this.connection && !this.connection.closed && this.info ? this.connection.remote : undefined;
  }

  /** The running child as its launcher made it, once it is ready (when `service` is). */
  get launched(): LaunchedChild | undefined {
    return this.service ? this.child : undefined;
  }

  get pid(): number | undefined {
    return this.child ? (this.info?.pid ?? this.child.pid) : undefined;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /**
   * Launches the child and waits until it has described itself; while a start is under way, waits
   * for that one; with a child already there, resolves at once. Rejects (and ends the child) when it
   * fails to start in time; its exit is reported through onDidExit like any other.
   */
  start(): Promise<void> {
    if (this.starting) return this.starting;
    if (this.child) return Promise.resolve();
    this.starting = this.launch().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async launch(): Promise<void> {
    const { kind, id, label, launcher, registry } = this.options;
    this.stopping = false;
    this.info = undefined;
    const child = launcher.launch(kind);
    this.child = child;
    if (this.entryPending) {
      this.entryPending = false;
      if (child.pid !== undefined) registry.update(id, { pid: child.pid });
    } else {
      registry.launched(id, kind, label, child.pid, this.standby ? { standby: true } : {});
    }

    // Reported to whichever host owns the child when it happens (it may be handed over).
    const owner: ChildOwner = { host: this };
    this.owner = owner;
    const connection = connect({
      transport: child.transport,
      self: { process: 'browser' },
      local: this.options.host,
      remote: this.options.service,
      handlers: this.options.handlers,
      onBadMessage: (report, code) => owner.host.onChildBadMessage(child, report, code),
    });
    this.connection = connection;
    child.onDidExit((exit) => this.onChildExit(child, exit)); // the port's: called once, nothing to unsubscribe

    try {
      const info = await this.remote(connection).describe(
        {},
        { timeoutMs: this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS },
      );
      if (this.child !== child) throw new Error(`${label} ended while starting`);
      this.info = info;
      registry.update(id, { pid: info.pid });
      registry.setState(id, 'running');
      this.startWatching();
      this.readyEmitter.fire(info);
    } catch (error) {
      if (this.child === child) this.terminate({ reason: 'launch-failed' });
      throw new Error(`${label} failed to start: ${(error as Error).message}`, { cause: error });
    }
  }

  /** @internal The child's connection got a bad message: it is ended, as any peer that sends one. */
  onChildBadMessage(child: LaunchedChild, report: BadMessageReport, code: BadMessageReason): void {
    if (this.child !== child) return;
    this.options.log.recordBadMessage(this.options.id, report, code);
    this.terminate({ reason: 'bad-message' });
  }

  /**
   * Takes the ready child out of this host without ending it, for another host to `adopt`: this
   * host stops watching it, forgets it and reports nothing about it from now on. Its registry entry
   * is relaunched at once without a pid (starting): the role's next child is on its way, and the
   * next `start` fills that entry in. Undefined when no ready child is there.
   */
  handOver(): HandedOverChild<Service, Host> | undefined {
    const child = this.launched;
    const { connection, info, owner } = this;
    if (!child || !connection || !info || !owner) return undefined;
    this.stopWatching();
    this.child = undefined;
    this.connection = undefined;
    this.info = undefined;
    this.owner = undefined;
    const { id, kind, label, registry } = this.options;
    registry.launched(id, kind, label, undefined, this.standby ? { standby: true } : {});
    this.entryPending = true;
    return { child, connection, info, owner };
  }

  /**
   * Makes a child another host handed over this host's own, as if it had just started and become
   * ready: registered under this host's id (a relaunch of the role, with the child's pid), watched,
   * its exit and bad messages reported here, and onDidBecomeReady fired. Throws when this host
   * already has a child or is starting one.
   */
  adopt(handed: HandedOverChild<Service, Host>): void {
    if (this.child || this.starting) throw new Error(`${this.options.label} is already running`);
    const { id, kind, label, registry } = this.options;
    const { child, connection, info, owner } = handed;
    owner.host = this;
    this.owner = owner;
    this.child = child;
    this.connection = connection;
    this.info = info;
    this.stopping = false;
    this.overrideExit = undefined;
    child.onDidExit((exit) => this.onChildExit(child, exit));
    registry.launched(id, kind, label, info.pid, this.standby ? { standby: true } : {});
    registry.setState(id, 'running');
    this.startWatching();
    this.readyEmitter.fire(info);
  }

  /** Ends the child on purpose: its exit is reported as expected. */
  stop(): void {
    if (!this.child) {
      // A next child was announced (handOver) and will not come: its entry says it ended on purpose.
      if (this.entryPending) this.options.registry.exited(this.options.id, { reason: 'clean-exit' }, true);
      this.entryPending = false;
      return;
    }
    this.stopping = true;
    this.child.kill();
  }

  /** Ends the child now, recording `exit.reason` (e.g. 'bad-message') instead of what the OS reports. */
  terminate(exit: ChildExit): void {
    const child = this.child;
    if (!child) return;
    this.overrideExit = exit;
    child.kill();
  }

  /** "End process" in the task manager, and a hung child's end: killed from outside, counted like any crash. */
  kill(): void {
    this.terminate({ reason: 'killed', signal: 'SIGKILL' });
  }

  /**
   * Brokers a direct channel between the tab `clientId` and the running child (waiting for a start
   * under way, whose failure it passes on), through the shell's broker; a new one per request, so
   * after a restart too. Undefined when no child is running; rejects when the child fails to grant it.
   */
  async establishChannel(clientId: string): Promise<{ channel: ChannelEndpoint; pid: number } | undefined> {
    if (this.starting) await this.starting;
    const connection = this.service ? this.connection : undefined;
    const child = this.launched;
    const pid = this.pid;
    if (!connection || !child || pid === undefined) return undefined;
    const service = this.remote(connection);
    const channel = await (this.options.broker ?? loopbackWebSocketBroker).establish(
      {
        kind: this.options.kind,
        child,
        grantWebSocket: async (id) =>
          (await service.establishChannel({ clientId: id }, { timeoutMs: CHANNEL_GRANT_TIMEOUT_MS })).url,
      },
      clientId,
    );
    return { channel, pid };
  }

  /** Tells the child to close a client's channel (its tab closed). */
  closeChannel(clientId: string): void {
    if (!this.service || !this.connection) return;
    this.remote(this.connection)
      .closeChannel({ clientId })
      // It failed only if the child went away, and a child that is gone has closed every channel.
      .catch(() => {});
  }

  /**
   * Messages the child counted on each tab's direct channel (cumulative), with its pid (the counts
   * start again with a new process); undefined when it is not running or does not answer within `timeoutMs`.
   */
  async channelTraffic(timeoutMs: number): Promise<ChannelTrafficReading | undefined> {
    const connection = this.service ? this.connection : undefined;
    const pid = this.pid;
    if (!connection || pid === undefined) return undefined;
    try {
      const { channels } = await this.remote(connection).getChannelTraffic({}, { timeoutMs });
      return { pid, channels };
    } catch {
      return undefined;
    }
  }

  /** Ends the child on purpose and lets go of what the host subscribed to. */
  dispose(): void {
    this.stop();
    this.stopWatching();
    this.subscriptions.dispose();
  }

  /** The connection's remote as its (generic) methods are called. */
  private remote(connection: Connection<Host, Service>): UtilityRemote {
    return connection.remote as unknown as UtilityRemote;
  }

  private startWatching(): void {
    const watch = this.options.hangWatch;
    if (!watch || !this.watchdog) return;
    this.watchdog.watch(this.options.id);
    const ping = () => {
      this.pingTimer = this.options.clock.setTimeout(ping, Math.max(10, watch.thresholdMs / 4));
      const connection = this.connection;
      if (!connection || this.pinging) return; // one ping in flight at most
      this.pinging = true;
      this.remote(connection)
        .describe({}, { timeoutMs: watch.thresholdMs * 4 })
        .then(() => this.watchdog?.heartbeat(this.options.id))
        // An unanswered ping is a missed heartbeat: the watchdog's silence is the whole report.
        .catch(() => {})
        .finally(() => {
          this.pinging = false;
        });
    };
    ping();
  }

  private stopWatching(): void {
    if (this.pingTimer !== undefined) this.options.clock.clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
    this.pinging = false;
    this.watchdog?.unwatch(this.options.id);
  }

  private onChildExit(child: LaunchedChild, osExit: ChildExit): void {
    if (this.child !== child) return;
    const exit = this.overrideExit ?? osExit;
    const expected = this.stopping;
    this.overrideExit = undefined;
    this.stopWatching();
    this.child = undefined;
    this.info = undefined;
    this.owner = undefined;
    this.connection?.close(`${this.options.label} ended (${exit.reason})`);
    this.connection = undefined;
    this.options.registry.exited(this.options.id, exit, expected);
    const recentCrashes = expected ? this.crashes.recentCrashes() : this.crashes.recordCrash();
    this.exitEmitter.fire({ exit, expected, recentCrashes });
  }
}
