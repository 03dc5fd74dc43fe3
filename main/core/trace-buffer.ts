/**
 * The IPC inspector's data path: the last `capacity` trace records of the browser process's
 * endpoints (every message it sends or receives), numbered, in a ring buffer the UI pages through
 * with `since(seq)`, copied in from the tracer's batches (`since()` flushes the tracer first, so a
 * page holds every message until then). Tracing costs every endpoint a staged record per message, so
 * the buffer subscribes to the tracer only while someone reads: `since()` starts it, and it stops
 * `idleTimeoutMs` after the last read. What recording costs while someone reads: bench/tracing.bench.ts (`npm run bench:tracing`).
 */
import { TRACE_FIELD, TRACE_FIELDS, TRACE_KINDS, TRACE_NONE, TRACE_PAGE_ROUTES, TRACE_RECEIVED } from '../../protocol/interfaces/ui-browser.ts';
import type { TraceEntryInfo, TracePageInfo, TraceRouteInfo } from '../../protocol/interfaces/trace-page.ts';
import {
  ipcTracer,
  TRACE_CALL_ID as CALL_ID,
  TRACE_RECEIVED_AT as RECEIVED_AT,
  TRACE_ROUND_TRIP as ROUND_TRIP,
  TRACE_ROW as NUMBERS,
  TRACE_SENT_AT as SENT_AT,
  TRACE_SIZE as SIZE,
  type TraceBatch,
  type TraceKind,
  type TraceRoute,
  type Tracer,
} from '../../protocol/rpc/trace.ts';
import type { PeerIdentity } from '../../protocol/transport/transport.ts';
import type { Clock, TimerId } from './clock.ts';

export type { TraceEntryInfo, TracePageInfo };

export const DEFAULT_TRACE_CAPACITY = 10_000;
export const DEFAULT_TRACE_IDLE_MS = 5000;
export const DEFAULT_TRACE_PAGE = 2000;

export interface TraceBufferOptions {
  readonly clock: Clock;
  readonly tracer?: Tracer;
  readonly capacity?: number;
  readonly idleTimeoutMs?: number;
  /** The most records one `since()` returns. */
  readonly pageSize?: number;
}

const INT32_MAX = 0x7fff_ffff;
/** A whole number clipped to the int32 words of a page (TRACE_NONE, the smallest, means none). */
const int32 = (value: number) => (value > INT32_MAX ? INT32_MAX : value <= TRACE_NONE ? TRACE_NONE + 1 : value);

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

function peer(identity: PeerIdentity): TraceEntryInfo['from'] {
  return {
    process: clip(identity.process, 32),
    ...(identity.id === undefined ? {} : { id: typeof identity.id === 'string' ? clip(identity.id, 64) : identity.id }),
    ...(identity.pid === undefined ? {} : { pid: identity.pid }),
  };
}

const KIND_INDEX = Object.fromEntries(TRACE_KINDS.map((kind, index) => [kind, index])) as Readonly<Record<TraceKind, number>>;


export class TraceBuffer {
  private readonly capacity: number;
  private readonly tracer: Tracer;
  private readonly idleTimeoutMs: number;
  private readonly pageSize: number;
  /**
   * The ring: a record's numbers are copied into one row of a Float64Array and its route (shared by
   * every message of it) into one slot of an array, and the record itself is dropped, so records die
   * young (in the cheap scavenge) rather than surviving into the old generation as 10,000 live
   * objects, and writing one costs a single reference store. Copied into a columnar page only when read.
   */
  private readonly numbers: Float64Array;
  private readonly routes: (TraceRoute | undefined)[];
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
    this.routes = new Array<TraceRoute | undefined>(this.capacity).fill(undefined);
  }

  get tracing(): boolean {
    return this.stopTracing !== undefined;
  }

  /** Records from `sinceSeq` on (at most a page), and starts or keeps tracing. */
  since(sinceSeq: number): TracePageInfo {
    this.lastReadAt = this.options.clock.now();
    if (!this.tracing) {
      this.stopTracing = this.tracer.subscribe((batch) => this.add(batch));
      this.scheduleIdleCheck();
    }
    this.tracer.flush();
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

  /** Copies a batch in: its rows as they are (the ring's rows are the tracer's), its routes, its errors. */
  private add(batch: TraceBatch): void {
    const { capacity, routes, errors } = this;
    // Only the last `capacity` of a batch can be held.
    const skip = Math.max(0, batch.length - capacity);
    const first = this.nextSeq + skip;
    for (let i = skip; i < batch.length; ) {
      const slot = (first + i - skip) % capacity;
      const run = Math.min(batch.length - i, capacity - slot); // up to the ring's end, then wrap
      this.numbers.set(batch.numbers.subarray(i * NUMBERS, (i + run) * NUMBERS), slot * NUMBERS);
      for (let k = 0; k < run; k++) routes[slot + k] = batch.routes[i + k];
      if (errors.size > 0) for (let k = 0; k < run; k++) errors.delete(slot + k);
      i += run;
    }
    this.nextSeq += batch.length;
    for (const [i, error] of batch.errors) if (i >= skip) errors.set((first + i - skip) % capacity, error);
  }

  private peer(identity: PeerIdentity): TraceEntryInfo['from'] {
    let entry = this.peers.get(identity);
    if (!entry) this.peers.set(identity, (entry = peer(identity)));
    return entry;
  }

  /**
   * Records [from, to) as the UI protocol carries them (a TracePage): each distinct peer, string and
   * route once in tables, strings clipped to the schema's bounds, and every record's numbers written
   * straight from the ring's row into one buffer, base64-encoded at the end (no object or array per
   * record). Times count whole microseconds from the first record's own-clock time. A record starts
   * the next page instead when its own-clock time is too far from that for 32 bits, or when it would
   * need a route or error past the page's TRACE_PAGE_ROUTES.
   */
  private page(from: number, to: number, dropped: number): TracePageInfo {
    const numbers = this.numbers;
    const ringRoutes = this.routes;
    const peers: TraceEntryInfo['from'][] = [];
    const peerIndex = new Map<PeerIdentity, number>();
    const names: string[] = [];
    const nameIndex = new Map<string, number>();
    const routes: TraceRouteInfo[] = [];
    const routeIndex = new Map<TraceRoute, number>();
    const errors: string[] = [];
    const peerOf = (identity: PeerIdentity) => {
      let index = peerIndex.get(identity);
      if (index === undefined) {
        peerIndex.set(identity, (index = peers.length));
        peers.push(this.peer(identity));
      }
      return index;
    };
    const nameOf = (name: string) => {
      let index = nameIndex.get(name);
      if (index === undefined) {
        nameIndex.set(name, (index = names.length));
        names.push(clip(name, 64));
      }
      return index;
    };
    const routeOf = (route: TraceRoute) => {
      let index = routeIndex.get(route);
      if (index === undefined) {
        routeIndex.set(route, (index = routes.length));
        routes.push({
          code: KIND_INDEX[route.kind] + (route.direction === 'receive' ? TRACE_RECEIVED : 0),
          from: peerOf(route.from),
          to: peerOf(route.to),
          interface: nameOf(route.interface),
          method: nameOf(route.method),
        });
      }
      return index;
    };
    const ownTime = (n: number) => (numbers[n + RECEIVED_AT] === numbers[n + RECEIVED_AT] ? numbers[n + RECEIVED_AT]! : numbers[n + SENT_AT]!);
    const timeBase = to > from ? Math.floor(ownTime((from % this.capacity) * NUMBERS)) : 0;
    const buffer = Buffer.allocUnsafe((to - from) * TRACE_FIELDS * 4);
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const anyErrors = this.errors.size > 0;
    let count = 0;
    for (let seq = from; seq < to; seq++, count++) {
      const slot = seq % this.capacity;
      const n = slot * NUMBERS;
      const own = Math.round((ownTime(n) - timeBase) * 1000);
      if (own <= TRACE_NONE || own > INT32_MAX) break; // (never the first record: its offset is under 1 ms)
      const route = ringRoutes[slot]!;
      const text = anyErrors ? this.errors.get(slot) : undefined;
      // A page names at most TRACE_PAGE_ROUTES routes and errors (then it fits the UI's channel).
      if ((routes.length === TRACE_PAGE_ROUTES && !routeIndex.has(route)) || (text !== undefined && errors.length === TRACE_PAGE_ROUTES)) break;
      const at = count * TRACE_FIELDS * 4;
      view.setInt32(at + TRACE_FIELD.route * 4, routeOf(route), true);
      const id = numbers[n + CALL_ID]!;
      if (id === id) {
        view.setInt32(at + TRACE_FIELD.callIdHigh * 4, Math.floor(id / 2 ** 32), true);
        view.setUint32(at + TRACE_FIELD.callIdLow * 4, id % 2 ** 32, true);
      } else {
        view.setInt32(at + TRACE_FIELD.callIdHigh * 4, TRACE_NONE, true);
        view.setInt32(at + TRACE_FIELD.callIdLow * 4, 0, true);
      }
      view.setInt32(at + TRACE_FIELD.size * 4, int32(Math.max(0, Math.round(numbers[n + SIZE]!))), true);
      const received = numbers[n + RECEIVED_AT]!;
      // A received record's send time may be its sender's clock: clipped, where the receive time is exact.
      view.setInt32(at + TRACE_FIELD.sentAt * 4, received === received ? int32(Math.round((numbers[n + SENT_AT]! - timeBase) * 1000)) : own, true);
      view.setInt32(at + TRACE_FIELD.receivedAt * 4, received === received ? own : TRACE_NONE, true);
      const trip = numbers[n + ROUND_TRIP]!;
      view.setInt32(at + TRACE_FIELD.roundTrip * 4, trip === trip ? int32(Math.max(0, Math.round(trip * 1000))) : TRACE_NONE, true);
      view.setInt32(at + TRACE_FIELD.error * 4, text === undefined ? TRACE_NONE : errors.push(clip(text, 256)) - 1, true);
    }
    return {
      firstSeq: from,
      count,
      timeBase,
      peers,
      names,
      routes,
      errors,
      records: buffer.toString('base64', 0, count * TRACE_FIELDS * 4),
      nextSeq: from + count,
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
