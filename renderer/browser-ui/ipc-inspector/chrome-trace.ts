// The IPC inspector's "Export trace": trace records as Chrome's Trace Event Format (the JSON
// Perfetto and chrome://tracing open), one track per process. Each message sits on its sender's
// track: a complete event ('X') from sent to received where the receive time is known, an instant
// event ('i') otherwise. Timestamps are epoch microseconds; events are sorted by time after the
// process_name metadata.
import { messageName, peerLabel, type TracePeer, type TraceRow } from './ipc-inspector.ts';

export interface ChromeTraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'i' | 'M';
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  readonly dur?: number;
  readonly s?: 't' | 'p' | 'g';
  readonly args?: Record<string, unknown>;
}

export interface ChromeTrace {
  readonly traceEvents: ChromeTraceEvent[];
  readonly displayTimeUnit: 'ms';
}

/** Where a track's synthetic pids start, for processes whose OS pid the browser does not know. */
const SYNTHETIC_PID = 1_000_000;

/** One track per process: keyed by OS pid where known, else by role (and id). */
function trackKey(peer: TracePeer): string {
  return peer.pid === undefined ? `peer:${peerLabel(peer)}` : `pid:${peer.pid}`;
}

function trackName(peer: TracePeer): string {
  return peer.pid === undefined ? peerLabel(peer) : `${peerLabel(peer)} (pid ${peer.pid})`;
}

const micros = (ms: number) => Math.round(ms * 1000);

export function toChromeTrace(rows: readonly TraceRow[]): ChromeTrace {
  const tracks = new Map<string, { pid: number; name: string }>();
  let synthetic = SYNTHETIC_PID;
  const track = (peer: TracePeer) => {
    const key = trackKey(peer);
    let found = tracks.get(key);
    if (!found) {
      found = { pid: peer.pid ?? synthetic++, name: trackName(peer) };
      tracks.set(key, found);
    }
    return found;
  };
  // Every process that appears gets a track, receivers included.
  const ordered = [...rows].sort((a, b) => a.sentAt - b.sentAt || a.seq - b.seq);
  const events: ChromeTraceEvent[] = [];
  for (const row of ordered) {
    const sender = track(row.from);
    track(row.to);
    const args: Record<string, unknown> = {
      from: peerLabel(row.from),
      to: peerLabel(row.to),
      kind: row.kind,
      size: row.size,
      seq: row.seq,
      ...(row.callId === undefined ? {} : { callId: row.callId }),
      ...(row.roundTripMs === undefined ? {} : { roundTripMs: row.roundTripMs }),
      ...(row.error === undefined ? {} : { error: row.error }),
    };
    const base = { name: messageName(row), cat: row.kind, ts: micros(row.sentAt), pid: sender.pid, tid: 1, args };
    if (row.receivedAt !== undefined && row.receivedAt >= row.sentAt) {
      events.push({ ...base, ph: 'X', dur: micros(row.receivedAt) - micros(row.sentAt) });
    } else {
      events.push({ ...base, ph: 'i', s: 't' });
    }
  }
  const start = events[0]?.ts ?? 0;
  const metadata: ChromeTraceEvent[] = [...tracks.values()].map(({ pid, name }) => ({
    name: 'process_name',
    ph: 'M',
    ts: start,
    pid,
    tid: 1,
    args: { name },
  }));
  return { traceEvents: [...metadata, ...events], displayTimeUnit: 'ms' };
}
