// The trace page's wire format, encode -> decode, as a property: any ring of records paged through
// comes back as the rows the format promises (times to the microsecond, numbers clipped to int32,
// strings clipped to the schema), every page passes the TracePage schema, and a page ends early
// only for the reasons the format gives (a route or error past TRACE_PAGE_ROUTES, a time too far
// from the page's base for 32 bits). The generators reach the edge cases: call ids past 2^32, a
// sender's far-off clock, gaps of more than 35 minutes, more than 256 routes or errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileChecker } from '../rpc/schema.ts';
import {
  TRACE_CALL_ID,
  TRACE_KINDS,
  TRACE_RECEIVED_AT,
  TRACE_ROUND_TRIP,
  TRACE_ROW,
  TRACE_SENT_AT,
  TRACE_SIZE,
  type TraceKind,
  type TraceRoute,
} from '../rpc/trace.ts';
import type { PeerIdentity } from '../transport/transport.ts';
import {
  decodeTracePage,
  toBase64,
  TRACE_NONE,
  TRACE_PAGE,
  TRACE_PAGE_ROUTES,
  TracePage,
  TracePageEncoder,
  type TraceEntryInfo,
  type TracePageInfo,
  type TraceRing,
} from './trace-page.ts';

const valid = compileChecker(TracePage);
const INT32_MAX = 0x7fff_ffff;
const MINUTE = 60_000;

const browser: PeerIdentity = { process: 'browser' };
const others: PeerIdentity[] = [
  { process: 'renderer', id: 'tab-1', pid: 4242 },
  { process: 'gpu', id: 7, pid: 4343 },
  { process: 'ui' },
  { process: 'p'.repeat(40), id: 'i'.repeat(80) }, // both clipped
];
const interfaces = ['TabHostService', 'GpuService', 'I'.repeat(100)];

interface Input {
  readonly direction: 'send' | 'receive';
  readonly other: number;
  readonly iface: number;
  readonly method: number;
  readonly kind: TraceKind;
  readonly callId: number | undefined;
  readonly size: number;
  /** Since the previous record's own time. */
  readonly gapMs: number;
  /** A received record: how long before its arrival it was sent; a huge value is a far-off clock. */
  readonly sentBeforeMs: number;
  readonly roundTripMs: number | undefined;
  readonly error: string | undefined;
}

/** Records; `methods` how many methods they spread over (many: pages fill up with routes, few: with errors). */
const input = (methods: number): fc.Arbitrary<Input> =>
  fc.record({
    direction: fc.constantFrom('send' as const, 'receive' as const),
    other: fc.nat(others.length - 1),
    iface: fc.nat(interfaces.length - 1),
    method: fc.nat(methods - 1),
    kind: fc.constantFrom(...TRACE_KINDS),
    callId: fc.option(fc.oneof(fc.nat(1000), fc.integer({ min: 2 ** 32 - 2, max: 2 ** 32 + 2 }), fc.maxSafeNat()), {
      nil: undefined,
    }),
    size: fc.oneof(
      { weight: 5, arbitrary: fc.nat(100_000) },
      { weight: 1, arbitrary: fc.integer({ min: INT32_MAX - 1, max: 2 ** 40 }) },
    ),
    gapMs: fc.oneof(
      // Rare enough that pages can fill up to 256 routes or errors between them.
      { weight: 400, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
      { weight: 1, arbitrary: fc.double({ min: 36 * MINUTE, max: 48 * 60 * MINUTE, noNaN: true }) }, // past 32 bits of microseconds
    ),
    sentBeforeMs: fc.oneof(
      { weight: 10, arbitrary: fc.double({ min: 0, max: 2, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(1_764_000_000_000, -1e10, 1e12) }, // a sender's clock far off
    ),
    roundTripMs: fc.option(fc.oneof(fc.double({ min: 0, max: 10_000, noNaN: true }), fc.constant(3e6)), {
      nil: undefined,
    }),
    error: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 250, maxLength: 300 })), {
      nil: undefined,
      freq: 2,
    }),
  });

/** Routes shared as endpoints share them: one object per distinct route. */
const routes = new Map<string, TraceRoute>();
function routeOf(record: Input): TraceRoute {
  const other = others[record.other]!;
  const fields: TraceRoute = {
    direction: record.direction,
    from: record.direction === 'send' ? browser : other,
    to: record.direction === 'send' ? other : browser,
    interface: interfaces[record.iface]!,
    method: `m${record.method}`,
    kind: record.kind,
  };
  const key = `${record.direction} ${record.other} ${record.iface} ${record.method} ${record.kind}`;
  let known = routes.get(key);
  if (!known) routes.set(key, (known = fields));
  return known;
}

interface Placed {
  readonly seq: number;
  readonly route: TraceRoute;
  readonly callId: number | undefined;
  readonly size: number;
  readonly sentAt: number;
  readonly receivedAt: number | undefined;
  readonly roundTripMs: number | undefined;
  readonly error: string | undefined;
}

/** The records in a ring as the TraceBuffer holds them: rows of numbers, routes and errors by slot, seq wrapped. */
function ringOf(inputs: readonly Input[], firstSeq: number, spare: number): { ring: TraceRing; placed: Placed[] } {
  const capacity = inputs.length + spare;
  const numbers = new Float64Array(capacity * TRACE_ROW).fill(Number.NaN);
  const ringRoutes = new Array<TraceRoute | undefined>(capacity).fill(undefined);
  const errors = new Map<number, string>();
  const placed: Placed[] = [];
  let own = 1_764_000_000_000.123;
  inputs.forEach((record, i) => {
    own += record.gapMs;
    const seq = firstSeq + i;
    const slot = seq % capacity;
    const received = record.direction === 'receive';
    const entry: Placed = {
      seq,
      route: routeOf(record),
      callId: record.callId,
      size: record.size,
      sentAt: received ? own - record.sentBeforeMs : own,
      receivedAt: received ? own : undefined,
      roundTripMs: received ? record.roundTripMs : undefined,
      error: record.error,
    };
    const row = slot * TRACE_ROW;
    numbers[row + TRACE_CALL_ID] = entry.callId ?? Number.NaN;
    numbers[row + TRACE_SIZE] = entry.size;
    numbers[row + TRACE_SENT_AT] = entry.sentAt;
    numbers[row + TRACE_RECEIVED_AT] = entry.receivedAt ?? Number.NaN;
    numbers[row + TRACE_ROUND_TRIP] = entry.roundTripMs ?? Number.NaN;
    ringRoutes[slot] = entry.route;
    if (entry.error !== undefined) errors.set(slot, entry.error);
    placed.push(entry);
  });
  return { ring: { capacity, numbers, routes: ringRoutes, errors }, placed };
}

/** An int32 word of the page: clipped, TRACE_NONE being "none". */
const clipped = (value: number) => (value > INT32_MAX ? INT32_MAX : value <= TRACE_NONE ? TRACE_NONE + 1 : value);
const clip = (text: string, max: number) => text.slice(0, max);
const micros = (ms: number) => Math.round(ms * 1000);
const peerAsPaged = (peer: PeerIdentity): TraceEntryInfo['from'] => ({
  process: clip(peer.process, 32),
  ...(peer.id === undefined ? {} : { id: typeof peer.id === 'string' ? clip(peer.id, 64) : peer.id }),
  ...(peer.pid === undefined ? {} : { pid: peer.pid }),
});
const ownTime = (record: Placed) => record.receivedAt ?? record.sentAt;

/** What the format promises the decoder gives back for `record` on a page counting from `timeBase`. */
function expectedRow(record: Placed, timeBase: number): TraceEntryInfo {
  const own = micros(ownTime(record) - timeBase);
  return {
    seq: record.seq,
    direction: record.route.direction,
    from: peerAsPaged(record.route.from),
    to: peerAsPaged(record.route.to),
    interface: clip(record.route.interface, 64),
    method: record.route.method,
    kind: record.route.kind,
    size: clipped(Math.max(0, Math.round(record.size))),
    // A received record's send time may be another clock's: clipped; the page's own times are exact.
    sentAt: timeBase + (record.receivedAt === undefined ? own : clipped(micros(record.sentAt - timeBase))) / 1000,
    ...(record.callId === undefined ? {} : { callId: record.callId }),
    ...(record.receivedAt === undefined ? {} : { receivedAt: timeBase + own / 1000 }),
    ...(record.roundTripMs === undefined
      ? {}
      : { roundTripMs: clipped(Math.max(0, micros(record.roundTripMs))) / 1000 }),
    ...(record.error === undefined ? {} : { error: clip(record.error, 256) }),
  };
}

/** Pages through [from, to) as getTrace does, checking each page; returns the rows. */
function pageThrough(ring: TraceRing, placed: readonly Placed[], pageSize: number): TraceEntryInfo[] {
  const encoder = new TracePageEncoder();
  const first = placed[0]?.seq ?? 0;
  const end = first + placed.length;
  const rows: TraceEntryInfo[] = [];
  for (let from = first; from < end;) {
    const to = Math.min(end, from + pageSize);
    const page = encoder.encode(ring, from, to, 0);
    expect(valid.check(page)).toBe(true);
    expect(decodeTracePage(JSON.parse(JSON.stringify(page)) as TracePageInfo)).toEqual(decodeTracePage(page));
    expect(page.count).toBeGreaterThan(0);
    expect(page.firstSeq).toBe(from);
    expect(page.nextSeq).toBe(from + page.count);
    expect(page.timeBase).toBe(Math.floor(ownTime(placed[from - first]!)));
    const decoded = decodeTracePage(page);
    expect(decoded).toEqual(
      placed.slice(from - first, from - first + page.count).map((record) => expectedRow(record, page.timeBase)),
    );
    if (page.nextSeq < to) {
      // Ended early: the next record needs a 257th route or error, or is too far in time for 32 bits.
      const next = placed[page.nextSeq - first]!;
      const offset = micros(ownTime(next) - page.timeBase);
      const newRoute = !placed.slice(from - first, page.nextSeq - first).some((record) => record.route === next.route);
      const tooFar = offset <= TRACE_NONE || offset > INT32_MAX;
      const full =
        (newRoute && page.routes.length === TRACE_PAGE_ROUTES) ||
        (next.error !== undefined && page.errors.length === TRACE_PAGE_ROUTES);
      expect(tooFar || full).toBe(true);
    }
    rows.push(...decoded);
    from = page.nextSeq;
  }
  return rows;
}

describe('trace page: encode -> decode', () => {
  it('gives back every record as the format promises, for any records, page size and ring position', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4, 500).chain((methods) => fc.array(input(methods), { maxLength: 1000, size: 'max' })),
        fc.nat(5000),
        fc.nat(20),
        fc.constantFrom(7, 300, TRACE_PAGE),
        (inputs, firstSeq, spare, pageSize) => {
          const { ring, placed } = ringOf(inputs, firstSeq, spare);
          expect(pageThrough(ring, placed, pageSize)).toHaveLength(placed.length);
        },
      ),
      // Large inputs are what reach the limits; shrinking them would take minutes, so a failure
      // reports its input as generated.
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('reaches the edge cases: far-off clocks clipped, call ids past 2^32, a gap over 35 minutes, more than 256 routes and errors', () => {
    const base: Input = {
      direction: 'receive',
      other: 0,
      iface: 0,
      method: 0,
      kind: 'response',
      callId: 3,
      size: 100,
      gapMs: 0.5,
      sentBeforeMs: 0.25,
      roundTripMs: 1.5,
      error: undefined,
    };
    const inputs: Input[] = [
      { ...base, sentBeforeMs: 1_764_000_000_000 }, // a peer whose stamp is nonsense
      { ...base, callId: 2 ** 40 + 7 },
      { ...base, gapMs: 40 * MINUTE }, // starts a page of its own
      ...Array.from({ length: TRACE_PAGE_ROUTES + 40 }, (_, i) => ({
        ...base,
        method: 1000 + i,
        error: i % 2 ? undefined : `bad ${i}`,
      })),
      ...Array.from({ length: TRACE_PAGE_ROUTES + 10 }, (_, i) => ({ ...base, error: `bad again ${i}` })),
    ];
    const { ring, placed } = ringOf(inputs, 9_990, 3);
    const encoder = new TracePageEncoder();
    const first = encoder.encode(ring, 9_990, 9_990 + inputs.length, 0);
    expect(first.count).toBe(2); // the gap ends it
    const [farOff, bigId] = decodeTracePage(first);
    expect(farOff!.sentAt).toBeCloseTo(first.timeBase - INT32_MAX / 1000, 3);
    expect(bigId!.callId).toBe(2 ** 40 + 7);
    const second = encoder.encode(ring, first.nextSeq, 9_990 + inputs.length, 0);
    expect(second.routes).toHaveLength(TRACE_PAGE_ROUTES); // the 257th route ends it
    expect(second.count).toBe(TRACE_PAGE_ROUTES);
    const third = encoder.encode(ring, second.nextSeq, 9_990 + inputs.length, 0);
    expect(third.errors).toHaveLength(TRACE_PAGE_ROUTES); // and the 257th error this one
    expect(pageThrough(ring, placed, TRACE_PAGE)).toHaveLength(inputs.length);
  });

  it('encodes base64 as the standard does, for every length and offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(7), (bytes, offset) => {
        const shifted = new Uint8Array(bytes.length + offset);
        shifted.set(bytes, offset);
        const view = shifted.subarray(offset);
        expect(toBase64(view)).toBe(Buffer.from(bytes).toString('base64'));
        expect(Uint8Array.from(atob(toBase64(view)), (c) => c.charCodeAt(0))).toEqual(bytes);
      }),
    );
  });
});
