/**
 * The page's compositor for an animated canvas. The page paints each frame on a RecordingContext;
 * the display list goes over the tab's direct channel to the GPU process (a WebSocket or a delivered
 * MessagePort, direct-channel.ts), which rasterizes it with Skia and answers with the pixels, drawn
 * into the visible <canvas> (hardware compositing). In software compositing, or with no browser at
 * all, the page replays the list on the canvas itself.
 *
 * - At most one frame in flight: a frame asked for while one is out is dropped, not queued.
 * - The GPU process dies: its channel closes, the last frame stays visible, the mode is 'none', and
 *   the page waits for the browser's `gpuChanged` to ask for a channel again (no reload). A slow
 *   retry covers an event that never comes.
 * - A frame that fails (Skia refused an op, a timeout) is dropped and logged; the page goes on.
 *
 * Visible to tests and the UI on <html>: data-gpu-mode ('hardware' | 'software' | 'none'),
 * data-gpu-pid (hardware only), data-frames-drawn, data-frames-failed.
 */
import type { DisplayList } from '../../protocol/interfaces/display-list.ts';
import { GpuChannel, GpuChannelClient } from '../../protocol/interfaces/tab-gpu.ts';
import type { Connection } from '../../protocol/rpc/endpoint.ts';
import { Backoff } from './backoff.ts';
import type { BrowserConnection } from './browser-channel.ts';
import { openDirectChannel } from './direct-channel.ts';
import { RecordingContext } from './recording-context.ts';
import { putPixels, replayOnCanvas } from './software-raster.ts';

export type CompositingMode = 'hardware' | 'software' | 'none';
type GpuConnection = Connection<typeof GpuChannelClient, typeof GpuChannel>;

/** A frame the GPU process takes longer than this for is dropped (a hung GPU process is ended by the browser). */
const RASTER_TIMEOUT_MS = 3000;
/** The browser waits for a (re)starting GPU process before it answers. */
const REQUEST_TIMEOUT_MS = 20_000;
/** After the channel closed, ask again by ourselves if no `gpuChanged` came by then. */
const SAFETY_RETRY_MS = 5000;
/** The smallest list the channel carries: nothing to draw on one pixel, answered with its 4 bytes. */
const EMPTY_LIST: DisplayList = { width: 1, height: 1, ops: [] };

/** What `timeRoundTrips` measured on the tab's GPU channel. */
export interface GpuRoundTrips {
  /** Each round trip as the page saw it (performance.now around `rasterize`). */
  readonly roundTripsMs: readonly number[];
  /** The GPU process's own share of each (replaying the empty list, reading one pixel back). */
  readonly rasterMs: readonly number[];
  readonly gpuPid: number;
  /** The request's payload as JSON (the list); the answer carries 4 bytes of pixels and two numbers. */
  readonly payloadBytes: number;
}

export class NoGpuChannelError extends Error {
  constructor(readonly mode: CompositingMode) {
    super(
      mode === 'software'
        ? 'compositing is in software: this tab has no GPU channel'
        : 'no GPU channel came in time (the GPU process is gone or starting)',
    );
    this.name = 'NoGpuChannelError';
  }
}

export interface GpuCompositorOptions {
  /** The visible canvas the frames end up in. */
  readonly canvas: HTMLCanvasElement;
  /** The tab's channel to the browser; without one the page composites in software. */
  readonly browser: BrowserConnection | undefined;
  /** Where the data-gpu-* attributes go (default: <html>). */
  readonly status?: HTMLElement;
}

export class GpuCompositor {
  private currentMode: CompositingMode = 'none';
  private pid: number | undefined;
  private channel: GpuConnection | undefined;
  /** Aborts the channel request (and socket) in progress when a newer one starts. */
  private pending: AbortController | undefined;
  private inFlight = false;
  private readonly retry = new Backoff(1000, 10_000);
  private readonly modeListeners = new Set<(mode: CompositingMode) => void>();
  private readonly canvas: HTMLCanvasElement;
  private readonly status: HTMLElement;
  private failureLogged = false;

  framesDrawn = 0;
  framesFailed = 0;
  /** Frames asked for while one was in flight (or with no way to draw). */
  framesDropped = 0;
  /** The GPU process's replay and read-back time of the last frame, in hardware mode. */
  lastRasterMs: number | undefined;

  constructor(private readonly options: GpuCompositorOptions) {
    this.canvas = options.canvas;
    this.status = options.status ?? document.documentElement;
    this.status.dataset.framesDrawn = '0';
    this.status.dataset.framesFailed = '0';
    const { browser } = options;
    if (!browser) {
      this.setMode('software');
      return;
    }
    this.setMode('none');
    // The GPU process restarted, or compositing fell back to software: ask again.
    browser.on('gpuChanged', () => void this.requestChannel());
    void this.requestChannel();
  }

  get mode(): CompositingMode {
    return this.currentMode;
  }

  /** The GPU process drawing the frames, in hardware mode. */
  get gpuPid(): number | undefined {
    return this.pid;
  }

  /** Calls `listener` on every change of mode (and of GPU process); returns the unsubscribe. */
  onDidChangeMode(listener: (mode: CompositingMode) => void): () => void {
    this.modeListeners.add(listener);
    return () => this.modeListeners.delete(listener);
  }

  /**
   * Paints one frame: `paint` records on a context the size of the canvas, and the list is
   * composited. Returns false when the frame was dropped (one in flight, or no way to draw now);
   * then `paint` is not called at all.
   */
  drawFrame(paint: (context: RecordingContext) => void): boolean {
    if (!this.canDraw()) return this.dropped();
    const context = new RecordingContext(this.canvas.width, this.canvas.height);
    paint(context);
    return this.submit(context.finish());
  }

  /** Composites a recorded list; false when it was dropped. */
  submit(list: DisplayList): boolean {
    if (!this.canDraw()) return this.dropped();
    if (this.currentMode === 'software') {
      try {
        replayOnCanvas(this.canvas, list);
        this.drawn();
      } catch (error) {
        this.failed(error);
      }
      return true;
    }
    const channel = this.channel!;
    this.inFlight = true;
    channel.remote
      .rasterize(list, { timeoutMs: RASTER_TIMEOUT_MS })
      .then(
        (frame) => {
          // A frame from a channel already replaced is stale: the new channel draws the next one.
          if (channel !== this.channel) return;
          putPixels(this.canvas, frame.width, frame.height, frame.pixels);
          this.lastRasterMs = frame.rasterMs;
          this.drawn();
        },
        (error: unknown) => {
          // The channel closing mid-frame is not the frame's fault: the close handler reports that.
          if (!channel.closed) this.failed(error);
        },
      )
      .finally(() => {
        this.inFlight = false;
      });
    return true;
  }

  /**
   * Times `count` round trips of the smallest message this tab's GPU channel carries (an empty 1×1
   * display list) once the channel is up (waiting up to `waitMs`). Chrome sends its GPU process only
   * small "look" messages like this (commands and tiles go through shared memory), so the IPC lab puts
   * this round trip beside its shared-memory rings. Frames asked for meanwhile are dropped, as when
   * one is in flight. Throws NoGpuChannelError in software mode or without a channel by then.
   */
  async timeRoundTrips(count: number, { waitMs = 10_000 } = {}): Promise<GpuRoundTrips> {
    const channel = await this.hardwareChannel(waitMs);
    if (this.inFlight) throw new Error('a frame is in flight on this GPU channel: time the round trips apart');
    this.inFlight = true;
    const roundTripsMs: number[] = [];
    const rasterMs: number[] = [];
    let gpuPid = this.pid!;
    try {
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        const frame = await channel.remote.rasterize(EMPTY_LIST, { timeoutMs: RASTER_TIMEOUT_MS });
        roundTripsMs.push(performance.now() - started);
        rasterMs.push(frame.rasterMs);
        gpuPid = frame.gpuPid;
      }
    } finally {
      this.inFlight = false;
    }
    return { roundTripsMs, rasterMs, gpuPid, payloadBytes: JSON.stringify(EMPTY_LIST).length };
  }

  /** The channel once the mode is hardware, waiting for it up to `waitMs`. */
  private async hardwareChannel(waitMs: number): Promise<GpuConnection> {
    const ready = () =>
      this.currentMode === 'hardware' && this.channel && !this.channel.closed ? this.channel : undefined;
    const now = ready();
    if (now) return now;
    if (this.currentMode === 'software') throw new NoGpuChannelError('software');
    return new Promise<GpuConnection>((resolve, reject) => {
      const settle = (timedOut: boolean) => {
        const channel = ready();
        if (!channel && !timedOut && this.currentMode !== 'software') return; // still coming
        clearTimeout(timer);
        unsubscribe();
        if (channel) resolve(channel);
        else reject(new NoGpuChannelError(this.currentMode));
      };
      const timer = setTimeout(() => settle(true), waitMs);
      const unsubscribe = this.onDidChangeMode(() => settle(false));
    });
  }

  private canDraw(): boolean {
    if (this.currentMode === 'software') return true;
    return this.currentMode === 'hardware' && !this.inFlight && this.channel !== undefined && !this.channel.closed;
  }

  private dropped(): false {
    this.framesDropped++;
    return false;
  }

  private drawn(): void {
    this.framesDrawn++;
    this.failureLogged = false;
    this.status.dataset.framesDrawn = String(this.framesDrawn);
  }

  private failed(error: unknown): void {
    this.framesFailed++;
    this.status.dataset.framesFailed = String(this.framesFailed);
    // Once per run of failures: a broken frame repeats 30 times a second.
    if (!this.failureLogged) {
      this.failureLogged = true;
      const code = (error as { code?: unknown })?.code;
      console.warn(
        `[tab-runtime] a frame failed (${this.currentMode}${typeof code === 'string' ? `, ${code}` : ''}): ${(error as Error)?.message ?? String(error)}`,
      );
    }
  }

  /** Asks the browser for a GPU channel (or software mode) and connects; the newest request wins. */
  private async requestChannel(): Promise<void> {
    const { browser } = this.options;
    if (!browser) return;
    this.retry.cancel();
    this.pending?.abort(new Error('a newer GPU channel request replaced this one'));
    const request = new AbortController();
    this.pending = request;
    // The old channel's GPU process is gone (or going): stop drawing through it. Software mode
    // keeps drawing until the answer says otherwise.
    if (this.currentMode === 'hardware') {
      this.closeChannel('the browser asked for a new GPU channel');
      this.setMode('none');
    }
    try {
      const grant = await browser.remote.requestGpuChannel(
        {},
        { timeoutMs: REQUEST_TIMEOUT_MS, signal: request.signal },
      );
      if (request.signal.aborted) return;
      if (grant.mode === 'software') {
        this.closeChannel('compositing is in software');
        this.retry.succeeded();
        this.setMode('software');
        return;
      }
      const channel = await openDirectChannel({
        channel: grant.channel,
        local: GpuChannelClient,
        remote: GpuChannel,
        peer: { process: 'gpu', pid: grant.gpuPid },
        signal: request.signal,
      });
      if (request.signal.aborted) return channel.close('replaced by a newer request');
      this.closeChannel('replaced by a new GPU channel');
      this.channel = channel;
      channel.onDidClose(() => this.onChannelClosed(channel));
      this.retry.succeeded();
      this.setMode('hardware', grant.gpuPid);
    } catch (error) {
      if (request.signal.aborted) return;
      console.warn(`[tab-runtime] no GPU channel: ${(error as Error)?.message ?? String(error)}; asking again shortly`);
      if (this.currentMode === 'hardware') this.closeChannel('the GPU channel request failed');
      if (this.currentMode !== 'software') this.setMode('none');
      this.retry.schedule(() => void this.requestChannel());
    } finally {
      if (this.pending === request) this.pending = undefined;
    }
  }

  /** The GPU process went away: keep the last frame, stop drawing, wait for `gpuChanged`. */
  private onChannelClosed(channel: GpuConnection): void {
    if (channel !== this.channel) return;
    this.channel = undefined;
    console.info(
      '[tab-runtime] the GPU channel closed (GPU process gone?): keeping the last frame until the browser says it is back',
    );
    this.setMode('none');
    this.retry.scheduleIn(SAFETY_RETRY_MS, () => void this.requestChannel());
  }

  private closeChannel(reason: string): void {
    const channel = this.channel;
    this.channel = undefined;
    channel?.close(reason);
  }

  private setMode(mode: CompositingMode, pid?: number): void {
    const changed = mode !== this.currentMode || pid !== this.pid;
    this.currentMode = mode;
    this.pid = mode === 'hardware' ? pid : undefined;
    this.status.dataset.gpuMode = mode;
    if (this.pid === undefined) delete this.status.dataset.gpuPid;
    else this.status.dataset.gpuPid = String(this.pid);
    if (changed) for (const listener of this.modeListeners) listener(mode);
  }
}
