/**
 * The IPC inspector's data path: the last `capacity` trace records of the browser process's
 * endpoints (every message it sends or receives), numbered, in a ring buffer the UI pages through
 * with `since(seq)`. Tracing costs every endpoint a record per message, so the buffer subscribes to
 * the tracer only while someone reads: `since()` starts it, and it stops `idleTimeoutMs` after the
 * last read. What recording costs while someone reads: main/core/tracing.bench.ts (`npm run bench:tracing`).
 */
import { TRACE_KINDS, TRACE_RECEIVED } from '../../protocol/interfaces/ui-browser.ts';
import type { TraceEntryInfo, TracePageInfo } from '../../protocol/interfaces/trace-page.ts';
import { ipcTracer, type TraceKind, type TraceRecord, type Tracer } from '../../protocol/rpc/trace.ts';
import type { PeerIdentity } from '../../protocol/transport/transport.ts';
import type { Clock, TimerId } from './clock.ts';

export type { TraceEntryInfo, TracePageInfo };

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

const KIND_INDEX = Object.fromEntries(TRACE_KINDS.map((kind, index) => [kind, index])) as Readonly<Record<TraceKind, number>>;

/** A record's numbers in the ring, in a row: NaN where a record has none. */
const KIND = 0; // the kind's index, + 8 for a received record
const CALL_ID = 1;
const SIZE = 2;
const SENT_AT = 3;
const RECEIVED_AT = 4;
const ROUND_TRIP = 5;
const NUMBERS = 6;
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
   * one record is two short runs of memory to write and to read. Copied into a columnar page only when read.
   */
  private readonly numbers: Float64Array;
  private readonly references: (PeerIdentity | string | undefined)[];
  /** Bad-message reasons, by slot; rare, so a map rather than a column. */
  private readonly errors = new Map<number, string>();
  /** A peer as pages carry it (clipped to the schema), made once per identity. */
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
    return this.page(from, to, Math.max(0, oldest - sinceSeq));
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
    numbers[n + KIND] = KIND_INDEX[record.kind] + (record.direction === 'receive' ? TRACE_RECEIVED : 0);
    numbers[n + CALL_ID] = record.callId ?? Number.NaN;
    numbers[n + SIZE] = Math.max(0, Math.round(record.size));
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

  /**
   * Records [from, to) as the UI protocol carries them: a columnar TracePage filled straight from the
   * ring's rows (no object per record), each distinct peer and string once, strings clipped to the
   * schema's bounds.
   */
  private page(from: number, to: number, dropped: number): TracePageInfo {
    const count = to - from;
    const numbers = this.numbers;
    const references = this.references;
    const peers: TraceEntryInfo['from'][] = [];
    const peerIndex = new Map<PeerIdentity, number>();
    const names: string[] = [];
    const nameIndex = new Map<string, number>();
    const errors: string[] = [];
    const codes = new Array<number>(count);
    const fromColumn = new Array<number>(count);
    const toColumn = new Array<number>(count);
    const interfaceColumn = new Array<number>(count);
    const methodColumn = new Array<number>(count);
    const callId = new Array<number | null>(count);
    const size = new Array<number>(count);
    const sentAt = new Array<number>(count);
    const receivedAt = new Array<number | null>(count);
    const roundTripMs = new Array<number | null>(count);
    const error = new Array<number | null>(count);
    // Records come in runs from a few peers and names: the last one looked up is checked first.
    let lastPeer: PeerIdentity | undefined;
    let lastPeerIndex = 0;
    const peerOf = (identity: PeerIdentity) => {
      if (identity === lastPeer) return lastPeerIndex;
      let index = peerIndex.get(identity);
      if (index === undefined) {
        peerIndex.set(identity, (index = peers.length));
        peers.push(this.peer(identity));
      }
      lastPeer = identity;
      return (lastPeerIndex = index);
    };
    const nameOf = (name: string) => {
      let index = nameIndex.get(name);
      if (index === undefined) {
        nameIndex.set(name, (index = names.length));
        names.push(clip(name, 64));
      }
      return index;
    };
    let lastInterface: string | undefined;
    let lastInterfaceIndex = 0;
    let lastMethod: string | undefined;
    let lastMethodIndex = 0;
    const anyErrors = this.errors.size > 0;
    for (let i = 0, seq = from; i < count; i++, seq++) {
      const slot = seq % this.capacity;
      const n = slot * NUMBERS;
      const r = slot * REFERENCES;
      codes[i] = numbers[n + KIND]!;
      fromColumn[i] = peerOf(references[r + FROM] as PeerIdentity);
      toColumn[i] = peerOf(references[r + TO] as PeerIdentity);
      const iface = references[r + INTERFACE] as string;
      if (iface !== lastInterface) lastInterfaceIndex = nameOf((lastInterface = iface));
      interfaceColumn[i] = lastInterfaceIndex;
      const method = references[r + METHOD] as string;
      if (method !== lastMethod) lastMethodIndex = nameOf((lastMethod = method));
      methodColumn[i] = lastMethodIndex;
      const id = numbers[n + CALL_ID]!;
      callId[i] = id === id ? id : null; // NaN: none
      size[i] = numbers[n + SIZE]!;
      sentAt[i] = numbers[n + SENT_AT]!;
      const received = numbers[n + RECEIVED_AT]!;
      receivedAt[i] = received === received ? received : null;
      const roundTrip = numbers[n + ROUND_TRIP]!;
      roundTripMs[i] = roundTrip === roundTrip ? roundTrip : null;
      const text = anyErrors ? this.errors.get(slot) : undefined;
      error[i] = text === undefined ? null : errors.push(clip(text, 256)) - 1;
    }
    return {
      firstSeq: from,
      peers,
      names,
      errors,
      codes,
      from: fromColumn,
      to: toColumn,
      interface: interfaceColumn,
      method: methodColumn,
      callId,
      size,
      sentAt,
      receivedAt,
      roundTripMs,
      error,
      nextSeq: to,
      dropped,
    };
  }

  private scheduleIdleCheck(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.options.clock.now() - this.lastReadAt >= this.idleTimeoutMs) this.stop();
      else this.scheduleIdleCheck();
    }, this.idleTimeoutMs);
  }
}
