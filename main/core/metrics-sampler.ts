/**
 * The task manager's figures: every second, each live process's CPU, memory and measured sandbox
 * (through the shell's ProcessMetricsSource port) and how many typed IPC messages per second the
 * browser process exchanged with it (from the IPC tracer). The browser process's endpoints see every
 * message to and from each child, so a record is counted for its peer: the receiver of what the
 * browser sent, the sender of what it received. The browser's own row counts every message.
 *
 * The direct channels the browser brokered (a tab to the GPU process or plugin host) bypass it, so
 * their messages are counted by the child serving them; each sample reads those cumulative counts
 * (getChannelTraffic, with a short timeout: a hung or crashed child leaves its figures out) and
 * turns them into rates per tab and interface.
 *
 * Sampling runs only while someone watches: `watch()` starts it (and subscribes to the tracer, which
 * makes every endpoint stage a trace record per message; they are counted in batches, and a sample
 * flushes the tracer first), and it stops `idleTimeoutMs` after the last `watch()`.
 */
import type { Static } from '../../protocol/rpc/schema.ts';
import type { DirectChannelMetrics, ProcessMetricsInfo } from '../../protocol/interfaces/ui-browser.ts';
import { peerProcessIndex, processOfPeer } from '../../protocol/interfaces/peer-process.ts';
import { ipcTracer, type TraceBatch, type Tracer } from '../../protocol/rpc/trace.ts';
import type { PeerIdentity } from '../../protocol/transport/transport.ts';
import type { Clock, TimerId } from './clock.ts';
import type { ProcessMetrics, ProcessMetricsSource } from './ports.ts';
import type { ProcessRegistry } from './process-registry.ts';

export type ProcessMetricsRow = Static<typeof ProcessMetricsInfo>;
export type DirectChannelRow = Static<typeof DirectChannelMetrics>;

/** A child's cumulative counts per client (tab id) of its direct channels; `pid` tells a restarted child's new counts. */
export interface ChannelTrafficReading {
  readonly pid: number;
  readonly channels: readonly { readonly clientId: string; readonly received: number; readonly sent: number }[];
}

/** Where one interface's direct channels are counted: the GPU process (TabGpu), the plugin host (TabPlugin), the lab host (TabLab). */
export interface DirectChannelSource {
  readonly interface: DirectChannelRow['interface'];
  /** The child's counts, or undefined when it is not running or does not answer within `timeoutMs`. */
  read(timeoutMs: number): Promise<ChannelTrafficReading | undefined>;
}

/** How long a sample waits for a child's channel counts. */
export const DEFAULT_TRAFFIC_TIMEOUT_MS = 400;
/** At most this many direct channels per answer (ProcessMetricsReport's bound). */
const MAX_CHANNEL_ROWS = 256;

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
  /** The children that count the direct channels; none: no channel rates. */
  readonly directChannels?: readonly DirectChannelSource[];
  readonly trafficTimeoutMs?: number;
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
  /**
   * Messages since the last sample, by peer identity: endpoints share one peer object per channel,
   * so counting is one map update per message; which process a peer stands for is worked out once a
   * sample, not per message (that lookup cost more than the count, measured by bench:tracing).
   */
  private counts = new Map<PeerIdentity, number>();
  private total = 0;
  private latest: ProcessMetricsRow[] = [];
  /** The direct channels' last counts, by interface, child pid and client, with when they were read. */
  private traffic = new Map<
    string,
    { readonly interface: string; readonly received: number; readonly sent: number; readonly at: number }
  >();
  private latestChannels: DirectChannelRow[] = [];
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
      this.traffic = new Map();
      this.latestChannels = [];
      this.stopTracing = this.tracer.subscribe((batch) => this.count(batch));
      await this.sample();
      this.schedule();
    } else if (this.sampling) {
      await this.sampling;
    }
    return this.latest;
  }

  /** The direct channels' rates as of the latest sample: those measured over two readings. */
  get channels(): readonly DirectChannelRow[] {
    return this.latestChannels;
  }

  stop(): void {
    this.stopTracing?.();
    this.stopTracing = undefined;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private count(batch: TraceBatch): void {
    this.total += batch.length;
    const counts = this.counts;
    for (let i = 0; i < batch.length; i++) {
      const route = batch.routes[i]!;
      const peer = route.direction === 'send' ? route.to : route.from;
      counts.set(peer, (counts.get(peer) ?? 0) + 1);
    }
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
    this.tracer.flush(); // every message until now, counted
    const now = this.options.clock.now();
    const seconds = (now - this.lastSampleAt) / 1000;
    const byPeer = this.counts;
    const total = this.total;
    this.counts = new Map();
    this.total = 0;
    const counts = new Map<string, number>();
    const peers = peerProcessIndex(registry.list(), this.options.rendererOfTab);
    for (const [peer, count] of byPeer) {
      const id = processOfPeer(peer, peers);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + count);
    }
    this.lastSampleAt = now;
    const rate = (n: number) => (seconds > 0 ? n / seconds : 0);

    const live = registry
      .list()
      .filter((process) => process.pid !== undefined && !['crashed', 'killed', 'exited'].includes(process.state));
    let measured = new Map<number, ProcessMetrics>();
    const measuring = (async () => {
      if (!source) return;
      try {
        measured = await source.sample(live.map((process) => process.pid!));
      } catch {
        // A failed read leaves the figures blank for one second, never breaks the task manager.
      }
    })();
    await Promise.all([measuring, this.sampleChannels()]);
    this.latest = live.map((process) => {
      const figures = measured.get(process.pid!);
      return {
        id: process.id,
        ...(figures ? { cpuPercent: figures.cpuPercent, memoryBytes: figures.memoryBytes } : {}),
        ...(figures?.sandbox ? { sandbox: figures.sandbox } : {}),
        ipcPerSecond: rate(process.id === browserId ? total : (counts.get(process.id) ?? 0)),
      };
    });
  }

  /** Reads every child's channel counts (in parallel, each with a timeout) and computes the rates. */
  private async sampleChannels(): Promise<void> {
    const sources = this.options.directChannels ?? [];
    if (!sources.length) return;
    const timeoutMs = this.options.trafficTimeoutMs ?? DEFAULT_TRAFFIC_TIMEOUT_MS;
    const readings = await Promise.all(
      sources.map(async (source) => {
        const reading = await this.withTimeout(source.read(timeoutMs), timeoutMs);
        return { source, reading, at: this.options.clock.now() };
      }),
    );
    const previous = this.traffic;
    const next: typeof previous = new Map();
    const rows: DirectChannelRow[] = [];
    for (const { source, reading, at } of readings) {
      if (!reading) {
        // No answer: the last counts stay, and the next answer's rate spans the gap (they are cumulative).
        for (const [key, entry] of previous) if (entry.interface === source.interface) next.set(key, entry);
        continue;
      }
      for (const channel of reading.channels) {
        const key = `${source.interface}\u0000${reading.pid}\u0000${channel.clientId}`;
        const before = previous.get(key);
        next.set(key, { interface: source.interface, received: channel.received, sent: channel.sent, at });
        if (!before) continue; // first seen: a rate needs two readings
        const seconds = (at - before.at) / 1000;
        const toChild = channel.received - before.received;
        const toTab = channel.sent - before.sent;
        // Counts that went down belong to a new channel under the same id: no rate this time.
        if (seconds <= 0 || toChild < 0 || toTab < 0 || rows.length >= MAX_CHANNEL_ROWS) continue;
        rows.push({
          interface: source.interface,
          tabId: channel.clientId,
          perSecond: (toChild + toTab) / seconds,
          toChildPerSecond: toChild / seconds,
          toTabPerSecond: toTab / seconds,
        });
      }
    }
    this.traffic = next;
    this.latestChannels = rows;
  }

  /** `promise`'s value, or undefined when it fails or takes longer than `ms` (a source that ignores its timeout). */
  private withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
    const { clock } = this.options;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => resolve(undefined), ms + 100);
      promise.then(
        (value) => {
          clock.clearTimeout(timer);
          resolve(value);
        },
        () => {
          clock.clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
  }
}
