/**
 * The browser-process side of one utility-style child (the GPU process, the plugin host), like
 * Chrome's BrowserChildProcessHost: it launches the child through the shell's launcher, connects to
 * it, asks it to describe itself, keeps the registry up to date, and reports how it ended. What to
 * do about an ending (restart, fall back, wait for the user) is the owner's policy.
 */
import type { ChildProcessInfo } from '../../protocol/interfaces/child-process-info.ts';
import type { InterfaceSpec } from '../../protocol/rpc/interface.ts';
import { connect, type CallOptions, type Connection, type Handlers, type RemoteMethods } from '../../protocol/rpc/endpoint.ts';
import type { Clock, TimerId } from './clock.ts';
import { Emitter } from './emitter.ts';
import type { EventLog } from './event-log.ts';
import type { LaunchedChild, UtilityKind, UtilityProcessLauncher } from './ports.ts';
import type { ChildExit, ProcessRegistry } from './process-registry.ts';
import { Watchdog } from './watchdog.ts';

/** Every utility child's service starts with `describe() -> ChildProcessInfo`. */
type DescribableService = InterfaceSpec & { methods: { describe: InterfaceSpec['methods'][string] } };
interface Describable {
  describe(request: object, options: CallOptions): Promise<ChildProcessInfo>;
}

export interface UtilityProcessHostOptions<Service extends DescribableService, Host extends InterfaceSpec> {
  readonly kind: UtilityKind;
  /** Registry id, stable across restarts. */
  readonly id: string;
  readonly label: string;
  readonly launcher: UtilityProcessLauncher;
  readonly registry: ProcessRegistry;
  readonly log: EventLog;
  readonly service: Service;
  readonly host: Host;
  readonly handlers: Handlers<Host>;
  /** How long a new child has to answer `describe` before it counts as failed to launch. */
  readonly startTimeoutMs?: number;
  /**
   * Pings the running child (`describe`) and marks it unresponsive when it stops answering for
   * `thresholdMs`; with `killWhenHung` it is then ended, as Chrome's GPU watchdog ends a hung GPU
   * process.
   */
  readonly hangWatch?: { readonly clock: Clock; readonly thresholdMs: number; readonly killWhenHung: boolean };
}

export interface UtilityExit {
  readonly exit: ChildExit;
  /** True when the browser ended it on purpose (stop). */
  readonly expected: boolean;
}

export class UtilityProcessHost<Service extends DescribableService, Host extends InterfaceSpec> {
  private child: LaunchedChild | undefined;
  private connection: Connection<Host, Service> | undefined;
  private stopping = false;
  private info: ChildProcessInfo | undefined;
  /** Set by terminate(): the reason to record instead of the one the OS reports. */
  private overrideExit: ChildExit | undefined;
  private readonly watchdog: Watchdog | undefined;
  private pingTimer: TimerId | undefined;
  private pinging = false;

  private readonly exitEmitter = new Emitter<UtilityExit>();
  private readonly readyEmitter = new Emitter<ChildProcessInfo>();
  /** The child ended, however it ended. */
  readonly onDidExit = this.exitEmitter.event;
  /** A launched child answered `describe`: it is ready to serve. */
  readonly onDidBecomeReady = this.readyEmitter.event;

  constructor(private readonly options: UtilityProcessHostOptions<Service, Host>) {
    const watch = options.hangWatch;
    if (watch) {
      this.watchdog = new Watchdog(watch.clock, { thresholdMs: watch.thresholdMs });
      this.watchdog.onDidBecomeUnresponsive(() => {
        options.registry.setState(options.id, 'unresponsive');
        if (watch.killWhenHung) this.terminate({ reason: 'killed', signal: 'SIGKILL' });
      });
      this.watchdog.onDidBecomeResponsive(() => options.registry.setState(options.id, 'running'));
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
   * Launches the child and waits until it has described itself. Rejects (and ends the child) when it
   * fails to start in time; its exit is reported through onDidExit like any other.
   */
  async start(): Promise<ChildProcessInfo> {
    if (this.child) throw new Error(`${this.options.label} is already running`);
    const { kind, id, label, launcher, registry, log } = this.options;
    this.stopping = false;
    this.info = undefined;
    const child = launcher.launch(kind);
    this.child = child;
    registry.launched(id, kind, label, child.pid);

    const connection = connect({
      transport: child.transport,
      self: { process: 'browser' },
      local: this.options.host,
      remote: this.options.service,
      handlers: this.options.handlers,
      onBadMessage: (report) => {
        log.record({ type: 'bad-message', processId: id, interface: report.interface, reason: report.reason });
        this.terminate({ reason: 'bad-message' });
      },
    });
    this.connection = connection;
    child.onDidExit((exit) => this.onChildExit(child, exit));

    try {
      const remote = connection.remote as unknown as Describable;
      const info = await remote.describe({}, { timeoutMs: this.options.startTimeoutMs ?? 10_000 });
      if (this.child !== child) throw new Error(`${label} ended while starting`);
      this.info = info;
      registry.update(id, { pid: info.pid });
      registry.setState(id, 'running');
      this.startWatching();
      this.readyEmitter.fire(info);
      return info;
    } catch (error) {
      if (this.child === child) this.terminate({ reason: 'launch-failed' });
      throw new Error(`${label} failed to start: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Ends the child on purpose: its exit is reported as expected. */
  stop(): void {
    if (!this.child) return;
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

  private startWatching(): void {
    const watch = this.options.hangWatch;
    if (!watch || !this.watchdog) return;
    this.watchdog.watch(this.options.id);
    const ping = () => {
      this.pingTimer = watch.clock.setTimeout(ping, Math.max(10, watch.thresholdMs / 4));
      const service = this.connection?.remote as unknown as Describable | undefined;
      if (!service || this.pinging) return; // one ping in flight at most
      this.pinging = true;
      service
        .describe({}, { timeoutMs: watch.thresholdMs * 4 })
        .then(() => this.watchdog?.heartbeat(this.options.id))
        .catch(() => {})
        .finally(() => {
          this.pinging = false;
        });
    };
    ping();
  }

  private stopWatching(): void {
    if (this.pingTimer !== undefined) this.options.hangWatch?.clock.clearTimeout(this.pingTimer);
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
    this.connection?.close(`${this.options.label} ended (${exit.reason})`);
    this.connection = undefined;
    this.options.registry.exited(this.options.id, exit, expected);
    this.exitEmitter.fire({ exit, expected });
  }
}

/**
 * What a utility child counted on each tab's direct channel (cumulative), with its pid (the counts start
 * again with a new process); undefined when it is not running or does not answer within `timeoutMs`.
 */
export async function readChannelTraffic<Channels>(
  host: { readonly pid: number | undefined; readonly service: { getChannelTraffic(params: object, options: { timeoutMs: number }): Promise<{ channels: Channels }> } | undefined },
  timeoutMs: number,
): Promise<{ pid: number; channels: Channels } | undefined> {
  const service = host.service;
  const pid = host.pid;
  if (!service || pid === undefined) return undefined;
  try {
    const { channels } = await service.getChannelTraffic({}, { timeoutMs });
    return { pid, channels };
  } catch {
    return undefined;
  }
}
