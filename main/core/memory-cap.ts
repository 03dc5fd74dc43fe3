/**
 * The renderer memory cap: a renderer whose memory goes over it is ended by the browser with reason
 * `oom` (Electron's vocabulary), and its tabs' sad tab says "out of memory".
 *
 * Why the browser measures and ends it itself: on Linux Chromium reports a renderer over V8's heap
 * limit as `crashed` (SIGTRAP), never `oom`, and memory outside the V8 heap (a page's ArrayBuffers,
 * what lab://memory-hog allocates) meets no limit at all before the whole machine runs short. So
 * the cap is read from the memory figures the shells already take for the task manager (the
 * Chromium shell: PSS from /proc; Electron: app.getAppMetrics()), sampled here on their own timer,
 * since the task manager samples only while it is open.
 *
 * `--lab-renderer-memory-cap=<MiB>` sets it (both shells); `off` turns it off.
 */
import type { ProcessInfo } from '../../protocol/interfaces/browser-state.ts';
import type { Clock, TimerId } from './clock.ts';

const MIB = 1024 * 1024;

/** 1 GiB by default: twice what the hungriest built-in page holds (memory-hog: 512 MB), so only a runaway page meets it. */
export const DEFAULT_RENDERER_MEMORY_CAP_BYTES = 1024 * MIB;
/** How often renderers are measured: the memory-hog grows 50 MB a second, so a second overshoots by ~50 MB. */
export const DEFAULT_MEMORY_CHECK_INTERVAL_MS = 1000;

/** The switch's name, without the leading dashes. */
export const RENDERER_MEMORY_CAP_SWITCH = 'lab-renderer-memory-cap';

/**
 * The cap in bytes from the switch's value (MiB, a whole number of at least 16), undefined for
 * `off`, the default when absent or empty. Anything else is refused saying what is accepted.
 */
export function memoryCapFromSwitch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return DEFAULT_RENDERER_MEMORY_CAP_BYTES;
  if (value === 'off') return undefined;
  const mib = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(mib >= 16)) {
    throw new Error(
      `--${RENDERER_MEMORY_CAP_SWITCH}=${value} is not accepted: give the cap in MiB (at least 16), e.g. --${RENDERER_MEMORY_CAP_SWITCH}=1024, or off`,
    );
  }
  return mib * MIB;
}

/** One renderer's memory as measured. */
export interface RendererMemory {
  readonly rendererId: string;
  readonly pid: number;
  readonly memoryBytes: number;
}

/** The decision: which renderers are over the cap (strictly more than `capBytes`). */
export function overMemoryCap(readings: readonly RendererMemory[], capBytes: number): RendererMemory[] {
  return readings.filter((reading) => reading.memoryBytes > capBytes);
}

/** Measures processes' memory in bytes, by pid (a pid gone meanwhile is left out). The shells' port. */
export interface MemoryReader {
  memoryBytes(pids: readonly number[]): Promise<Map<number, number>>;
}

export interface RendererMemoryCapOptions {
  readonly reader: MemoryReader;
  readonly capBytes: number;
  readonly clock: Clock;
  /** The live renderer processes (the registry's). */
  readonly renderers: () => readonly ProcessInfo[];
  /** Ends a renderer over the cap; called once per renderer process (pid). */
  readonly onOverCap: (reading: RendererMemory) => void;
  readonly intervalMs?: number;
}

/** Measures every live renderer each interval and hands those over the cap to `onOverCap`. */
export class RendererMemoryCap {
  private timer: TimerId | undefined;
  private disposed = false;
  /** Pids already handed over: their end takes a moment, and one end is enough. */
  private readonly ended = new Set<number>();

  constructor(private readonly options: RendererMemoryCapOptions) {}

  get capBytes(): number {
    return this.options.capBytes;
  }

  start(): void {
    if (this.disposed || this.timer !== undefined) return;
    this.schedule();
  }

  /** One measurement now: what `start()` does each interval. */
  async check(): Promise<RendererMemory[]> {
    const live = this.options
      .renderers()
      .filter((process) => process.pid !== undefined && ['running', 'unresponsive'].includes(process.state));
    if (!live.length) return [];
    const bytes = await this.options.reader.memoryBytes(live.map((process) => process.pid!));
    if (this.disposed) return [];
    const readings = live.flatMap((process) => {
      const memoryBytes = bytes.get(process.pid!);
      return memoryBytes === undefined ? [] : [{ rendererId: process.id, pid: process.pid!, memoryBytes }];
    });
    const over = overMemoryCap(readings, this.options.capBytes).filter((reading) => !this.ended.has(reading.pid));
    for (const reading of over) {
      this.ended.add(reading.pid);
      this.options.onOverCap(reading);
    }
    // Forget pids no longer live (a pid may be reused by a later renderer).
    const livePids = new Set(live.map((process) => process.pid));
    for (const pid of this.ended) if (!livePids.has(pid)) this.ended.delete(pid);
    return over;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.check()
        .catch((error: unknown) => console.error('[memory cap] measuring the renderers failed:', error))
        .finally(() => {
          if (!this.disposed) this.schedule();
        });
    }, this.options.intervalMs ?? DEFAULT_MEMORY_CHECK_INTERVAL_MS);
  }
}
