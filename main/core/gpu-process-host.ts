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
import { DisposableStore } from './disposable.ts';
import { Emitter } from './emitter.ts';
import type { ChannelTrafficReading } from './metrics-sampler.ts';
import type { ChannelEndpoint } from './ports.ts';
import { UtilityProcessHost, type ChildProcessHostOptions } from './utility-process-host.ts';

export const GPU_PROCESS_ID = 'gpu';
/** Chrome's kGpuFallbackCrashCount: this many crashes within the window mean software compositing. */
export const DEFAULT_GPU_CRASH_LIMIT = 3;
export const DEFAULT_GPU_CRASH_WINDOW_MS = 60_000;
export const DEFAULT_GPU_HANG_TIMEOUT_MS = 5000;
/** How often a tab's channel request asks again while the GPU process (re)starts, and how long between. */
const CHANNEL_ATTEMPTS = 5;
const CHANNEL_RETRY_MS = 50;

export interface GpuProcessHostOptions extends ChildProcessHostOptions {
  /** A GPU process that answers no ping for this long is hung and is ended (Chrome's GPU watchdog). */
  readonly hangTimeoutMs?: number;
}

/** Where a tab draws: through its own channel to the GPU process, or on its own canvas. */
export type GpuChannelGrant =
  | { readonly mode: 'hardware'; readonly channel: ChannelEndpoint; readonly gpuPid: number }
  | { readonly mode: 'software' };

export class GpuProcessHost {
  private currentMode: GpuMode = 'hardware';
  private readonly host: UtilityProcessHost<typeof GpuService, typeof GpuHost>;
  private readonly subscriptions = new DisposableStore();
  private disposed = false;

  private readonly modeEmitter = new Emitter<GpuMode>();
  /** Compositing switched to software (the GPU process is given up on). */
  readonly onDidChangeMode = this.modeEmitter.event;
  /** A (re)started GPU process is ready: clients should establish a new channel. */
  readonly onDidBecomeReady: (listener: (info: { readonly pid: number }) => void) => () => void;

  constructor(private readonly options: GpuProcessHostOptions) {
    this.host = new UtilityProcessHost(options, {
      kind: 'gpu',
      id: GPU_PROCESS_ID,
      label: 'GPU process',
      service: GpuService,
      host: GpuHost,
      handlers: {},
      crashes: { limit: DEFAULT_GPU_CRASH_LIMIT, windowMs: DEFAULT_GPU_CRASH_WINDOW_MS },
      hangWatch: { thresholdMs: options.hangTimeoutMs ?? DEFAULT_GPU_HANG_TIMEOUT_MS, killWhenHung: true },
    });
    this.onDidBecomeReady = this.host.onDidBecomeReady;
    this.subscriptions.add(
      this.host.onDidExit(({ expected, recentCrashes }) => {
        if (!expected && !this.disposed) this.onCrash(recentCrashes);
      }),
    );
  }

  get mode(): GpuMode {
    return this.currentMode;
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  /** Crashes within the current window. */
  get recentCrashes(): number {
    return this.host.crashes.recentCrashes();
  }

  /** Starts the GPU process (in hardware mode). Resolves once it is ready or has been given up on. */
  start(): Promise<void> {
    if (this.currentMode === 'software' || this.disposed) return Promise.resolve();
    return this.host.start().then(
      () => undefined,
      // A failed start ends in an exit, which onCrash counts and answers; nothing to add here.
      () => undefined,
    );
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

  /** "End process" in the task manager: killed from outside, counted like any crash. */
  kill(): void {
    this.host.kill();
  }

  dispose(): void {
    this.disposed = true;
    this.subscriptions.dispose();
    this.host.dispose();
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
      this.modeEmitter.fire('software');
      return;
    }
    // Restart at once, as Chrome does; from a fresh task so a launch that fails at once cannot recurse.
    this.options.clock.setTimeout(() => void this.start(), 0);
  }
}
