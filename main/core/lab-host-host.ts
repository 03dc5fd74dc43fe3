/**
 * The lab host's policy, on the shared UtilityProcessHost: the process where the labs' real
 * primitives run, so a lab that deadlocks or spins stalls only it, never the browser.
 *
 * - Started on demand, when a lab page first asks for a channel (`establishChannel`): most sessions
 *   open no lab, and an idle lab host would cost a process for nothing.
 * - Restarted at once after a crash (a lab page is using it), unless it crash-loops (3 within a
 *   minute): then it stays down until a page asks again.
 * - Watched: the browser pings it (`describe`) and a lab host that answers nothing for the threshold
 *   (a lab that deadlocked or spins its main thread) is ended, as Chrome's GPU watchdog ends a hung
 *   GPU process, and then restarted like any crash. The ping is asynchronous, so the browser
 *   process never waits on it.
 */
import { LabHostHost, LabHostService } from '../../protocol/interfaces/browser-lab-host.ts';
import { DisposableStore } from './disposable.ts';
import { Emitter } from './emitter.ts';
import type { ChannelTrafficReading } from './metrics-sampler.ts';
import type { ChannelEndpoint } from './ports.ts';
import { UtilityProcessHost, type ChildProcessHostOptions } from './utility-process-host.ts';

export const LAB_HOST_ID = 'lab-host';
/** The sites whose pages may have a lab channel (their `lab://` pages' site in urls.ts). */
export const LAB_PAGE_SITES: readonly string[] = ['ipc', 'threads', 'deadlock'];
export const DEFAULT_LAB_HOST_CRASH_LIMIT = 3;
export const DEFAULT_LAB_HOST_CRASH_WINDOW_MS = 60_000;
/**
 * Silence after which a lab host is hung and ended. Generous: a lab's measurement shares the
 * machine with its own peer processes and threads, and the ping waits its turn in the event loop.
 */
export const DEFAULT_LAB_HOST_HANG_THRESHOLD_MS = 5000;

export interface LabProcessHostOptions extends ChildProcessHostOptions {
  /** A lab host that answers no ping for this long is ended and restarted. */
  readonly hangThresholdMs?: number;
}

export class LabProcessHost {
  private readonly host: UtilityProcessHost<typeof LabHostService, typeof LabHostHost>;
  private readonly subscriptions = new DisposableStore();
  private disposed = false;

  private readonly crashEmitter = new Emitter<{ recentCrashes: number; restarting: boolean }>();
  /** The lab host ended unexpectedly (a crash, or ended as hung); `restarting` unless it crash-loops. */
  readonly onDidCrash = this.crashEmitter.event;
  /** A (re)started lab host is ready: lab pages should ask for a new channel. */
  readonly onDidBecomeReady: (listener: (info: { readonly pid: number }) => void) => () => void;

  constructor(options: LabProcessHostOptions) {
    this.host = new UtilityProcessHost(options, {
      kind: 'lab-host',
      id: LAB_HOST_ID,
      label: 'Lab host',
      service: LabHostService,
      host: LabHostHost,
      handlers: {},
      crashes: { limit: DEFAULT_LAB_HOST_CRASH_LIMIT, windowMs: DEFAULT_LAB_HOST_CRASH_WINDOW_MS },
      hangWatch: { thresholdMs: options.hangThresholdMs ?? DEFAULT_LAB_HOST_HANG_THRESHOLD_MS, killWhenHung: true },
    });
    this.onDidBecomeReady = this.host.onDidBecomeReady;
    this.subscriptions.add(
      this.host.onDidExit(({ expected, recentCrashes }) => {
        if (expected || this.disposed) return;
        const restarting = !this.host.crashes.exhausted;
        this.crashEmitter.fire({ recentCrashes, restarting });
        // On the next turn: an exit can come while the start that made this child is still settling
        // (a crash right after it became ready), and start() would hand back that settled start.
        // A failed restart is recorded (launch-failed) and shown; the next page's ask tries again.
        if (restarting)
          options.clock.setTimeout(() => {
            if (!this.disposed) this.host.start().catch(() => {});
          }, 0);
      }),
    );
  }

  get running(): boolean {
    return this.host.running;
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  /** Crashes within the window (a minute). */
  get recentCrashes(): number {
    return this.host.crashes.recentCrashes();
  }

  /** Starts the lab host if it is not running. Resolves when it is ready. */
  start(): Promise<void> {
    return this.host.start();
  }

  /**
   * A direct channel for a lab page's tab, starting the lab host first when none runs; rejects when
   * it cannot start or grant it.
   */
  async establishChannel(clientId: string): Promise<{ channel: ChannelEndpoint; hostPid: number }> {
    await this.host.start();
    const granted = await this.host.establishChannel(clientId);
    if (!granted) throw new Error('The lab host is not running');
    return { channel: granted.channel, hostPid: granted.pid };
  }

  closeChannel(clientId: string): void {
    this.host.closeChannel(clientId);
  }

  /** Messages the lab host counted on each tab's channel (cumulative), with its pid; undefined when not running or silent. */
  channelTraffic(timeoutMs: number): Promise<ChannelTrafficReading | undefined> {
    return this.host.channelTraffic(timeoutMs);
  }

  /** Debug: the lab host aborts (a real native crash), as a lab's primitive gone wrong would. */
  crash(): void {
    // The call fails (RPC_CLOSED) as the process aborts: its exit is the report, and the host has it.
    this.host.service?.crash({}).catch(() => {});
  }

  /** Debug: the lab host's main thread spins for `ms` (forever without), as a deadlocked lab would. */
  hang(ms?: number): void {
    // The call answers late or fails (timeout, RPC_CLOSED once the watchdog ends it): the watchdog reports it.
    this.host.service?.hang(ms === undefined ? {} : { ms }).catch(() => {});
  }

  /** "End process" in the task manager: killed, then restarted like any crash. */
  kill(): void {
    this.host.kill();
  }

  dispose(): void {
    this.disposed = true;
    this.subscriptions.dispose();
    this.host.dispose();
  }
}
