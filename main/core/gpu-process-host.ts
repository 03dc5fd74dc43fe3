/**
 * The GPU process, supervised as Chrome does (content/browser/gpu/fallback.md): restarted at once
 * after every unexpected exit; after `crashLimit` crashes within `crashWindowMs`
 * (kGpuFallbackCrashCount = 3) the next start is software compositing, where tabs rasterize their
 * display lists themselves; a crash is forgiven once the window has passed since it. The browser
 * also brokers each tab's direct channel to the GPU process and tells tabs to ask again after a
 * restart, so they resume drawing without a reload.
 */
import { GpuHost, GpuService } from '../../protocol/interfaces/browser-gpu.ts';
import type { GpuMode } from '../../protocol/interfaces/browser-state.ts';
import { loopbackWebSocketBroker } from './channel-broker.ts';
import type { Clock } from './clock.ts';
import { CrashTracker } from './crash-tracker.ts';
import { Emitter } from './emitter.ts';
import type { EventLog } from './event-log.ts';
import type { ChannelTrafficReading } from './metrics-sampler.ts';
import type { ChannelBroker, ChannelEndpoint, UtilityProcessLauncher } from './ports.ts';
import type { ProcessRegistry } from './process-registry.ts';
import { readChannelTraffic, UtilityProcessHost } from './utility-process-host.ts';

export const GPU_PROCESS_ID = 'gpu';
export const DEFAULT_GPU_CRASH_LIMIT = 3;
export const DEFAULT_GPU_CRASH_WINDOW_MS = 60_000;

export interface GpuProcessHostOptions {
  readonly launcher: UtilityProcessLauncher;
  readonly registry: ProcessRegistry;
  readonly log: EventLog;
  readonly clock: Clock;
  readonly crashLimit?: number;
  readonly crashWindowMs?: number;
  readonly startTimeoutMs?: number;
  /** A GPU process that answers no ping for this long is hung and is ended (Chrome's GPU watchdog). */
  readonly hangTimeoutMs?: number;
  /** How tabs' channels are brokered; loopback WebSocket grants by default. */
  readonly broker?: ChannelBroker;
}

export const DEFAULT_GPU_HANG_TIMEOUT_MS = 5000;

/** Where a tab draws: through its own channel to the GPU process, or on its own canvas. */
export type GpuChannelGrant =
  | { readonly mode: 'hardware'; readonly channel: ChannelEndpoint; readonly gpuPid: number }
  | { readonly mode: 'software' };

export class GpuProcessHost {
  private currentMode: GpuMode = 'hardware';
  private readonly tracker: CrashTracker;
  private readonly host: UtilityProcessHost<typeof GpuService, typeof GpuHost>;
  private starting: Promise<void> | undefined;
  private disposed = false;

  private readonly modeEmitter = new Emitter<GpuMode>();
  private readonly readyEmitter = new Emitter<{ pid: number }>();
  /** Compositing switched to software (the GPU process is given up on). */
  readonly onDidChangeMode = this.modeEmitter.event;
  /** A (re)started GPU process is ready: clients should establish a new channel. */
  readonly onDidBecomeReady = this.readyEmitter.event;

  constructor(private readonly options: GpuProcessHostOptions) {
    this.tracker = new CrashTracker(options.clock, {
      limit: options.crashLimit ?? DEFAULT_GPU_CRASH_LIMIT,
      windowMs: options.crashWindowMs ?? DEFAULT_GPU_CRASH_WINDOW_MS,
    });
    this.host = new UtilityProcessHost({
      kind: 'gpu',
      id: GPU_PROCESS_ID,
      label: 'GPU process',
      launcher: options.launcher,
      registry: options.registry,
      log: options.log,
      service: GpuService,
      host: GpuHost,
      handlers: {},
      hangWatch: { clock: options.clock, thresholdMs: options.hangTimeoutMs ?? DEFAULT_GPU_HANG_TIMEOUT_MS, killWhenHung: true },
      ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    });
    this.host.onDidBecomeReady(({ pid }) => this.readyEmitter.fire({ pid }));
    this.host.onDidExit(({ expected }) => {
      if (!expected && !this.disposed) this.onCrash();
    });
  }

  get mode(): GpuMode {
    return this.currentMode;
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  /** Crashes within the current window. */
  get recentCrashes(): number {
    return this.tracker.recentCrashes();
  }

  /** Starts the GPU process (in hardware mode). Resolves once it is ready or has been given up on. */
  start(): Promise<void> {
    if (this.currentMode === 'software' || this.disposed) return Promise.resolve();
    this.starting ??= this.host
      .start()
      .then(
        () => undefined,
        // A failed start ends in an exit, which onCrash counts and answers; nothing to add here.
        () => undefined,
      )
      .finally(() => {
        this.starting = undefined;
      });
    return this.starting;
  }

  /** A direct channel for `clientId`, or software mode. Waits for a GPU process that is starting. */
  async establishChannel(clientId: string): Promise<GpuChannelGrant> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.currentMode === 'software') return { mode: 'software' };
      if (this.starting) await this.starting;
      const service = this.host.service;
      const child = this.host.launched;
      const pid = this.host.pid;
      if (service && child && pid !== undefined) {
        try {
          const channel = await (this.options.broker ?? loopbackWebSocketBroker).establish(
            {
              kind: 'gpu',
              child,
              grantWebSocket: async (id) => (await service.establishChannel({ clientId: id }, { timeoutMs: 5000 })).url,
            },
            clientId,
          );
          return { mode: 'hardware', channel, gpuPid: pid };
        } catch {
          // It died under us: its restart (or the switch to software) is on its way; ask again.
        }
      }
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, 50));
    }
    throw new Error('No GPU channel: the GPU process did not become ready');
  }

  /** Tells the GPU process to close a client's channel (its tab closed). */
  closeChannel(clientId: string): void {
    this.host.service?.closeChannel({ clientId }).catch(() => {});
  }

  /** chrome://gpucrash: a real native abort in the GPU process. */
  crash(): void {
    this.host.service?.crash({}).catch(() => {});
  }

  /** chrome://gpuhang: the GPU process's main thread spins. */
  hang(ms?: number): void {
    this.host.service?.hang(ms === undefined ? {} : { ms }).catch(() => {});
  }

  /**
   * Messages the GPU process counted on each tab's direct channel (cumulative), with its pid (the counts
   * start again with a new process); undefined when it is not running or does not answer within `timeoutMs`.
   */
  channelTraffic(timeoutMs: number): Promise<ChannelTrafficReading | undefined> {
    return readChannelTraffic(this.host, timeoutMs);
  }

  /** "End process" in the task manager: killed from outside, counted like any crash. */
  kill(): void {
    this.host.terminate({ reason: 'killed', signal: 'SIGKILL' });
  }

  dispose(): void {
    this.disposed = true;
    this.host.stop();
  }

  private onCrash(): void {
    const recent = this.tracker.recordCrash();
    if (recent >= this.tracker.options.limit) {
      this.currentMode = 'software';
      this.options.log.record({
        type: 'gpu-mode-changed',
        mode: 'software',
        reason: `the GPU process crashed ${recent} times within ${Math.round(this.tracker.options.windowMs / 1000)} s`,
      });
      this.modeEmitter.fire('software');
      return;
    }
    // Restart at once, as Chrome does; from a fresh task so a launch that fails at once cannot recurse.
    this.options.clock.setTimeout(() => void this.start(), 0);
  }
}
