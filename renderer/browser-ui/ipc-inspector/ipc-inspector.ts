// What the IPC inspector says: trace records (getTrace) as rows, labels for peers, filters and
// formatting. Pure, so it runs in Node tests.
import type { TraceEntryInfo } from '../../../protocol/interfaces/trace-page.ts';

/** getTrace answers a page (tables and binary records): `traceRows(page)` makes its rows, once per page. */
export { decodeTracePage as traceRows, tracePageLength } from '../../../protocol/interfaces/trace-page.ts';

export type TraceRow = TraceEntryInfo;
export type TracePeer = TraceRow['from'];

/** How many records the inspector keeps; older ones are counted, not kept. */
export const INSPECTOR_KEEP = 2000;
/** How many of the kept (and filtered) rows it renders: the newest. */
export const INSPECTOR_RENDER = 200;

/** A peer as the list names it: `renderer#tab-2`, `gpu`, `browser`, `ui`. */
export function peerLabel(peer: TracePeer): string {
  return peer.id === undefined ? peer.process : `${peer.process}#${peer.id}`;
}

/** `TabHostService.requestGpuChannel`. */
export function messageName(row: TraceRow): string {
  return `${row.interface}.${row.method}`;
}

/** Appends `incoming` and keeps the newest `keep`; returns the kept rows and how many were let go. */
export function appendRows(
  rows: readonly TraceRow[],
  incoming: readonly TraceRow[],
  keep = INSPECTOR_KEEP,
): { rows: TraceRow[]; evicted: number } {
  const all = incoming.length ? [...rows, ...incoming] : [...rows];
  const evicted = Math.max(0, all.length - keep);
  return { rows: evicted ? all.slice(evicted) : all, evicted };
}

export interface TraceFilter {
  /** A peer label ('' for any): matches the sender or the receiver. */
  readonly process: string;
  /** An interface name ('' for any). */
  readonly interface: string;
}

export function filterRows(rows: readonly TraceRow[], filter: TraceFilter): TraceRow[] {
  if (!filter.process && !filter.interface) return [...rows];
  return rows.filter(
    (row) =>
      (!filter.interface || row.interface === filter.interface) &&
      (!filter.process || peerLabel(row.from) === filter.process || peerLabel(row.to) === filter.process),
  );
}

/** The distinct processes and interfaces among the rows, sorted, for the filter menus. */
export function filterOptions(rows: readonly TraceRow[]): { processes: string[]; interfaces: string[] } {
  const processes = new Set<string>();
  const interfaces = new Set<string>();
  for (const row of rows) {
    processes.add(peerLabel(row.from));
    processes.add(peerLabel(row.to));
    interfaces.add(row.interface);
  }
  return { processes: [...processes].sort(), interfaces: [...interfaces].sort() };
}

/** Wall-clock time with milliseconds: `14:03:07.412`. */
export function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Message size: `312 B`, `4.1 KB`, `1.2 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Round trip: `0.42 ms`, `12.3 ms`, `1,204 ms`; '' when there is none. */
export function formatRoundTrip(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** Whether a row is a failure the list highlights. */
export function isProblem(row: TraceRow): boolean {
  return row.kind === 'error' || row.kind === 'bad-message';
}

const callKey = (caller: TracePeer, callee: TracePeer, callId: number) =>
  `${peerLabel(caller)}>${peerLabel(callee)}#${callId}`;

/**
 * Fills in round trips the browser process could not measure: for a call it answered (a request it
 * received, a response it sent), the time from the request's send to the response's send. Received
 * responses keep the round trip the caller measured. `pending` (request send times by call) carries
 * over between pages and holds at most `limit` calls.
 */
export function pairRoundTrips(
  incoming: readonly TraceRow[],
  pending: Map<string, number>,
  limit = INSPECTOR_KEEP,
): TraceRow[] {
  return incoming.map((row) => {
    if (row.callId === undefined) return row;
    if (row.kind === 'request') {
      pending.set(callKey(row.from, row.to, row.callId), row.sentAt);
      if (pending.size > limit) pending.delete(pending.keys().next().value!);
      return row;
    }
    if (row.kind !== 'response' && row.kind !== 'error' && row.kind !== 'cancel') return row;
    const key = callKey(row.to, row.from, row.callId);
    const sentAt = pending.get(key);
    pending.delete(key);
    if (row.roundTripMs !== undefined || sentAt === undefined || row.kind === 'cancel') return row;
    return { ...row, roundTripMs: Math.max(0, row.sentAt - sentAt) };
  });
}
