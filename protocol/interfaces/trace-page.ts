/**
 * A TracePage (getTrace's answer: tables and binary records) as rows: the one decoder, used by the UI (the IPC
 * inspector, the architecture map) and by tests. main/core/trace-buffer.ts is the encoder. Times come
 * back to the microsecond (the page carries whole microseconds).
 */
import type { Static } from '../rpc/schema.ts';
import { TRACE_FIELD, TRACE_FIELDS, TRACE_KINDS, TRACE_NONE, TRACE_RECEIVED, type TraceEntry, type TracePage, type TraceRoute } from './ui-browser.ts';

export type TraceEntryInfo = Static<typeof TraceEntry>;
export type TracePageInfo = Static<typeof TracePage>;
export type TraceRouteInfo = Static<typeof TraceRoute>;
type MutableEntry = { -readonly [K in keyof TraceEntryInfo]: TraceEntryInfo[K] };

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
 * none). Rows of one page share their peer objects. Expects a page that passed the TracePage schema;
 * throws a RangeError when its records are not `count` records or an index names no entry of its
 * tables.
 */
export function decodeTracePage(page: TracePageInfo): TraceEntryInfo[] {
  const routes = page.routes.map((route, r) => {
    const from = page.peers[route.from];
    const to = page.peers[route.to];
    const iface = page.names[route.interface];
    const method = page.names[route.method];
    const kind = TRACE_KINDS[route.code % TRACE_RECEIVED];
    if (!from || !to || iface === undefined || method === undefined || !kind) throw new RangeError(`trace route ${r} of the page names nothing`);
    return { direction: route.code >= TRACE_RECEIVED ? ('receive' as const) : ('send' as const), from, to, interface: iface, method, kind };
  });
  const count = page.count;
  let bytes: Uint8Array;
  try {
    bytes = base64Bytes(page.records);
  } catch {
    throw new RangeError('the trace page\'s records are not base64');
  }
  if (bytes.length !== count * TRACE_FIELDS * 4) throw new RangeError(`the trace page's records are ${bytes.length} bytes, not ${count} records`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = new Array<TraceEntryInfo>(count);
  let record = 0; // the byte offset of record i
  const at = (field: number) => view.getInt32(record + field * 4, true);
  for (let i = 0; i < count; i++, record += TRACE_FIELDS * 4) {
    const route = routes[at(TRACE_FIELD.route)];
    if (!route) throw new RangeError(`trace record ${i} of the page names no route`);
    const size = at(TRACE_FIELD.size);
    const sentAt = at(TRACE_FIELD.sentAt);
    if (size < 0 || sentAt === TRACE_NONE) throw new RangeError(`trace record ${i} of the page has no size or send time`);
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
