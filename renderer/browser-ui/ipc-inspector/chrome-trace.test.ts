import { describe, expect, it } from 'vitest';
import { toChromeTrace } from './chrome-trace.ts';
import {
  appendRows,
  filterOptions,
  filterRows,
  formatRoundTrip,
  formatSize,
  pairRoundTrips,
  type TraceRow,
} from './ipc-inspector.ts';

const T0 = 1_764_000_000_000.25;

function row(seq: number, fields: Partial<TraceRow>): TraceRow {
  return {
    seq,
    direction: 'receive',
    from: { process: 'renderer', id: 'tab-1', pid: 4242 },
    to: { process: 'browser' },
    interface: 'TabPage',
    method: 'heartbeat',
    kind: 'event',
    size: 40,
    sentAt: T0 + seq,
    ...fields,
  };
}

const rows: TraceRow[] = [
  // Out of order on purpose: the export sorts by time.
  row(2, {
    direction: 'send',
    from: { process: 'browser' },
    to: { process: 'renderer', id: 'tab-1', pid: 4242 },
    interface: 'TabHostService',
    method: 'requestGpuChannel',
    kind: 'response',
    callId: 1,
    sentAt: T0 + 2.5,
  }),
  row(0, { receivedAt: T0 + 0.5 }),
  row(1, {
    interface: 'TabHostService',
    method: 'requestGpuChannel',
    kind: 'request',
    callId: 1,
    receivedAt: T0 + 1.25,
  }),
  row(3, {
    from: { process: 'ui' },
    interface: 'BrowserUiService',
    method: 'getTrace',
    kind: 'request',
    callId: 7,
    receivedAt: T0 + 3.1,
  }),
  row(4, {
    from: { process: 'renderer', id: 'tab-2', pid: 4343 },
    interface: '?',
    method: '?',
    kind: 'bad-message',
    error: 'malformed',
  }),
];

describe('toChromeTrace', () => {
  const trace = toChromeTrace(rows);
  const json = JSON.parse(JSON.stringify(trace)) as { traceEvents: Record<string, unknown>[] };

  it('is Trace Event Format JSON: every event has name, ph, ts, pid', () => {
    expect(Array.isArray(json.traceEvents)).toBe(true);
    for (const event of json.traceEvents) {
      expect(typeof event['name']).toBe('string');
      expect(['X', 'i', 'M']).toContain(event['ph']);
      expect(typeof event['ts']).toBe('number');
      expect(Number.isInteger(event['pid'])).toBe(true);
    }
  });

  it('has one process_name track per process, OS pids where known', () => {
    const names = json.traceEvents.filter((e) => e['ph'] === 'M' && e['name'] === 'process_name');
    expect(names.map((e) => (e['args'] as { name: string }).name).sort()).toEqual([
      'browser',
      'renderer#tab-1 (pid 4242)',
      'renderer#tab-2 (pid 4343)',
      'ui',
    ]);
    const pids = names.map((e) => e['pid']);
    expect(new Set(pids).size).toBe(pids.length);
    expect(pids).toEqual(expect.arrayContaining([4242, 4343]));
    // Every message sits on a track that has a name.
    for (const event of json.traceEvents.filter((e) => e['ph'] !== 'M')) expect(pids).toContain(event['pid']);
  });

  it('puts messages in microseconds, sorted, complete where received and instant otherwise', () => {
    const messages = trace.traceEvents.filter((e) => e.ph !== 'M');
    expect(messages.map((e) => e.args?.['seq'])).toEqual([0, 1, 2, 3, 4]);
    const ts = trace.traceEvents.map((e) => e.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(messages[0]).toMatchObject({
      name: 'TabPage.heartbeat',
      ph: 'X',
      ts: Math.round(T0 * 1000),
      dur: 500,
      pid: 4242,
    });
    expect(messages[1]).toMatchObject({ name: 'TabHostService.requestGpuChannel', ph: 'X', dur: 250 });
    expect(messages[2]).toMatchObject({ name: 'TabHostService.requestGpuChannel', ph: 'i', s: 't', cat: 'response' });
    expect(messages[4]).toMatchObject({
      ph: 'i',
      cat: 'bad-message',
      args: expect.objectContaining({ error: 'malformed' }),
    });
  });

  it('is empty but valid with no records', () => {
    expect(toChromeTrace([])).toEqual({ traceEvents: [], displayTimeUnit: 'ms' });
  });
});

describe('the inspector rows', () => {
  it('keeps the newest and counts the rest', () => {
    const { rows: kept, evicted } = appendRows(rows.slice(0, 3), rows.slice(3), 4);
    expect(evicted).toBe(1);
    expect(kept.map((r) => r.seq)).toEqual([0, 1, 3, 4]);
  });

  it('filters by process (sender or receiver) and by interface', () => {
    expect(filterRows(rows, { process: 'ui', interface: '' }).map((r) => r.seq)).toEqual([3]);
    expect(filterRows(rows, { process: 'renderer#tab-1', interface: 'TabHostService' }).map((r) => r.seq)).toEqual([
      2, 1,
    ]);
    expect(filterOptions(rows)).toEqual({
      processes: ['browser', 'renderer#tab-1', 'renderer#tab-2', 'ui'],
      interfaces: ['?', 'BrowserUiService', 'TabHostService', 'TabPage'],
    });
  });

  it('formats sizes and round trips', () => {
    expect(formatSize(312)).toBe('312 B');
    expect(formatSize(4200)).toBe('4.1 KB');
    expect(formatRoundTrip(undefined)).toBe('');
    expect(formatRoundTrip(0.4231)).toBe('0.42 ms');
    expect(formatRoundTrip(1204.2)).toBe('1,204 ms');
  });
});

describe('pairRoundTrips', () => {
  it('gives a response the browser sent the time since its request was sent', () => {
    const pending = new Map<string, number>();
    const [request] = pairRoundTrips([rows[2]!], pending);
    expect(request!.roundTripMs).toBeUndefined();
    const [response] = pairRoundTrips([rows[0]!], pending);
    expect(response!.roundTripMs).toBeCloseTo(1.5);
    expect(pending.size).toBe(0);
  });
});
