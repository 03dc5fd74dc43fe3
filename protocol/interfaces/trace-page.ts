/**
 * The trace page, the IPC inspector's wire format (getTrace's answer), in one place: its schema, the
 * records' field offsets, the page size, the encoder (the browser process's TraceBuffer, from its
 * ring of trace rows) and the decoder (the UI: the IPC inspector, the architecture map; tests).
 *
 * What records share is in tables, each distinct entry once: peers and names, and routes (kind,
 * direction, from, to, interface, method) that index them. Each record's numbers are TRACE_FIELDS
 * int32 words (TRACE_FIELD), little-endian, sent as base64 in `records`. Times are whole
 * microseconds from the page's `timeBase` (as Chrome's trace format counts them). Binary because
 * the inspector reads thousands of records a second: filling and base64-encoding one buffer costs
 * the browser process less than building number arrays and writing them as JSON text, and the UI
 * checks one string, not thousands of numbers. Runs in every process: no Node built-ins (base64 by
 * hand where the runtime has no `Uint8Array.prototype.toBase64`). Over 400 lines because the
 * format's schema, encoder and decoder belong together: one file to change when the format does.
 */
import type { TLiteral } from 'typebox';
import { Struct, Type, type Static } from '../rpc/schema.ts';
import {
  TRACE_CALL_ID as CALL_ID,
  TRACE_KINDS,
  TRACE_RECEIVED_AT as RECEIVED_AT,
  TRACE_ROUND_TRIP as ROUND_TRIP,
  TRACE_ROW as NUMBERS,
  TRACE_SENT_AT as SENT_AT,
  TRACE_SIZE as SIZE,
  type TraceKind,
  type TraceRoute as TracedRoute,
} from '../rpc/trace.ts';
import type { PeerIdentity } from '../transport/transport.ts';

/** How many trace records one getTrace answer carries at most. */
export const TRACE_PAGE = 2000;
/**
 * The most routes (and errors) one page names; a record that would need one more starts the next
 * page. With it the largest possible page fits the UI channel's 1 MiB messages (string-channel.ts).
 */
export const TRACE_PAGE_ROUTES = 256;

/** A route's `code`: its kind's index in TRACE_KINDS, plus TRACE_RECEIVED when the browser received it. */
export const TRACE_RECEIVED = 8;

/**
 * A record's numbers: TRACE_FIELDS 32-bit integers, little-endian, at these offsets; TRACE_NONE
 * where a record has none. A call id takes two words (high, then low as unsigned): it can pass 2^32.
 */
export const TRACE_FIELD = {
  route: 0,
  callIdHigh: 1,
  callIdLow: 2,
  size: 3,
  sentAt: 4,
  receivedAt: 5,
  roundTrip: 6,
  error: 7,
} as const;
export const TRACE_FIELDS = 8;
export const TRACE_NONE = -0x8000_0000;

/** TRACE_KINDS as schema literals, typed one by one (a plain `map` would type them as one array). */
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K] & string> };
const KIND_LITERALS = TRACE_KINDS.map((kind) => Type.Literal(kind)) as unknown as Literals<typeof TRACE_KINDS>;

const MAX_PROCESS = 32;
const MAX_ID = 64;
const MAX_NAME = 64;
const MAX_ERROR = 256;

export const TracePeer = Struct({
  process: Type.String({ maxLength: MAX_PROCESS }),
  id: Type.Optional(Type.Union([Type.String({ maxLength: MAX_ID }), Type.Number()])),
  pid: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** One typed message the browser process sent or received (protocol/rpc/trace.ts), numbered. */
export const TraceEntry = Struct({
  seq: Type.Integer({ minimum: 0 }),
  direction: Type.Union([Type.Literal('send'), Type.Literal('receive')]),
  from: TracePeer,
  to: TracePeer,
  interface: Type.String({ maxLength: MAX_NAME }),
  method: Type.String({ maxLength: MAX_NAME }),
  kind: Type.Union(KIND_LITERALS),
  callId: Type.Optional(Type.Integer({ minimum: 0 })),
  size: Type.Integer({ minimum: 0 }),
  sentAt: Type.Number(),
  receivedAt: Type.Optional(Type.Number()),
  roundTripMs: Type.Optional(Type.Number()),
  error: Type.Optional(Type.String({ maxLength: MAX_ERROR })),
});

const Index = (count: number) => Type.Integer({ minimum: 0, maximum: count - 1 });

/** Who sent what to whom, shared by the records of one route: indexes into the page's tables. */
export const TraceRoute = Struct({
  /** The kind (TRACE_KINDS index), + TRACE_RECEIVED for a record the browser received. */
  code: Type.Union([
    Type.Integer({ minimum: 0, maximum: TRACE_KINDS.length - 1 }),
    Type.Integer({ minimum: TRACE_RECEIVED, maximum: TRACE_RECEIVED + TRACE_KINDS.length - 1 }),
  ]),
  from: Index(2 * TRACE_PAGE_ROUTES),
  to: Index(2 * TRACE_PAGE_ROUTES),
  interface: Index(2 * TRACE_PAGE_ROUTES),
  method: Index(2 * TRACE_PAGE_ROUTES),
});

/** A page of trace records (TraceEntry): tables, and every record's numbers in `records`. */
export const TracePage = Struct({
  /** The seq of the first record; the others follow it one by one. */
  firstSeq: Type.Integer({ minimum: 0 }),
  /** How many records the page holds. */
  count: Type.Integer({ minimum: 0, maximum: TRACE_PAGE }),
  /** Epoch milliseconds that the time fields count from. */
  timeBase: Type.Number(),
  /** The peers the routes name (`from`, `to`). */
  peers: Type.Array(TracePeer, { maxItems: 2 * TRACE_PAGE_ROUTES }),
  /** Interface and method names. */
  names: Type.Array(Type.String({ maxLength: MAX_NAME }), { maxItems: 2 * TRACE_PAGE_ROUTES }),
  routes: Type.Array(TraceRoute, { maxItems: TRACE_PAGE_ROUTES }),
  /** Error texts. */
  errors: Type.Array(Type.String({ maxLength: MAX_ERROR }), { maxItems: TRACE_PAGE_ROUTES }),
  /**
   * The records' numbers, base64: route (index into routes), call id (two words), size, sentAt and
   * receivedAt (microseconds from timeBase; sentAt may be another process's clock, clipped to the
   * int32 range), round trip (microseconds), error (index into errors).
   */
  records: Type.String({ maxLength: 4 * Math.ceil((TRACE_PAGE * TRACE_FIELDS * 4) / 3) }),
  /** Ask from here next time. */
  nextSeq: Type.Integer({ minimum: 0 }),
  /** How many records after `sinceSeq` the ring buffer had already overwritten. */
  dropped: Type.Integer({ minimum: 0 }),
});

export type TraceEntryInfo = Static<typeof TraceEntry>;
export type TracePageInfo = Static<typeof TracePage>;
export type TraceRouteInfo = Static<typeof TraceRoute>;
type TracePeerInfo = Static<typeof TracePeer>;
type MutableEntry = { -readonly [K in keyof TraceEntryInfo]: TraceEntryInfo[K] };

// ---- encoding ------------------------------------------------------------------------------------

/**
 * Where a page's records come from: a ring of trace rows as the tracer's batches carry them
 * (rpc/trace.ts: TRACE_ROW numbers per record), record `seq` in slot `seq % capacity`.
 */
export interface TraceRing {
  readonly capacity: number;
  readonly numbers: Float64Array;
  readonly routes: readonly (TracedRoute | undefined)[];
  /** Bad-message reasons by slot. */
  readonly errors: ReadonlyMap<number, string>;
}

const INT32_MAX = 0x7fff_ffff;
/** A whole number clipped to the int32 words of a page (TRACE_NONE, the smallest, means none). */
const int32 = (value: number) => (value > INT32_MAX ? INT32_MAX : value <= TRACE_NONE ? TRACE_NONE + 1 : value);

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

const KIND_INDEX = Object.fromEntries(TRACE_KINDS.map((kind, index) => [kind, index])) as Readonly<
  Record<TraceKind, number>
>;

function peerInfo(identity: PeerIdentity): TracePeerInfo {
  return {
    process: clip(identity.process, MAX_PROCESS),
    ...(identity.id === undefined
      ? {}
      : { id: typeof identity.id === 'string' ? clip(identity.id, MAX_ID) : identity.id }),
    ...(identity.pid === undefined ? {} : { pid: identity.pid }),
  };
}

/** Makes pages from a ring; keeps each peer as pages carry it (clipped to the schema), made once per identity. */
export class TracePageEncoder {
  private readonly peers = new WeakMap<PeerIdentity, TracePeerInfo>();

  private peer(identity: PeerIdentity): TracePeerInfo {
    let entry = this.peers.get(identity);
    if (!entry) this.peers.set(identity, (entry = peerInfo(identity)));
    return entry;
  }

  /**
   * Records [from, to) of `ring` as a page: each distinct peer, string and route once in tables,
   * strings clipped to the schema's bounds, and every record's numbers written straight from the
   * ring's row into one buffer, base64-encoded at the end (no object or array per record). Times
   * count whole microseconds from the first record's own-clock time. A record starts the next page
   * instead (the page ends before it: see `nextSeq`) when its own-clock time is too far from that
   * for 32 bits, or when it would need a route or error past TRACE_PAGE_ROUTES.
   */
  encode(ring: TraceRing, from: number, to: number, dropped: number): TracePageInfo {
    const { numbers, capacity } = ring;
    const ringRoutes = ring.routes;
    const ringErrors = ring.errors;
    const peers: TracePeerInfo[] = [];
    const peerIndex = new Map<PeerIdentity, number>();
    const names: string[] = [];
    const nameIndex = new Map<string, number>();
    const routes: TraceRouteInfo[] = [];
    const routeIndex = new Map<TracedRoute, number>();
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
        names.push(clip(name, MAX_NAME));
      }
      return index;
    };
    const routeOf = (route: TracedRoute) => {
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
    const ownTime = (n: number) =>
      numbers[n + RECEIVED_AT] === numbers[n + RECEIVED_AT] ? numbers[n + RECEIVED_AT]! : numbers[n + SENT_AT]!;
    const timeBase = to > from ? Math.floor(ownTime((from % capacity) * NUMBERS)) : 0;
    const bytes = new Uint8Array((to - from) * TRACE_FIELDS * 4);
    const view = new DataView(bytes.buffer);
    const anyErrors = ringErrors.size > 0;
    let count = 0;
    for (let seq = from; seq < to; seq++, count++) {
      const slot = seq % capacity;
      const n = slot * NUMBERS;
      const own = Math.round((ownTime(n) - timeBase) * 1000);
      if (own <= TRACE_NONE || own > INT32_MAX) break; // (never the first record: its offset is under 1 ms)
      const route = ringRoutes[slot]!;
      const text = anyErrors ? ringErrors.get(slot) : undefined;
      // A page names at most TRACE_PAGE_ROUTES routes and errors (then it fits the UI's channel).
      if (
        (routes.length === TRACE_PAGE_ROUTES && !routeIndex.has(route)) ||
        (text !== undefined && errors.length === TRACE_PAGE_ROUTES)
      )
        break;
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
      view.setInt32(
        at + TRACE_FIELD.sentAt * 4,
        received === received ? int32(Math.round((numbers[n + SENT_AT]! - timeBase) * 1000)) : own,
        true,
      );
      view.setInt32(at + TRACE_FIELD.receivedAt * 4, received === received ? own : TRACE_NONE, true);
      const trip = numbers[n + ROUND_TRIP]!;
      view.setInt32(
        at + TRACE_FIELD.roundTrip * 4,
        trip === trip ? int32(Math.max(0, Math.round(trip * 1000))) : TRACE_NONE,
        true,
      );
      view.setInt32(
        at + TRACE_FIELD.error * 4,
        text === undefined ? TRACE_NONE : errors.push(clip(text, MAX_ERROR)) - 1,
        true,
      );
    }
    return {
      firstSeq: from,
      count,
      timeBase,
      peers,
      names,
      routes,
      errors,
      records: toBase64(bytes.subarray(0, count * TRACE_FIELDS * 4)),
      nextSeq: from + count,
      dropped,
    };
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/**
 * Two base64 characters for every 12 bits, as one 16-bit store: the first character in the lower
 * address (the table is built for the platform's byte order).
 */
const BASE64_PAIRS = (() => {
  const pairs = new Uint16Array(4096);
  for (let i = 0; i < 4096; i++) {
    const first = BASE64.charCodeAt(i >> 6);
    const second = BASE64.charCodeAt(i & 63);
    pairs[i] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
  }
  return pairs;
})();
const ascii = new TextDecoder();
type WithToBase64 = Uint8Array & { toBase64?: () => string };

/**
 * Standard base64 (with padding) of `bytes`. The runtime's own where it has one (TC39's
 * `Uint8Array.prototype.toBase64`); else by hand: 12 bytes at a time read as three 32-bit words
 * (little-endian platforms), each 12 bits written as a pair of characters from a table, into bytes
 * made a string at once. (btoa needs a binary string built first, and Node's checks it character by
 * character: several times slower; measured in protocol/README.md, trace pages.)
 */
export function toBase64(bytes: Uint8Array): string {
  if (typeof (bytes as WithToBase64).toBase64 === 'function') return (bytes as WithToBase64).toBase64!();
  const length = bytes.length;
  const text = new Uint8Array(4 * Math.ceil(length / 3));
  const pairs = new Uint16Array(text.buffer);
  let i = 0;
  let pair = 0;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(length / 12) * 3);
    for (let w = 0; w < words.length; w += 3, pair += 8) {
      // Bytes b0..b11 as four 24-bit groups; word a holds b0 (lowest) to b3.
      const a = words[w]!;
      const b = words[w + 1]!;
      const c = words[w + 2]!;
      const g0 = ((a & 0xff) << 16) | (a & 0xff00) | ((a >>> 16) & 0xff);
      const g1 = ((a >>> 24) << 16) | ((b & 0xff) << 8) | ((b >>> 8) & 0xff);
      const g2 = (((b >>> 16) & 0xff) << 16) | ((b >>> 24) << 8) | (c & 0xff);
      const g3 = (((c >>> 8) & 0xff) << 16) | (((c >>> 16) & 0xff) << 8) | (c >>> 24);
      pairs[pair] = BASE64_PAIRS[g0 >>> 12]!;
      pairs[pair + 1] = BASE64_PAIRS[g0 & 4095]!;
      pairs[pair + 2] = BASE64_PAIRS[g1 >>> 12]!;
      pairs[pair + 3] = BASE64_PAIRS[g1 & 4095]!;
      pairs[pair + 4] = BASE64_PAIRS[g2 >>> 12]!;
      pairs[pair + 5] = BASE64_PAIRS[g2 & 4095]!;
      pairs[pair + 6] = BASE64_PAIRS[g3 >>> 12]!;
      pairs[pair + 7] = BASE64_PAIRS[g3 & 4095]!;
    }
    i = words.length * 4;
  }
  for (; i + 3 <= length; i += 3, pair += 2) {
    const group = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    pairs[pair] = BASE64_PAIRS[group >>> 12]!;
    pairs[pair + 1] = BASE64_PAIRS[group & 4095]!;
  }
  if (i < length) {
    const two = i + 1 < length;
    const group = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    const at = pair * 2;
    text[at] = BASE64.charCodeAt(group >>> 18);
    text[at + 1] = BASE64.charCodeAt((group >>> 12) & 63);
    text[at + 2] = two ? BASE64.charCodeAt((group >>> 6) & 63) : 61; // '='
    text[at + 3] = 61;
  }
  return ascii.decode(text);
}

// ---- decoding ------------------------------------------------------------------------------------

/** How many records a page carries. */
export function tracePageLength(page: TracePageInfo): number {
  return page.count;
}

/** base64 to bytes, with what pages and Node both have (atob); throws on text that is not base64. */
function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The page's records, oldest first, as TraceEntry rows (optional fields absent where the record has
 * none), times back to the microsecond. Rows of one page share their peer objects. Expects a page
 * that passed the TracePage schema; throws a RangeError when its records are not `count` records or
 * an index names no entry of its tables.
 */
export function decodeTracePage(page: TracePageInfo): TraceEntryInfo[] {
  const routes = page.routes.map((route, r) => {
    const from = page.peers[route.from];
    const to = page.peers[route.to];
    const iface = page.names[route.interface];
    const method = page.names[route.method];
    const kind = TRACE_KINDS[route.code % TRACE_RECEIVED];
    if (!from || !to || iface === undefined || method === undefined || !kind)
      throw new RangeError(`trace route ${r} of the page names nothing`);
    return {
      direction: route.code >= TRACE_RECEIVED ? ('receive' as const) : ('send' as const),
      from,
      to,
      interface: iface,
      method,
      kind,
    };
  });
  const count = page.count;
  let bytes: Uint8Array;
  try {
    bytes = base64Bytes(page.records);
  } catch {
    throw new RangeError("the trace page's records are not base64");
  }
  if (bytes.length !== count * TRACE_FIELDS * 4)
    throw new RangeError(`the trace page's records are ${bytes.length} bytes, not ${count} records`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = new Array<TraceEntryInfo>(count);
  let record = 0; // the byte offset of record i
  const at = (field: number) => view.getInt32(record + field * 4, true);
  for (let i = 0; i < count; i++, record += TRACE_FIELDS * 4) {
    const route = routes[at(TRACE_FIELD.route)];
    if (!route) throw new RangeError(`trace record ${i} of the page names no route`);
    const size = at(TRACE_FIELD.size);
    const sentAt = at(TRACE_FIELD.sentAt);
    if (size < 0 || sentAt === TRACE_NONE)
      throw new RangeError(`trace record ${i} of the page has no size or send time`);
    const row: MutableEntry = {
      seq: page.firstSeq + i,
      direction: route.direction,
      from: route.from,
      to: route.to,
      interface: route.interface,
      method: route.method,
      kind: route.kind,
      size,
      sentAt: page.timeBase + sentAt / 1000,
    };
    const callIdHigh = at(TRACE_FIELD.callIdHigh);
    if (callIdHigh !== TRACE_NONE) {
      if (callIdHigh < 0) throw new RangeError(`trace record ${i} of the page has a negative call id`);
      row.callId = callIdHigh * 2 ** 32 + view.getUint32(record + TRACE_FIELD.callIdLow * 4, true);
    }
    const receivedAt = at(TRACE_FIELD.receivedAt);
    if (receivedAt !== TRACE_NONE) row.receivedAt = page.timeBase + receivedAt / 1000;
    const roundTrip = at(TRACE_FIELD.roundTrip);
    if (roundTrip !== TRACE_NONE) row.roundTripMs = roundTrip / 1000;
    const error = at(TRACE_FIELD.error);
    if (error !== TRACE_NONE) {
      const text = page.errors[error];
      if (text === undefined) throw new RangeError(`trace record ${i} of the page names no error`);
      row.error = text;
    }
    rows[i] = row;
  }
  return rows;
}
