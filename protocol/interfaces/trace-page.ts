/**
 * A TracePage (getTrace's columnar answer) as rows: the one decoder, used by the UI (the IPC
 * inspector, the architecture map) and by tests. main/core/trace-buffer.ts is the encoder. Times come
 * back to the microsecond (the page carries whole microseconds).
 */
import type { Static } from '../rpc/schema.ts';
import { TRACE_KINDS, TRACE_RECEIVED, type TraceEntry, type TracePage, type TraceRoute } from './ui-browser.ts';

export type TraceEntryInfo = Static<typeof TraceEntry>;
export type TracePageInfo = Static<typeof TracePage>;
export type TraceRouteInfo = Static<typeof TraceRoute>;
type MutableEntry = { -readonly [K in keyof TraceEntryInfo]: TraceEntryInfo[K] };

/** How many records a page carries. */
export function tracePageLength(page: TracePageInfo): number {
  return page.route.length;
}

/**
 * The page's records, oldest first, as TraceEntry rows (optional fields absent where the record has
 * none). Rows of one page share their peer objects. Expects a page that passed the TracePage schema;
 * throws a RangeError when an index names no entry of its table.
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
  const count = page.route.length;
  const rows = new Array<TraceEntryInfo>(count);
  for (let i = 0; i < count; i++) {
    const route = routes[page.route[i]!];
    if (!route) throw new RangeError(`trace record ${i} of the page names no route`);
    const row: MutableEntry = {
      seq: page.firstSeq + i,
      direction: route.direction,
      from: route.from,
      to: route.to,
      interface: route.interface,
      method: route.method,
      kind: route.kind,
      size: page.size[i]!,
      sentAt: page.timeBase + page.sentAt[i]! / 1000,
    };
    const callId = page.callId[i];
    if (callId !== null && callId !== undefined) row.callId = callId;
    const receivedAt = page.receivedAt[i];
    if (receivedAt !== null && receivedAt !== undefined) row.receivedAt = page.timeBase + receivedAt / 1000;
    const roundTrip = page.roundTrip[i];
    if (roundTrip !== null && roundTrip !== undefined) row.roundTripMs = roundTrip / 1000;
    const error = page.error[i];
    if (error !== null && error !== undefined) {
      const text = page.errors[error];
      if (text === undefined) throw new RangeError(`trace record ${i} of the page names no error`);
      row.error = text;
    }
    rows[i] = row;
  }
  return rows;
}
