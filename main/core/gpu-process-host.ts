/**
 * The GPU process, supervised as Chrome does (content/browser/gpu/fallback.md): restarted at once
 * after every unexpected exit; after `crashLimit` crashes within `crashWindowMs`
 * (kGpuFallbackCrashCount = 3) the next start is software compositing, where tabs rasterize their
 * display lists themselves; a crash is forgiven once the window has passed since it. The browser
 * also brokers each tab's direct channel to the GPU process and tells tabs to ask again after a
 * restart, so they resume drawing without a reload.
 *
 * With `standby`, a second GPU process is kept started, warmed up and idle behind the active one
 * (its own registry entry, GPU_STANDBY_ID, flagged standby). When the active one crashes (or hangs
 * and the watchdog ends it) the standby is promoted in place: it becomes the 'gpu' process, tabs are
 * told to ask for a channel again and get one to it, and a new standby starts. The crash still
 * counts towards software compositing. A standby's own crash is replaced quietly: its exit is in the
 * event log and the task manager, and no tab hears of it.
 */
import { GpuHost, GpuService } from '../../protocol/interfaces/browser-gpu.ts';
import type { GpuMode } from '../../protocol/interfaces/browser-state.ts';
import { DisposableStore } from './disposable.ts';
import { Emitter } from './emitter.ts';
import type { TimerId } from './clock.ts';
import type { ChannelTrafficReading } from './metrics-sampler.ts';
import type { ChannelEndpoint } from './ports.ts';
import { UtilityProcessHost, type ChildProcessHostOptions } from './utility-process-host.ts';

export const GPU_PROCESS_ID = 'gpu';
/** The hot-standby GPU process's registry id: a role of its own, so it never shadows the active one. */
export const GPU_STANDBY_ID = 'gpu-standby';
/** Chrome's kGpuFallbackCrashCount: this many crashes within the window mean software compositing. */
export const DEFAULT_GPU_CRASH_LIMIT = 3;
export const DEFAULT_GPU_CRASH_WINDOW_MS = 60_000;
export const DEFAULT_GPU_HANG_TIMEOUT_MS = 5000;
/** How often a tab's channel request asks again while the GPU process (re)starts, and how long between. */
const CHANNEL_ATTEMPTS = 5;
const CHANNEL_RETRY_MS = 50;
/** How long a standby has to finish its warm-up draw. */
const WARM_UP_TIMEOUT_MS = 10_000;
/**
 * How long after a promotion the next standby is launched: after the tabs' first frames, not during
 * them. Launched at once, its start-up (Node, Skia) took the CPU those frames needed and tripled
 * crash-to-next-frame on a loaded 2-core machine (bench/recovery/gpu-standby.ts: ~300 ms against ~100).
 */
export const DEFAULT_STANDBY_RELAUNCH_DELAY_MS = 1000;

export interface GpuProcessHostOptions extends ChildProcessHostOptions {
  /** A GPU process that answers no ping for this long is hung and is ended (Chrome's GPU watchdog). */
  readonly hangTimeoutMs?: number;
  /**
   * Keep a hot-standby GPU process behind the active one, promoted when it crashes (default: off in
   * the core; the shells turn it on unless `--lab-gpu-standby=off`, gpu-standby-switch.ts).
   */
  readonly standby?: boolean;
  /** How long after a promotion the next standby starts (DEFAULT_STANDBY_RELAUNCH_DELAY_MS). */
  readonly standbyRelaunchDelayMs?: number;
}

/** Where a tab draws: through its own channel to the GPU process, or on its own canvas. */
export type GpuChannelGrant =
  | { readonly mode: 'hardware'; readonly channel: ChannelEndpoint; readonly gpuPid: number }
  | { readonly mode: 'software' };

export class GpuProcessHost {
  private currentMode: GpuMode = 'hardware';
  private readonly host: UtilityProcessHost<typeof GpuService, typeof GpuHost>;
  /** The standby's host (when `standby` is on): its own registry entry, crash count and watchdog. */
  private readonly standbyHost: UtilityProcessHost<typeof GpuService, typeof GpuHost> | undefined;
  /** A standby launch waiting for its turn (after a crash loop of standbys), to cancel on dispose. */
  private standbyTimer: TimerId | undefined;
  /** The standby's warm-up draw under way, if any (settles either way). */
  private warming: Promise<void> = Promise.resolve();
  private readonly subscriptions = new DisposableStore();
  private disposed = false;

  private readonly modeEmitter = new Emitter<GpuMode>();
  /** Compositing switched to software (the GPU process is given up on). */
  readonly onDidChangeMode = this.modeEmitter.event;
  /** A (re)started GPU process is ready: clients should establish a new channel. */
  readonly onDidBecomeReady: (listener: (info: { readonly pid: number }) => void) => () => void;

  constructor(private readonly options: GpuProcessHostOptions) {
    const role = {
      kind: 'gpu',
      service: GpuService,
      host: GpuHost,
      handlers: {},
      crashes: { limit: DEFAULT_GPU_CRASH_LIMIT, windowMs: DEFAULT_GPU_CRASH_WINDOW_MS },
      // A hung standby is ended and replaced like a crashed one: it would be no use when promoted.
      hangWatch: { thresholdMs: options.hangTimeoutMs ?? DEFAULT_GPU_HANG_TIMEOUT_MS, killWhenHung: true },
    } as const;
    this.host = new UtilityProcessHost(options, { ...role, id: GPU_PROCESS_ID, label: 'GPU process' });
    this.onDidBecomeReady = this.host.onDidBecomeReady;
    this.subscriptions.add(
      this.host.onDidExit(({ expected, recentCrashes }) => {
        if (!expected && !this.disposed) this.onCrash(recentCrashes);
      }),
    );
    if (options.standby) {
      const standby = new UtilityProcessHost(options, {
        ...role,
        id: GPU_STANDBY_ID,
        label: 'GPU process (standby)',
        standby: true,
      });
      this.standbyHost = standby;
      this.subscriptions.add(
        standby.onDidExit(({ expected, exit, recentCrashes }) => {
          if (!expected && !this.disposed) this.onStandbyCrash(exit.reason, recentCrashes);
        }),
      );
    }
  }

  get mode(): GpuMode {
    return this.currentMode;
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  /** The standby's pid while one is running (started or ready). */
  get standbyPid(): number | undefined {
    return this.standbyHost?.pid;
  }

  /** True when a standby is ready to be promoted. */
  get standbyReady(): boolean {
    return this.standbyHost?.service !== undefined;
  }

  /** Crashes within the current window. */
  get recentCrashes(): number {
    return this.host.crashes.recentCrashes();
  }

  /**
   * Starts the GPU process (in hardware mode). Resolves once it is ready or has been given up on;
   * the standby, when on, starts after it, in the background.
   */
  start(): Promise<void> {
    if (this.currentMode === 'software' || this.disposed) return Promise.resolve();
    return this.host.start().then(
      () => this.startStandby(),
      // A failed start ends in an exit, which onCrash counts and answers; nothing to add here.
      () => undefined,
    );
  }

  /**
   * Resolves once a standby is ready (started and warmed up); rejects when standby is off, in
   * software mode, or when the one starting fails. For benchmarks and tests that crash the active
   * process only once its standby is there.
   */
  async whenStandbyReady(): Promise<void> {
    const standby = this.standbyHost;
    if (!standby || this.currentMode === 'software') throw new Error('No GPU standby: it is off');
    if (!standby.running) {
      // Not waiting for a relaunch that is scheduled: start it now.
      if (this.standbyTimer !== undefined) this.options.clock.clearTimeout(this.standbyTimer);
      this.standbyTimer = undefined;
      this.startStandby();
    }
    await standby.start();
    await this.warming;
  }

  /** A direct channel for `clientId`, or software mode. Waits for a GPU process that is starting. */
  async establishChannel(clientId: string): Promise<GpuChannelGrant> {
    for (let attempt = 0; attempt < CHANNEL_ATTEMPTS; attempt++) {
      if (this.currentMode === 'software') return { mode: 'software' };
      try {
        const granted = await this.host.establishChannel(clientId);
        if (granted) return { mode: 'hardware', channel: granted.channel, gpuPid: granted.pid };
      } catch {
        // It failed to start, or died under us: its restart (or the switch to software) is on its way; ask again.
      }
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, CHANNEL_RETRY_MS));
    }
    throw new Error('No GPU channel: the GPU process did not become ready');
  }

  /** Tells the GPU process to close a client's channel (its tab closed). */
  closeChannel(clientId: string): void {
    this.host.closeChannel(clientId);
  }

  /** chrome://gpucrash: a real native abort in the GPU process. */
  crash(): void {
    // The call fails (RPC_CLOSED) as the process aborts: its exit is the report, and the host has it.
    this.host.service?.crash({}).catch(() => {});
  }

  /** chrome://gpuhang: the GPU process's main thread spins. */
  hang(ms?: number): void {
    // The call answers late or fails (timeout, RPC_CLOSED once the hang watch ends it): the hang watch reports it.
    this.host.service?.hang(ms === undefined ? {} : { ms }).catch(() => {});
  }

  /**
   * Messages the GPU process counted on each tab's direct channel (cumulative), with its pid (the counts
   * start again with a new process); undefined when it is not running or does not answer within `timeoutMs`.
   */
  channelTraffic(timeoutMs: number): Promise<ChannelTrafficReading | undefined> {
    return this.host.channelTraffic(timeoutMs);
  }

  /**
   * "End process" in the task manager: killed from outside, counted like any crash. `processId`
   * GPU_STANDBY_ID ends the standby instead, which is replaced quietly.
   */
  kill(processId: string = GPU_PROCESS_ID): void {
    if (processId === GPU_STANDBY_ID) this.standbyHost?.kill();
    else this.host.kill();
  }

  dispose(): void {
    this.disposed = true;
    if (this.standbyTimer !== undefined) this.options.clock.clearTimeout(this.standbyTimer);
    this.subscriptions.dispose();
    this.host.dispose();
    this.standbyHost?.dispose();
  }

  /** Starts a standby if one should run and none does; it warms up once ready. Never throws. */
  private startStandby(): void {
    const standby = this.standbyHost;
    if (!standby || standby.running || this.disposed || this.currentMode === 'software') return;
    if (this.standbyTimer !== undefined) return; // one is already scheduled
    const started = standby.start();
    this.warming = started.then(
      () => {
        const pid = standby.pid;
        return (
          standby.service
            ?.warmUp({}, { timeoutMs: WARM_UP_TIMEOUT_MS })
            .then(() => undefined)
            // A standby that cannot draw is ended and replaced as a crashed one would be (unless it
            // was promoted meanwhile: then it is the active one's watchdog's to judge).
            .catch(() => {
              if (standby.pid === pid) standby.kill();
            })
        );
      },
      // A failed start ends in an exit, which onStandbyCrash answers.
      () => undefined,
    );
  }

  /**
   * A standby ended unexpectedly (crashed, hung, killed, failed to start): nobody was using it, so it
   * is replaced without a word to the tabs. Its exit is in the event log; after `limit` of them
   * within the window (a GPU process that cannot start), the next try waits for the window to pass.
   */
  private onStandbyCrash(reason: string, recent: number): void {
    const { limit, windowMs } = this.standbyHost!.crashes.options;
    const delay = recent >= limit ? windowMs : 0;
    if (recent >= limit) {
      console.warn(`[browser] the GPU standby ended ${recent} times (last: ${reason}); next try in ${windowMs} ms`);
    }
    this.scheduleStandby(delay);
  }

  /**
   * Promotes the ready standby to be the GPU process: the active host adopts its process (firing
   * onDidBecomeReady, so tabs ask again and get channels to it), and a new standby starts behind it
   * once the tabs have drawn. False when no standby is ready.
   */
  private promoteStandby(): boolean {
    const handed = this.standbyHost?.handOver();
    if (!handed) return false;
    this.host.adopt(handed);
    this.scheduleStandby(this.options.standbyRelaunchDelayMs ?? DEFAULT_STANDBY_RELAUNCH_DELAY_MS);
    return true;
  }

  private scheduleStandby(delayMs: number): void {
    if (this.standbyTimer !== undefined) this.options.clock.clearTimeout(this.standbyTimer);
    this.standbyTimer = this.options.clock.setTimeout(() => {
      this.standbyTimer = undefined;
      this.startStandby();
    }, delayMs);
  }

  /** Chrome's policy: restart at once, until `crashLimit` crashes within the window mean software compositing. */
  private onCrash(recent: number): void {
    const { limit, windowMs } = this.host.crashes.options;
    if (recent >= limit) {
      this.currentMode = 'software';
      this.options.log.record({
        type: 'gpu-mode-changed',
        mode: 'software',
        reason: `the GPU process crashed ${recent} times within ${Math.round(windowMs / 1000)} s`,
      });
      // No GPU process at all in software mode: the standby goes too.
      if (this.standbyTimer !== undefined) this.options.clock.clearTimeout(this.standbyTimer);
      this.standbyTimer = undefined;
      this.standbyHost?.stop();
      this.modeEmitter.fire('software');
      return;
    }
    if (this.promoteStandby()) return;
    // Restart at once, as Chrome does; from a fresh task so a launch that fails at once cannot recurse.
    this.options.clock.setTimeout(() => void this.start(), 0);
  }
}
