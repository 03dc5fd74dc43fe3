/**
 * The task manager's figures: every second, each live process's CPU and memory (through the shell's
 * ProcessMetricsSource port) and how many typed IPC messages per second the browser process exchanged
 * with it (from the IPC tracer). The browser process's endpoints see every message to and from each
 * child, so a record is counted for its peer: the receiver of what the browser sent, the sender of
 * what it received. The browser's own row counts every message.
 *
 * Sampling runs only while someone watches: `watch()` starts it (and subscribes to the tracer, which
 * makes every endpoint build trace records), and it stops `idleTimeoutMs` after the last `watch()`.
 */
import type { Static } from '../../protocol/rpc/schema.ts';
import type { ProcessMetricsInfo } from '../../protocol/interfaces/ui-browser.ts';
import { ipcTracer, type TraceRecord, type Tracer } from '../../protocol/rpc/trace.ts';
import type { PeerIdentity } from '../../protocol/transport/transport.ts';
import type { Clock, TimerId } from './clock.ts';
import type { ProcessMetricsSource } from './ports.ts';
import type { ProcessRegistry } from './process-registry.ts';

export type ProcessMetricsRow = Static<typeof ProcessMetricsInfo>;

export const DEFAULT_SAMPLE_INTERVAL_MS = 1000;
export const DEFAULT_IDLE_TIMEOUT_MS = 5000;

export interface MetricsSamplerOptions {
  readonly registry: ProcessRegistry;
  readonly clock: Clock;
  /** CPU and memory; without one (a shell that cannot measure) rows carry IPC rates only. */
  readonly source?: ProcessMetricsSource;
  readonly tracer?: Tracer;
  /** The registry id of the browser process, whose row counts every message. */
  readonly browserId: string;
  /** Which renderer process (registry id) a tab's page runs in: renderer peers are named by tab id. */
  readonly rendererOfTab: (tabId: string) => string | undefined;
  readonly intervalMs?: number;
  readonly idleTimeoutMs?: number;
}

/** The registry id a trace record's peer stands for, or undefined when it is no registered process. */
export function peerProcessId(
  peer: PeerIdentity,
  registry: Pick<ProcessRegistry, 'list'>,
  rendererOfTab: (tabId: string) => string | undefined,
): string | undefined {
  if (peer.process === 'renderer' && peer.id !== undefined) {
    const rendererId = rendererOfTab(String(peer.id));
    if (rendererId !== undefined) return rendererId;
  }
  const processes = registry.list();
  if (peer.pid !== undefined) {
    const byPid = processes.find((process) => process.pid === peer.pid && process.kind !== 'browser');
    if (byPid) return byPid.id;
  }
  // Utility children are one per role: their peer names the role ('gpu', 'plugin-host').
  if (peer.process === 'gpu' || peer.process === 'plugin-host') return processes.find((process) => process.kind === peer.process)?.id;
  return undefined;
}

export class MetricsSampler {
  private readonly tracer: Tracer;
  private readonly intervalMs: number;
  private readonly idleTimeoutMs: number;
  private stopTracing: (() => void) | undefined;
  private timer: TimerId | undefined;
  private lastWatchedAt = 0;
  private lastSampleAt = 0;
  /** Messages since the last sample, by registry id. */
  private counts = new Map<string, number>();
  private total = 0;
  private latest: ProcessMetricsRow[] = [];
  private sampling: Promise<void> | undefined;

  constructor(private readonly options: MetricsSamplerOptions) {
    this.tracer = options.tracer ?? ipcTracer;
    this.intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** Whether it samples (and traces) now. */
  get running(): boolean {
    return this.stopTracing !== undefined;
  }

  /**
   * Someone looks at the figures: starts sampling if it was idle (the first answer then has memory
   * and no CPU yet, as CPU needs two samples) and returns the latest sample.
   */
  async watch(): Promise<ProcessMetricsRow[]> {
    this.lastWatchedAt = this.options.clock.now();
    if (!this.running) {
      this.counts = new Map();
      this.total = 0;
      this.lastSampleAt = this.options.clock.now();
      this.stopTracing = this.tracer.subscribe((record) => this.count(record));
      await this.sample();
      this.schedule();
    } else if (this.sampling) {
      await this.sampling;
    }
    return this.latest;
  }

  stop(): void {
    this.stopTracing?.();
    this.stopTracing = undefined;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private count(record: TraceRecord): void {
    this.total++;
    const peer = record.direction === 'send' ? record.to : record.from;
    const id = peerProcessId(peer, this.options.registry, this.options.rendererOfTab);
    if (id !== undefined) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      if (this.options.clock.now() - this.lastWatchedAt > this.idleTimeoutMs) return this.stop();
      void this.sample().finally(() => {
        if (this.running && this.timer === undefined) this.schedule();
      });
    }, this.intervalMs);
  }

  private sample(): Promise<void> {
    this.sampling ??= this.takeSample().finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private async takeSample(): Promise<void> {
    const { registry, source, browserId } = this.options;
    const now = this.options.clock.now();
    const seconds = (now - this.lastSampleAt) / 1000;
    const counts = this.counts;
    const total = this.total;
    this.counts = new Map();
    this.total = 0;
    this.lastSampleAt = now;
    const rate = (n: number) => (seconds > 0 ? n / seconds : 0);

    const live = registry.list().filter((process) => process.pid !== undefined && !['crashed', 'killed', 'exited'].includes(process.state));
    let measured = new Map<number, { cpuPercent: number; memoryBytes: number }>();
    if (source) {
      try {
        measured = await source.sample(live.map((process) => process.pid!));
      } catch {
        // A failed read leaves the figures blank for one second, never breaks the task manager.
      }
    }
    this.latest = live.map((process) => {
      const figures = measured.get(process.pid!);
      return {
        id: process.id,
        ...(figures ? { cpuPercent: figures.cpuPercent, memoryBytes: figures.memoryBytes } : {}),
        ipcPerSecond: rate(process.id === browserId ? total : (counts.get(process.id) ?? 0)),
      };
    });
  }
}
