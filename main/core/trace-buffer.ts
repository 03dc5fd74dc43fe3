/**
 * The IPC inspector's data path: the last `capacity` trace records of the browser process's
 * endpoints (every message it sends or receives), numbered, in a ring buffer the UI pages through
 * with `since(seq)`. Tracing costs every endpoint a record per message, so the buffer subscribes to
 * the tracer only while someone reads: `since()` starts it, and it stops `idleTimeoutMs` after the
 * last read.
 */
import type { TraceEntry, TracePage } from '../../protocol/interfaces/ui-browser.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
import { ipcTracer, type TraceRecord, type Tracer } from '../../protocol/rpc/trace.ts';
import type { PeerIdentity } from '../../protocol/transport/transport.ts';
import type { Clock, TimerId } from './clock.ts';

export type TraceEntryInfo = Static<typeof TraceEntry>;
export type TracePageInfo = Static<typeof TracePage>;

export const DEFAULT_TRACE_CAPACITY = 10_000;
export const DEFAULT_TRACE_IDLE_MS = 5000;
export const DEFAULT_TRACE_PAGE = 500;

export interface TraceBufferOptions {
  readonly clock: Clock;
  readonly tracer?: Tracer;
  readonly capacity?: number;
  readonly idleTimeoutMs?: number;
  /** The most records one `since()` returns. */
  readonly pageSize?: number;
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

function peer(identity: PeerIdentity): TraceEntryInfo['from'] {
  return {
    process: clip(identity.process, 32),
    ...(identity.id === undefined ? {} : { id: typeof identity.id === 'string' ? clip(identity.id, 64) : identity.id }),
    ...(identity.pid === undefined ? {} : { pid: identity.pid }),
  };
}

/** A trace record as the UI protocol carries it: strings clipped to the schema's bounds. */
export function toEntry(seq: number, record: TraceRecord): TraceEntryInfo {
  return {
    seq,
    direction: record.direction,
    from: peer(record.from),
    to: peer(record.to),
    interface: clip(record.interface, 64),
    method: clip(record.method, 64),
    kind: record.kind,
    ...(record.callId === undefined ? {} : { callId: record.callId }),
    size: Math.max(0, Math.round(record.size)),
    sentAt: record.sentAt,
    ...(record.receivedAt === undefined ? {} : { receivedAt: record.receivedAt }),
    ...(record.roundTripMs === undefined ? {} : { roundTripMs: record.roundTripMs }),
    ...(record.error === undefined ? {} : { error: clip(record.error, 256) }),
  };
}

export class TraceBuffer {
  private readonly capacity: number;
  private readonly tracer: Tracer;
  private readonly idleTimeoutMs: number;
  private readonly pageSize: number;
  /** Raw records; converted only when read, so recording stays one array store per message. */
  private readonly ring: (TraceRecord | undefined)[];
  /** The seq the next record gets; records seq in [nextSeq - min(nextSeq, capacity), nextSeq) are held. */
  private nextSeq = 0;
  private stopTracing: (() => void) | undefined;
  private timer: TimerId | undefined;
  private lastReadAt = 0;

  constructor(private readonly options: TraceBufferOptions) {
    this.capacity = options.capacity ?? DEFAULT_TRACE_CAPACITY;
    this.tracer = options.tracer ?? ipcTracer;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_TRACE_IDLE_MS;
    this.pageSize = options.pageSize ?? DEFAULT_TRACE_PAGE;
    this.ring = new Array<TraceRecord | undefined>(this.capacity);
  }

  get tracing(): boolean {
    return this.stopTracing !== undefined;
  }

  /** Records from `sinceSeq` on (at most a page), and starts or keeps tracing. */
  since(sinceSeq: number): TracePageInfo {
    this.lastReadAt = this.options.clock.now();
    if (!this.tracing) {
      this.stopTracing = this.tracer.subscribe((record) => this.add(record));
      this.scheduleIdleCheck();
    }
    const oldest = Math.max(0, this.nextSeq - this.capacity);
    const from = Math.min(Math.max(sinceSeq, oldest), this.nextSeq);
    const to = Math.min(this.nextSeq, from + this.pageSize);
    const records: TraceEntryInfo[] = [];
    for (let seq = from; seq < to; seq++) records.push(toEntry(seq, this.ring[seq % this.capacity]!));
    return { records, nextSeq: to, dropped: Math.max(0, oldest - sinceSeq) };
  }

  stop(): void {
    this.stopTracing?.();
    this.stopTracing = undefined;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private add(record: TraceRecord): void {
    this.ring[this.nextSeq % this.capacity] = record;
    this.nextSeq++;
  }

  private scheduleIdleCheck(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.options.clock.now() - this.lastReadAt >= this.idleTimeoutMs) this.stop();
      else this.scheduleIdleCheck();
    }, this.idleTimeoutMs);
  }
}
