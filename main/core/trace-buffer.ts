/**
 * The IPC inspector's data path: the last `capacity` trace records of the browser process's
 * endpoints (every message it sends or receives), numbered, in a ring buffer the UI pages through
 * with `since(seq)`. Tracing costs every endpoint a record per message, so the buffer subscribes to
 * the tracer only while someone reads: `since()` starts it, and it stops `idleTimeoutMs` after the
 * last read. What recording costs while someone reads: main/core/tracing.bench.ts (`npm run bench:tracing`).
 */
import type { TraceEntry, TracePage } from '../../protocol/interfaces/ui-browser.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
import { ipcTracer, type TraceKind, type TraceRecord, type Tracer } from '../../protocol/rpc/trace.ts';
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

const KINDS: readonly TraceKind[] = ['request', 'response', 'error', 'event', 'cancel', 'bad-message'];
const KIND_INDEX: Readonly<Record<TraceKind, number>> = { request: 0, response: 1, error: 2, event: 3, cancel: 4, 'bad-message': 5 };

/** A record's numbers in the ring, in a row: NaN where a record has none. */
const KIND = 0; // the kind's index, + 8 for a received record
const CALL_ID = 1;
const SIZE = 2;
const SENT_AT = 3;
const RECEIVED_AT = 4;
const ROUND_TRIP = 5;
const NUMBERS = 6;
const RECEIVED = 8;
/** A record's references in the ring, in a row. */
const FROM = 0;
const TO = 1;
const INTERFACE = 2;
const METHOD = 3;
const REFERENCES = 4;

export class TraceBuffer {
  private readonly capacity: number;
  private readonly tracer: Tracer;
  private readonly idleTimeoutMs: number;
  private readonly pageSize: number;
  /**
   * The ring: a record's fields are copied in (its numbers in one row of a Float64Array, its peers
   * and names in one row of an array) and the record itself is dropped, so records die young (in
   * the cheap scavenge) rather than surviving into the old generation as 10,000 live objects, and
   * one record is two short runs of memory to write and to read. Converted to entries only when read.
   */
  private readonly numbers: Float64Array;
  private readonly references: (PeerIdentity | string | undefined)[];
  /** Bad-message reasons, by slot; rare, so a map rather than a column. */
  private readonly errors = new Map<number, string>();
  /** A peer as entries carry it, made once per identity: pages then repeat one object, not copies. */
  private readonly peers = new WeakMap<PeerIdentity, TraceEntryInfo['from']>();
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
    this.numbers = new Float64Array(this.capacity * NUMBERS);
    this.references = new Array<PeerIdentity | string | undefined>(this.capacity * REFERENCES).fill(undefined);
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
    for (let seq = from; seq < to; seq++) records.push(this.entry(seq));
    return { records, nextSeq: to, dropped: Math.max(0, oldest - sinceSeq) };
  }

  stop(): void {
    this.stopTracing?.();
    this.stopTracing = undefined;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private add(record: TraceRecord): void {
    const slot = this.nextSeq % this.capacity;
    this.nextSeq++;
    const n = slot * NUMBERS;
    const numbers = this.numbers;
    numbers[n + KIND] = KIND_INDEX[record.kind] + (record.direction === 'receive' ? RECEIVED : 0);
    numbers[n + CALL_ID] = record.callId ?? Number.NaN;
    numbers[n + SIZE] = record.size;
    numbers[n + SENT_AT] = record.sentAt;
    numbers[n + RECEIVED_AT] = record.receivedAt ?? Number.NaN;
    numbers[n + ROUND_TRIP] = record.roundTripMs ?? Number.NaN;
    const r = slot * REFERENCES;
    const references = this.references;
    references[r + FROM] = record.from;
    references[r + TO] = record.to;
    references[r + INTERFACE] = record.interface;
    references[r + METHOD] = record.method;
    if (record.error !== undefined) this.errors.set(slot, record.error);
    else if (this.errors.size > 0) this.errors.delete(slot);
  }

  private peer(identity: PeerIdentity): TraceEntryInfo['from'] {
    let entry = this.peers.get(identity);
    if (!entry) this.peers.set(identity, (entry = peer(identity)));
    return entry;
  }

  /** The record `seq` as the UI protocol carries it: strings clipped to the schema's bounds. */
  private entry(seq: number): TraceEntryInfo {
    const slot = seq % this.capacity;
    const n = slot * NUMBERS;
    const r = slot * REFERENCES;
    const numbers = this.numbers;
    const references = this.references;
    const kind = numbers[n + KIND]!;
    const entry: { -readonly [K in keyof TraceEntryInfo]: TraceEntryInfo[K] } = {
      seq,
      direction: kind >= RECEIVED ? 'receive' : 'send',
      from: this.peer(references[r + FROM] as PeerIdentity),
      to: this.peer(references[r + TO] as PeerIdentity),
      interface: clip(references[r + INTERFACE] as string, 64),
      method: clip(references[r + METHOD] as string, 64),
      kind: KINDS[kind % RECEIVED]!,
      size: Math.max(0, Math.round(numbers[n + SIZE]!)),
      sentAt: numbers[n + SENT_AT]!,
    };
    const callId = numbers[n + CALL_ID]!;
    if (!Number.isNaN(callId)) entry.callId = callId;
    const receivedAt = numbers[n + RECEIVED_AT]!;
    if (!Number.isNaN(receivedAt)) entry.receivedAt = receivedAt;
    const roundTripMs = numbers[n + ROUND_TRIP]!;
    if (!Number.isNaN(roundTripMs)) entry.roundTripMs = roundTripMs;
    const error = this.errors.size > 0 ? this.errors.get(slot) : undefined;
    if (error !== undefined) entry.error = clip(error, 256);
    return entry;
  }

  private scheduleIdleCheck(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.options.clock.now() - this.lastReadAt >= this.idleTimeoutMs) this.stop();
      else this.scheduleIdleCheck();
    }, this.idleTimeoutMs);
  }
}
