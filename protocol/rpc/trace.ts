/**
 * The tracing hook: every message an endpoint sends or receives, for the IPC inspector. When nobody
 * subscribes, an endpoint pays one property read per message.
 */
import type { PeerIdentity } from '../transport/transport.ts';

export type TraceKind = 'request' | 'response' | 'error' | 'event' | 'cancel' | 'bad-message';

/**
 * Who sent what to whom: the part of a trace record that every message of one method, kind and
 * direction on one connection shares. An endpoint makes each route once and hands the same object
 * with every such message, so a record carries one reference instead of six fields, and a consumer
 * can count or group by route with an identity lookup.
 */
export interface TraceRoute {
  /** Whether this process sent the message or received it. */
  readonly direction: 'send' | 'receive';
  readonly from: PeerIdentity;
  readonly to: PeerIdentity;
  /** Interface and member, e.g. `GpuService` / `rasterize`; '?' for a message too broken to tell. */
  readonly interface: string;
  readonly method: string;
  readonly kind: TraceKind;
}

/**
 * One message. A listener may keep the record; the endpoint makes a new one per message (only the
 * route is shared).
 */
export interface TraceRecord {
  readonly route: TraceRoute;
  /** Correlates a request with its response, error or cancel. */
  readonly callId?: number;
  /** Estimated size in bytes. */
  readonly size: number;
  /** Epoch milliseconds (sub-millisecond precision) when the sender posted it. */
  readonly sentAt: number;
  /** Epoch milliseconds when it was received; only on 'receive' records. */
  readonly receivedAt?: number;
  /** For responses and errors received: milliseconds since the request was sent. */
  readonly roundTripMs?: number;
  /** For bad messages: why it was rejected. */
  readonly error?: string;
}

export type TraceListener = (record: TraceRecord) => void;

export class Tracer {
  private listeners: readonly TraceListener[] = [];

  /** True while someone listens; endpoints check it before building a record. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  record(record: TraceRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch {
        // A broken trace consumer must never break the channel it watches.
      }
    }
  }
}

/** The process-wide tracer that endpoints use unless given another. */
export const ipcTracer = new Tracer();

/**
 * Read once: the global `performance` is an accessor (in Node and in pages), so each use is a
 * global-load miss, and `timeOrigin` is a getter that costs as much as `now()` (measured per message).
 */
const clock = globalThis.performance;
const timeOrigin = clock.timeOrigin;

/** Wall-clock time in epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function epochNow(): number {
  return timeOrigin + clock.now();
}
