// The trace buffer's pages: ring -> TracePage (tables and base64 records) -> rows gives back the
// records, through both kinds of UI channel (structured clone, JSON), and every page passes the
// TracePage schema.
import { describe, expect, it } from 'vitest';
import {
  decodeTracePage,
  TRACE_PAGE,
  TRACE_PAGE_ROUTES,
  TracePage,
  type TraceEntryInfo,
} from '../../protocol/interfaces/trace-page.ts';
import { maxEncodedSize } from '../../protocol/rpc/schema.ts';
import { MAX_STRING_MESSAGE } from '../../protocol/transport/string-channel.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { Tracer, TRACE_KINDS, type TraceRecord, type TraceRoute } from '../../protocol/rpc/trace.ts';
import type { PeerIdentity } from '../../protocol/transport/transport.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { TraceBuffer } from './trace-buffer.ts';

const valid = compileChecker(TracePage);
const browser: PeerIdentity = { process: 'browser' };
const ui: PeerIdentity = { process: 'ui' };
const tab: PeerIdentity = { process: 'renderer', id: 'tab-2', pid: 4242 };
const gpu: PeerIdentity = { process: 'gpu', id: 7, pid: 4343 };
const kinds = TRACE_KINDS;

/** Routes shared as endpoints share them: one object per distinct route. */
const routes = new Map<string, TraceRoute>();
function route(fields: TraceRoute): TraceRoute {
  const key = JSON.stringify(fields);
  let known = routes.get(key);
  if (!known) routes.set(key, (known = fields));
  return known;
}

/** A varied record: every kind, both directions, optional fields present and absent. */
function record(i: number): TraceRecord {
  const peers = [tab, gpu, ui];
  const other = peers[i % peers.length]!;
  const receive = i % 2 === 1;
  const kind = kinds[i % kinds.length]!;
  return {
    route: route({
      direction: receive ? 'receive' : 'send',
      from: receive ? other : browser,
      to: receive ? browser : other,
      interface: i % 5 === 0 ? 'TabHostService' : 'GpuService',
      method: `method${i % 4}`,
      kind,
    }),
    ...(kind === 'event' ? {} : { callId: i }),
    size: 100 + i,
    sentAt: 1_764_000_000_000 + i * 0.137,
    ...(receive ? { receivedAt: 1_764_000_000_000.25 + i * 0.137 } : {}),
    ...(receive && kind === 'response' ? { roundTripMs: 0.05 * i } : {}),
    ...(kind === 'bad-message' ? { error: `payload/${i} must be a string` } : {}),
  };
}

/** Times to the microsecond, as pages carry them. */
function toMicros(row: TraceEntryInfo): TraceEntryInfo {
  const micros = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    ...row,
    sentAt: micros(row.sentAt),
    ...(row.receivedAt === undefined ? {} : { receivedAt: micros(row.receivedAt) }),
    ...(row.roundTripMs === undefined ? {} : { roundTripMs: micros(row.roundTripMs) }),
  };
}

/** What the inspector should show for a record: its fields, numbered, times to the microsecond. */
function expected(seq: number, r: TraceRecord): TraceEntryInfo {
  const { callId, size, sentAt, receivedAt, roundTripMs, error } = r;
  const { direction, from, to, interface: iface, method, kind } = r.route;
  return toMicros({
    seq,
    direction,
    from: { ...from },
    to: { ...to },
    interface: iface,
    method,
    kind,
    size,
    sentAt,
    ...(callId === undefined ? {} : { callId }),
    ...(receivedAt === undefined ? {} : { receivedAt }),
    ...(roundTripMs === undefined ? {} : { roundTripMs }),
    ...(error === undefined ? {} : { error }),
  } as TraceEntryInfo);
}

function setup(options: { capacity?: number; pageSize?: number } = {}) {
  const tracer = new Tracer();
  const buffer = new TraceBuffer({ clock: new ManualClock(), tracer, ...options });
  buffer.since(0); // starts tracing
  return { tracer, buffer };
}

describe('TraceBuffer pages', () => {
  it('round-trips: ring -> page -> rows equals the records, through structured clone and JSON', () => {
    const { tracer, buffer } = setup({ capacity: 100, pageSize: 40 });
    const records = Array.from({ length: 130 }, (_, i) => record(i));
    for (const r of records) tracer.record(r);
    const rows: TraceEntryInfo[] = [];
    let since = 0;
    let dropped = 0;
    for (;;) {
      const page = buffer.since(since);
      expect(valid.check(page)).toBe(true);
      for (const copy of [structuredClone(page), JSON.parse(JSON.stringify(page))]) {
        expect(valid.check(copy)).toBe(true);
        expect(decodeTracePage(copy)).toEqual(decodeTracePage(page));
      }
      dropped += page.dropped;
      rows.push(...decodeTracePage(page));
      if (page.nextSeq === since) break;
      since = page.nextSeq;
    }
    expect(dropped).toBe(30); // the ring holds the last 100
    expect(rows.map(toMicros)).toEqual(records.slice(30).map((r, i) => expected(30 + i, r)));
  });

  it('names each distinct peer and string once per page, and clips strings to the schema', () => {
    const { tracer, buffer } = setup();
    for (let i = 0; i < 60; i++) tracer.record(record(i));
    tracer.record({ ...record(5), route: { ...record(5).route, interface: 'I'.repeat(100) }, error: 'e'.repeat(400) });
    const page = buffer.since(0);
    expect(valid.check(page)).toBe(true);
    expect(page.peers).toHaveLength(4);
    expect(new Set(page.names).size).toBe(page.names.length);
    expect(new Set(page.routes.map((r) => JSON.stringify(r))).size).toBe(page.routes.length);
    expect(page.routes.length).toBeLessThan(61);
    const last = decodeTracePage(page).at(-1)!;
    expect(last.interface).toBe('I'.repeat(64));
    expect(last.error).toBe('e'.repeat(256));
  });

  it('refuses a page whose codes or indexes name nothing', () => {
    const { tracer, buffer } = setup();
    tracer.record(record(1));
    const page = buffer.since(0);
    expect(valid.check(page)).toBe(true);
    expect(valid.check({ ...page, routes: [{ ...page.routes[0]!, code: 6 }] })).toBe(false);
    expect(valid.check({ ...page, routes: [{ ...page.routes[0]!, from: 2 * TRACE_PAGE_ROUTES }] })).toBe(false);
    expect(valid.check({ ...page, count: TRACE_PAGE + 1 })).toBe(false);
    expect(valid.check({ ...page, count: 0.5 })).toBe(false);
    expect(valid.check({ ...page, records: [1, 2] })).toBe(false);
    expect(valid.check({ ...page, records: 'A'.repeat(TRACE_PAGE * 50) })).toBe(false);
    expect(() => decodeTracePage({ ...page, routes: [{ ...page.routes[0]!, from: page.peers.length }] })).toThrow(
      RangeError,
    );
    // Records that are not `count` records, or not base64.
    expect(() => decodeTracePage({ ...page, count: 2 })).toThrow(RangeError);
    expect(() => decodeTracePage({ ...page, records: '!!!!' })).toThrow(RangeError);
    // A record that names no route, no error, or has a negative size.
    const edited = (offset: number, value: number) => {
      const bytes = Buffer.from(page.records, 'base64');
      bytes.writeInt32LE(value, offset);
      return { ...page, records: bytes.toString('base64') };
    };
    expect(() => decodeTracePage(edited(0, page.routes.length))).toThrow(RangeError);
    expect(() => decodeTracePage(edited(3 * 4, -1))).toThrow(RangeError);
    expect(() => decodeTracePage(edited(7 * 4, 0))).toThrow(RangeError);
    expect(decodeTracePage(edited(0, 0))).toHaveLength(1);
  });

  it('ends a page at TRACE_PAGE_ROUTES routes, so that the largest page fits the UI channel', () => {
    expect(maxEncodedSize(TracePage, '', [])).toBeLessThan(MAX_STRING_MESSAGE);
    const { tracer, buffer } = setup({ pageSize: TRACE_PAGE });
    const count = TRACE_PAGE_ROUTES + 40;
    for (let i = 0; i < count; i++)
      tracer.record({ ...record(0), route: route({ ...record(0).route, method: `m${i}` }) });
    const first = buffer.since(0);
    expect(first.count).toBe(TRACE_PAGE_ROUTES);
    expect(first.routes).toHaveLength(TRACE_PAGE_ROUTES);
    const second = buffer.since(first.nextSeq);
    expect(second.count).toBe(40);
    expect([...decodeTracePage(first), ...decodeTracePage(second)].map((row) => row.method)).toEqual(
      Array.from({ length: count }, (_, i) => `m${i}`),
    );
  });

  it('carries call ids past 2^32, and times far apart on pages of their own', () => {
    const { tracer, buffer } = setup();
    const base = record(2); // a send with a call id
    const far = 40 * 60_000; // 40 minutes: more microseconds than 32 bits hold
    tracer.record({ ...base, callId: 2 ** 40 + 7 });
    tracer.record({ ...base, callId: 3, sentAt: base.sentAt + far });
    tracer.record({ ...base, callId: 4, sentAt: base.sentAt + far + 0.5 });
    const first = buffer.since(0);
    expect(first.count).toBe(1);
    const second = buffer.since(first.nextSeq);
    expect(second.count).toBe(2);
    const rows = [...decodeTracePage(first), ...decodeTracePage(second)];
    expect(rows.map((row) => row.callId)).toEqual([2 ** 40 + 7, 3, 4]);
    expect(rows.map((row) => row.seq)).toEqual([0, 1, 2]);
    expect(rows.map(toMicros).map((row) => row.sentAt)).toEqual(
      [base.sentAt, base.sentAt + far, base.sentAt + far + 0.5].map((t) => Math.round(t * 1000) / 1000),
    );
  });

  it("clips a sender's far-off clock on a received record and goes on paging", () => {
    const { tracer, buffer } = setup();
    const received = record(1);
    tracer.record({ ...received, sentAt: 0 }); // a peer whose stamp is nonsense
    tracer.record(received);
    const page = buffer.since(0);
    expect(page.count).toBe(2);
    const [clipped, normal] = decodeTracePage(page);
    expect(clipped!.receivedAt).toBeCloseTo(received.receivedAt!, 3);
    expect(clipped!.sentAt).toBeCloseTo(page.timeBase - 0x7fff_ffff / 1000, 3);
    expect(toMicros(normal!)).toEqual(expected(1, received));
  });

  it('answers an empty page past the newest record', () => {
    const { tracer, buffer } = setup();
    for (let i = 0; i < 3; i++) tracer.record(record(i));
    const page = buffer.since(Number.MAX_SAFE_INTEGER);
    expect(valid.check(page)).toBe(true);
    expect(page).toMatchObject({ nextSeq: 3, dropped: 0, firstSeq: 3 });
    expect(decodeTracePage(page)).toEqual([]);
  });
});
