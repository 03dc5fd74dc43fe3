/**
 * A TracePage (getTrace's columnar answer) as rows: the one decoder, used by the UI (the IPC
 * inspector, the architecture map) and by tests. main/core/trace-buffer.ts is the encoder.
 */
import type { Static } from '../rpc/schema.ts';
import { TRACE_KINDS, TRACE_RECEIVED, type TraceEntry, type TracePage } from './ui-browser.ts';

export type TraceEntryInfo = Static<typeof TraceEntry>;
export type TracePageInfo = Static<typeof TracePage>;
type MutableEntry = { -readonly [K in keyof TraceEntryInfo]: TraceEntryInfo[K] };

/** How many records a page carries. */
export function tracePageLength(page: TracePageInfo): number {
  return page.codes.length;
}

/**
 * The page's records, oldest first, as TraceEntry rows (optional fields absent where the record has
 * none). Rows of one page share their peer objects. Expects a page that passed the TracePage schema;
 * throws a RangeError when an index names no entry of its table.
 */
export function decodeTracePage(page: TracePageInfo): TraceEntryInfo[] {
  const count = page.codes.length;
  const rows = new Array<TraceEntryInfo>(count);
  for (let i = 0; i < count; i++) {
    const code = page.codes[i]!;
    const from = page.peers[page.from[i]!];
    const to = page.peers[page.to[i]!];
    const iface = page.names[page.interface[i]!];
    const method = page.names[page.method[i]!];
    const kind = TRACE_KINDS[code % TRACE_RECEIVED];
    if (!from || !to || iface === undefined || method === undefined || !kind) throw new RangeError(`trace record ${i} of the page names nothing`);
    const row: MutableEntry = {
      seq: page.firstSeq + i,
      direction: code >= TRACE_RECEIVED ? 'receive' : 'send',
      from,
      to,
      interface: iface,
      method,
      kind,
      size: page.size[i]!,
      sentAt: page.sentAt[i]!,
    };
    const callId = page.callId[i];
    if (callId !== null && callId !== undefined) row.callId = callId;
    const receivedAt = page.receivedAt[i];
    if (receivedAt !== null && receivedAt !== undefined) row.receivedAt = receivedAt;
    const roundTripMs = page.roundTripMs[i];
    if (roundTripMs !== null && roundTripMs !== undefined) row.roundTripMs = roundTripMs;
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
