// The IPC inspector: the typed messages the browser process sends and receives, live (getTrace,
// polled every 250 ms while the inspector is shown). Keeps the newest 2,000 and renders the newest
// 200 of those that pass the filters, so thousands of messages a second cost one small render per
// poll. Pause, Clear, and "Export trace" as Chrome trace JSON (Perfetto, chrome://tracing).
import { useLayoutEffect, useRef, useState } from 'react';
import { TRACE_PAGE } from '../../../protocol/interfaces/trace-page.ts';
import { toChromeTrace } from './chrome-trace.ts';
import {
  appendRows,
  filterOptions,
  filterRows,
  formatRoundTrip,
  formatSize,
  formatTime,
  INSPECTOR_RENDER,
  isProblem,
  messageName,
  pairRoundTrips,
  peerLabel,
  traceRows,
  type TraceRow,
} from './ipc-inspector.ts';
import { useBrowserClient } from '../connection/use-browser.ts';
import { usePolling } from '../shared/use-polling.ts';
import './ipc-inspector.css';

/** How often the visible inspector asks for new records. */
export const TRACE_POLL_MS = 250;
/** At most this many pages per poll, so a flood cannot keep one poll busy. */
const PAGES_PER_POLL = 8;

interface TraceLog {
  readonly rows: readonly TraceRow[];
  /** Records seen but no longer kept (older than the newest 2,000). */
  readonly evicted: number;
  /** Records the browser's ring buffer overwrote before the inspector read them. */
  readonly dropped: number;
}

const EMPTY: TraceLog = { rows: [], evicted: 0, dropped: 0 };

function useTrace(paused: boolean): [TraceLog, () => void] {
  const client = useBrowserClient();
  const [log, setLog] = useState<TraceLog>(EMPTY);
  const nextSeq = useRef(0);
  const pending = useRef(new Map<string, number>());
  usePolling(
    async (signal) => {
      const incoming: TraceRow[] = [];
      let dropped = 0;
      for (let page = 0; page < PAGES_PER_POLL && !signal.aborted; page++) {
        const answer = await client.call('getTrace', { sinceSeq: nextSeq.current });
        nextSeq.current = answer.nextSeq;
        dropped += answer.dropped;
        const rows = traceRows(answer);
        incoming.push(...pairRoundTrips(rows, pending.current));
        if (rows.length < TRACE_PAGE) break;
      }
      if (!signal.aborted && (incoming.length || dropped)) {
        setLog((current) => {
          const next = appendRows(current.rows, incoming);
          return { rows: next.rows, evicted: current.evicted + next.evicted, dropped: current.dropped + dropped };
        });
      }
    },
    TRACE_POLL_MS,
    !paused,
  );
  return [log, () => setLog(EMPTY)];
}

function download(rows: readonly TraceRow[]) {
  const blob = new Blob([JSON.stringify(toChromeTrace(rows))], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  link.href = url;
  link.download = `ipc-trace-${stamp}.json`;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const count = (n: number) => n.toLocaleString('en-US');

export function IpcInspector() {
  const [paused, setPaused] = useState(false);
  const [log, clear] = useTrace(paused);
  const [peer, setPeer] = useState('');
  const [iface, setIface] = useState('');
  const body = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  const options = filterOptions(log.rows);
  const shown = filterRows(log.rows, { process: peer, interface: iface });
  const rendered = shown.length > INSPECTOR_RENDER ? shown.slice(-INSPECTOR_RENDER) : shown;
  const hidden = shown.length - rendered.length + log.evicted;

  // Follows the newest message while scrolled to the bottom, as a console does.
  useLayoutEffect(() => {
    const element = body.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  });

  const withCurrent = (list: string[], current: string) =>
    current && !list.includes(current) ? [current, ...list] : list;

  return (
    <div className="inspector">
      <div className="inspector-toolbar">
        <select aria-label="Filter by process" value={peer} onChange={(event) => setPeer(event.target.value)}>
          <option value="">All processes</option>
          {withCurrent(options.processes, peer).map((label) => (
            <option key={label} value={label}>
              {label}
            </option>
          ))}
        </select>
        <select aria-label="Filter by interface" value={iface} onChange={(event) => setIface(event.target.value)}>
          <option value="">All interfaces</option>
          {withCurrent(options.interfaces, iface).map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <span className="panel-note" role="status" aria-label="IPC inspector status">
          {paused ? 'Paused. ' : ''}
          {count(shown.length)} message{shown.length === 1 ? '' : 's'}
          {hidden ? ` (showing the newest ${count(rendered.length)}; ${count(hidden)} older not shown)` : ''}
          {log.dropped ? `; ${count(log.dropped)} missed` : ''}
        </span>
        <button type="button" className="button panel-button" onClick={() => setPaused((p) => !p)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="button panel-button" onClick={clear}>
          Clear
        </button>
        <button
          type="button"
          className="button panel-button"
          disabled={!log.rows.length}
          onClick={() => download(log.rows)}
        >
          Export trace
        </button>
      </div>
      <div
        className="panel-body"
        ref={body}
        onScroll={(event) => {
          const element = event.currentTarget;
          pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }}
      >
        <table className="process-table ipc-table" aria-label="IPC inspector">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">From → To</th>
              <th scope="col">Message</th>
              <th scope="col">Kind</th>
              <th scope="col" className="numeric">
                Size
              </th>
              <th scope="col" className="numeric">
                Round trip
              </th>
            </tr>
          </thead>
          <tbody>
            {rendered.map((row) => (
              <tr key={row.seq} data-seq={row.seq} className={isProblem(row) ? 'problem' : undefined} title={row.error}>
                <td className="time">{formatTime(row.sentAt)}</td>
                <td className="route">
                  {peerLabel(row.from)} → {peerLabel(row.to)}
                </td>
                <td className="message">
                  {messageName(row)}
                  {row.error && <span className="ipc-error">{row.error}</span>}
                </td>
                <td>
                  <span className={`ipc-kind ipc-kind-${row.kind}`}>{row.kind}</span>
                </td>
                <td className="numeric">{formatSize(row.size)}</td>
                <td className="numeric">{formatRoundTrip(row.roundTripMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!rendered.length && <p className="inspector-empty">{paused ? 'Paused.' : 'Waiting for messages…'}</p>}
      </div>
    </div>
  );
}
