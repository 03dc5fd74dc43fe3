// The map's live traffic, read from the browser while the map is shown: the trace (getTrace every
// 500 ms) for the browser's channels and getMetrics (every second) for the direct ones. Each read
// goes into a small store per kind; an edge subscribes to its own entry only, so a read re-renders
// the edges that changed, never the whole map.
import { createContext, useCallback, useContext, useRef, useState, useSyncExternalStore } from 'react';
import { TRACE_PAGE } from '../../../protocol/interfaces/trace-page.ts';
import type { BrowserView } from '../connection/browser-state.ts';
import { useBrowserClient } from '../connection/use-browser.ts';
import { traceRows } from '../ipc-inspector/ipc-inspector.ts';
import { usePolling } from '../shared/use-polling.ts';
import {
  countTraffic,
  directEdgeRates,
  TrafficMeter,
  type DirectEdgeRate,
  type EdgeTraffic,
  type PeerIndex,
} from './traffic.ts';

/** How often the visible map reads the trace; one pulse per edge and direction at most per read. */
export const MAP_POLL_MS = 500;
/** Edge rates are over this window: long enough that a ping every 1.25 s does not flicker between 0 and 2/s. */
const RATE_WINDOW_MS = 2000;
/** A getTrace `sinceSeq` past any record: answers nothing but the newest seq (skips what is not needed). */
const NEWEST = Number.MAX_SAFE_INTEGER;

// ---- traffic: a small store each edge reads its own entry from --------------------------------

export interface EdgeSignal {
  /** Bumped for every new pulse: the pulse element is re-created, which restarts its animation. */
  readonly pulse: number;
  readonly out: number;
  readonly in: number;
  /** Messages per second over the last two seconds; undefined until measured. */
  readonly perSecond: number | undefined;
}

/** Per-edge values that each edge component subscribes to alone, so a read re-renders only the edges it changed. */
class EdgeSignals<Signal> {
  protected signals = new Map<string, Signal>();
  protected readonly listeners = new Map<string, Set<() => void>>();

  subscribe = (edgeId: string, listener: () => void) => {
    let set = this.listeners.get(edgeId);
    if (!set) this.listeners.set(edgeId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(edgeId);
    };
  };

  get(edgeId: string): Signal | undefined {
    return this.signals.get(edgeId);
  }

  /** Takes the new values and tells the listeners of the edges that changed. */
  protected replace(next: Map<string, Signal>, changed: Iterable<string>): void {
    this.signals = next;
    for (const edgeId of changed) for (const listener of this.listeners.get(edgeId) ?? []) listener();
  }
}

export class TrafficStore extends EdgeSignals<EdgeSignal> {
  /** One read's traffic: a pulse on every edge that carried messages, and every edge's rate. */
  publish(counts: ReadonlyMap<string, EdgeTraffic>, meter: TrafficMeter, now: number): void {
    const next = new Map<string, EdgeSignal>();
    const changed: string[] = [];
    // The edges drawn (they listen) and any with traffic; a removed edge's entry goes with it.
    for (const edgeId of new Set([...this.listeners.keys(), ...counts.keys()])) {
      const previous = this.signals.get(edgeId);
      const traffic = counts.get(edgeId);
      const perSecond = meter.rate(edgeId, now);
      const signal: EdgeSignal = traffic
        ? { pulse: (previous?.pulse ?? 0) + 1, out: traffic.out, in: traffic.in, perSecond }
        : previous && previous.perSecond === perSecond
          ? previous
          : { pulse: previous?.pulse ?? 0, out: 0, in: 0, perSecond };
      next.set(edgeId, signal);
      if (signal !== previous) changed.push(edgeId);
    }
    this.replace(next, changed);
  }
}

export const TrafficContext = createContext<TrafficStore | undefined>(undefined);

export function useEdgeSignal(edgeId: string): EdgeSignal | undefined {
  const store = useContext(TrafficContext);
  const subscribe = useCallback(
    (listener: () => void) => store?.subscribe(edgeId, listener) ?? (() => {}),
    [store, edgeId],
  );
  return useSyncExternalStore(subscribe, () => store?.get(edgeId));
}

/** Reads the trace while mounted and publishes each read's traffic per edge. */
export function useTraffic(store: TrafficStore, index: PeerIndex): void {
  const client = useBrowserClient();
  // Where the next read starts; undefined until the first read, which starts tracing.
  const nextSeq = useRef<number | undefined>(undefined);
  const [meter] = useState(() => new TrafficMeter(RATE_WINDOW_MS));
  usePolling(async (signal) => {
    if (nextSeq.current === undefined) {
      // The first read starts tracing; what the buffer holds from before is history, not traffic.
      const first = (await client.call('getTrace', { sinceSeq: NEWEST })).nextSeq;
      if (signal.aborted) return;
      nextSeq.current = first;
      meter.start(performance.now());
      return;
    }
    const since = nextSeq.current;
    const page = await client.call('getTrace', { sinceSeq: since });
    const records = traceRows(page);
    nextSeq.current = page.nextSeq;
    let scale = 1;
    if (records.length >= TRACE_PAGE) {
      // A flood: this page stands for everything up to the newest record, which is skipped.
      nextSeq.current = (await client.call('getTrace', { sinceSeq: NEWEST })).nextSeq;
      scale = (nextSeq.current - since) / records.length;
    }
    if (signal.aborted) return;
    const counts = countTraffic(records, index, scale);
    const now = performance.now();
    meter.add(now, counts);
    store.publish(counts, meter, now);
  }, MAP_POLL_MS);
}

// ---- direct channels: their rates from getMetrics --------------------------------------------------

/** How often the visible map reads the direct channels' rates (the browser samples them once a second). */
export const DIRECT_POLL_MS = 1000;

export interface DirectSignal {
  /** Bumped for every read: the pulses are re-created, which restarts their animation. */
  readonly pulse: number;
  readonly rate: DirectEdgeRate;
}

export class DirectTrafficStore extends EdgeSignals<DirectSignal> {
  /** One read's rates: every measured edge gets its rate and a new pulse; an edge no longer measured loses its rate. */
  publish(rates: ReadonlyMap<string, DirectEdgeRate>): void {
    const changed = new Set([...this.signals.keys(), ...rates.keys()]);
    const next = new Map<string, DirectSignal>();
    for (const [edgeId, rate] of rates) next.set(edgeId, { pulse: (this.signals.get(edgeId)?.pulse ?? 0) + 1, rate });
    this.replace(next, changed);
  }
}

export const DirectTrafficContext = createContext<DirectTrafficStore | undefined>(undefined);

export function useDirectSignal(edgeId: string): DirectSignal | undefined {
  const store = useContext(DirectTrafficContext);
  const subscribe = useCallback(
    (listener: () => void) => store?.subscribe(edgeId, listener) ?? (() => {}),
    [store, edgeId],
  );
  return useSyncExternalStore(subscribe, () => store?.get(edgeId));
}

/** Reads the direct channels' rates (getMetrics, which keeps the browser sampling) while mounted. */
export function useDirectTraffic(store: DirectTrafficStore, tabs: BrowserView['tabs']): void {
  const client = useBrowserClient();
  // A failed read is skipped (usePolling): the edges keep their last rates until the next one.
  usePolling(async (signal) => {
    const { channels } = await client.call('getMetrics', {});
    if (!signal.aborted) store.publish(directEdgeRates(channels ?? [], tabs));
  }, DIRECT_POLL_MS);
}
