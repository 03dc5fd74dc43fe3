// The architecture map's traffic: which edge a traced message travels on (peers mapped to processes
// by the rule the browser's metrics sampler uses: protocol/interfaces/peer-process.ts), counts per edge and direction, pulse strength, messages/s
// over a sliding window, and the direct channels' rates the GPU process and plugin host count. Pure,
// so it runs in Node tests (architecture-map.test.ts); use-traffic.ts feeds it from the browser.
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { peerProcessIndex, processOfPeer, type PeerProcessIndex } from '../../../protocol/interfaces/peer-process.ts';
import type { DirectChannelMetrics } from '../../../protocol/interfaces/ui-browser.ts';
import type { Static } from '../../../protocol/rpc/schema.ts';
import type { BrowserView } from '../connection/browser-state.ts';
import type { TraceRow } from '../ipc-inspector/ipc-inspector.ts';
import { formatRate } from '../task-manager/task-manager.ts';
import { directEdgeId, ipcEdgeId } from './architecture-map.ts';

/** What a trace record's peer stands for, as the browser's metrics sampler decides it (protocol/interfaces/peer-process.ts). */
export type PeerIndex = PeerProcessIndex;
export { processOfPeer };

export function peerIndex(view: Pick<BrowserView, 'tabs' | 'processes'>): PeerIndex {
  const rendererOfTab = new Map(view.tabs.map((tab) => [tab.id, tab.rendererId]));
  return peerProcessIndex(view.processes, (tabId) => rendererOfTab.get(tabId));
}

/**
 * The edge a record travels on (every record is the browser process's own: it sent it or received
 * it), and which way: `outbound` from the browser to the other process.
 */
export function edgeOfRecord(
  record: Pick<TraceRow, 'direction' | 'from' | 'to'>,
  index: PeerIndex,
): { edgeId: string; outbound: boolean } | undefined {
  const outbound = record.direction === 'send';
  const processId = processOfPeer(outbound ? record.to : record.from, index);
  return processId === undefined ? undefined : { edgeId: ipcEdgeId(processId), outbound };
}

/** Messages on one edge: from the browser (`out`) and to it (`in`). */
export interface EdgeTraffic {
  out: number;
  in: number;
}

/**
 * Counts records per edge and direction. `scale` stands in for records that were not read (a flood:
 * one page was read as a sample of all of them).
 */
export function countTraffic(
  records: readonly Pick<TraceRow, 'direction' | 'from' | 'to'>[],
  index: PeerIndex,
  scale = 1,
): Map<string, EdgeTraffic> {
  const counts = new Map<string, EdgeTraffic>();
  for (const record of records) {
    const edge = edgeOfRecord(record, index);
    if (!edge) continue;
    let traffic = counts.get(edge.edgeId);
    if (!traffic) counts.set(edge.edgeId, (traffic = { out: 0, in: 0 }));
    if (edge.outbound) traffic.out += 1;
    else traffic.in += 1;
  }
  if (scale !== 1) {
    for (const traffic of counts.values()) {
      traffic.out = Math.round(traffic.out * scale);
      traffic.in = Math.round(traffic.in * scale);
    }
  }
  return counts;
}

/** How strongly one pulse shows `count` messages: 0 for none, about 0.3 for 1, 1 from 1,000 on (log scale). */
export function pulseStrength(count: number): number {
  if (count <= 0) return 0;
  return Math.min(1, 0.3 + Math.log10(count) * (0.7 / 3));
}

/**
 * Messages per second per edge over a sliding window of samples (one per poll). Before a whole
 * window has passed, the rate is over the time since the first sample.
 */
export class TrafficMeter {
  private samples: { at: number; counts: ReadonlyMap<string, EdgeTraffic> }[] = [];
  private startedAt: number | undefined;

  constructor(private readonly windowMs = 1000) {}

  /** Counting starts at `now` (milliseconds); the first sample counts from here. */
  start(now: number): void {
    this.startedAt = now;
    this.samples = [];
  }

  /** Messages counted since the previous sample (or the start), at `now`. */
  add(now: number, counts: ReadonlyMap<string, EdgeTraffic>): void {
    this.startedAt ??= now;
    this.samples.push({ at: now, counts });
    while (this.samples.length && this.samples[0]!.at <= now - this.windowMs) this.samples.shift();
  }

  /** Messages per second on the edge; 0 where none was seen, undefined before counting started. */
  rate(edgeId: string, now: number): number | undefined {
    if (this.startedAt === undefined) return undefined;
    const span = Math.min(this.windowMs, now - this.startedAt);
    if (span <= 0) return undefined;
    let total = 0;
    for (const sample of this.samples) {
      if (sample.at <= now - this.windowMs) continue;
      const traffic = sample.counts.get(edgeId);
      if (traffic) total += traffic.out + traffic.in;
    }
    return (total * 1000) / span;
  }
}

/** An edge's rate label: "0/s", "2.5/s", "148/s". */
export function formatEdgeRate(perSecond: number): string {
  return `${formatRate(perSecond)}/s`;
}

// ---- traffic on the direct channels: counted by the GPU process and plugin host ----------------

/** Messages per second on a direct edge, summed over the renderer's tabs: both ways, to the child (GPU process, plugin host), to the tabs. */
export interface DirectEdgeRate {
  readonly perSecond: number;
  readonly toChild: number;
  readonly toTab: number;
}

/**
 * The direct edges' rates from getMetrics's `channels` (per tab, as the GPU process and plugin host
 * counted them; the browser never sees these messages): each tab's figures go to its renderer's
 * edge of that interface, summed over the renderer's tabs. Tabs the view does not know are left out.
 */
export function directEdgeRates(
  channels: readonly Static<typeof DirectChannelMetrics>[],
  tabs: readonly Pick<TabInfo, 'id' | 'rendererId'>[],
): Map<string, DirectEdgeRate> {
  const rendererOfTab = new Map(tabs.map((tab) => [tab.id, tab.rendererId]));
  const rates = new Map<string, DirectEdgeRate>();
  for (const channel of channels) {
    const rendererId = rendererOfTab.get(channel.tabId);
    if (rendererId === undefined) continue;
    const edgeId = directEdgeId(channel.interface, rendererId);
    const sum = rates.get(edgeId) ?? { perSecond: 0, toChild: 0, toTab: 0 };
    rates.set(edgeId, {
      perSecond: sum.perSecond + channel.perSecond,
      toChild: sum.toChild + channel.toChildPerSecond,
      toTab: sum.toTab + channel.toTabPerSecond,
    });
  }
  return rates;
}
