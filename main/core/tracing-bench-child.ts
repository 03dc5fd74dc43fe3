/**
 * The children of the tracing benchmark (main/core/tracing.bench.ts), bundled and forked by it:
 *
 *   tracing-bench-child load   a tab-like renderer: calls the browser's BenchHost.report at a paced
 *                              rate (or with a fixed number of calls in flight) and times each call;
 *   tracing-bench-child ui clone|json
 *                              the browser UI with the IPC inspector shown: polls getTrace every
 *                              250 ms as renderer/src/components/IpcInspector.tsx does (up to 8 pages
 *                              a poll), and getMetrics every second as the task manager does, when told.
 *                              `clone`: its channel structured-clones (Electron's UI IPC); `json`: the
 *                              Chromium shell's UI channel, JSON strings (stringChannelTransport) that
 *                              are escaped once more on the way (as the CDP message that hands them to
 *                              the page does: main/chromium/ui-page.ts). Each answer is decoded into
 *                              rows (decodeTracePage), as the inspector does.
 *
 * The interfaces are declared here so both sides import the same schemas; the UI's is the real
 * BrowserUiService's getTrace and getMetrics, so the browser answers exactly what it answers the UI.
 */
import { decodeTracePage } from '../../protocol/interfaces/trace-page.ts';
import { BrowserUiService, TRACE_PAGE } from '../../protocol/interfaces/ui-browser.ts';
import { connect } from '../../protocol/rpc/endpoint.ts';
import { defineInterface, method } from '../../protocol/rpc/interface.ts';
import { Struct, Type } from '../../protocol/rpc/schema.ts';
import { childProcessTransport } from '../../protocol/transport/child-process.ts';
import { stringChannelTransport } from '../../protocol/transport/string-channel.ts';
import type { PeerIdentity, Transport } from '../../protocol/transport/transport.ts';

/**
 * A JSON string channel over a child process's IPC channel (fork with the default, JSON,
 * serialization): each message is a JSON string, which the IPC channel encodes as JSON once more.
 */
export function jsonStringTransport(
  channel: { send?(message: unknown): boolean; on(event: 'message', listener: (message: unknown) => void): unknown },
  peer: PeerIdentity,
): Transport {
  const send = channel.send?.bind(channel);
  if (!send) throw new Error('no IPC channel');
  return stringChannelTransport(
    { send: (text) => void send(text), setReceiver: (receive) => void channel.on('message', (message) => receive(message as string)) },
    peer,
  );
}

/** What a tab-like child reports to the browser: a small message, as most of the app's traffic is. */
export const BenchHost = defineInterface({
  name: 'BenchHost',
  methods: {
    /** About 100 bytes: a tab's state change. */
    report: method(
      Struct({
        tabId: Type.String({ maxLength: 64 }),
        seq: Type.Integer({ minimum: 0 }),
        title: Type.String({ maxLength: 256 }),
        loading: Type.Boolean(),
        progress: Type.Number({ minimum: 0, maximum: 1 }),
      }),
      Struct({ seq: Type.Integer({ minimum: 0 }) }),
    ),
  },
  events: {},
});

const MAX_SAMPLES = 1_000_000;

/** The load child's control interface: the browser starts its load and stops it. */
export const BenchLoad = defineInterface({
  name: 'BenchLoad',
  methods: {
    /**
     * Calls `report` until `stop`: at `ratePerSecond` (paced, at most `inFlight` outstanding) or, with
     * rate 0, keeping `inFlight` calls outstanding. Answers once stopped, with every call's send time
     * (epoch ms, comparable across processes) and round trip.
     */
    run: method(
      Struct({ ratePerSecond: Type.Number({ minimum: 0 }), inFlight: Type.Integer({ minimum: 1, maximum: 4096 }) }),
      Struct({
        sentAt: Type.Array(Type.Number(), { maxItems: MAX_SAMPLES }),
        latencyMs: Type.Array(Type.Number(), { maxItems: MAX_SAMPLES }),
      }),
    ),
    /** Ends the run under way: no new calls; `run` answers when the outstanding ones are back. */
    stop: method(Struct({}), Struct({})),
  },
  events: {},
});

/** The browser's side of the UI channel, as far as the inspector and the task manager use it. */
export const InspectorService = defineInterface({
  name: BrowserUiService.name,
  methods: { getTrace: BrowserUiService.methods.getTrace, getMetrics: BrowserUiService.methods.getMetrics },
  events: {},
});

/** The UI child's control interface. */
export const InspectorUi = defineInterface({
  name: 'BrowserUi',
  methods: {
    /** Starts polling (getTrace every 250 ms, and getMetrics every second if `metrics`), or stops it. */
    poll: method(
      Struct({ trace: Type.Boolean(), metrics: Type.Boolean() }),
      /** Since the previous call: polls made, records received, records the ring buffer overwrote first. */
      Struct({ polls: Type.Integer({ minimum: 0 }), records: Type.Integer({ minimum: 0 }), dropped: Type.Integer({ minimum: 0 }) }),
    ),
  },
  events: {},
});

export const TRACE_POLL_MS = 250;
export const PAGES_PER_POLL = 8;
export const METRICS_POLL_MS = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function serveLoad(): void {
  const tabId = `tab-${process.pid}`;
  let stopping = false;
  const connection = connect({
    transport: childProcessTransport(process, { process: 'browser' }),
    self: { process: 'renderer', id: tabId, pid: process.pid },
    local: BenchLoad,
    remote: BenchHost,
    handlers: {
      run: async ({ ratePerSecond, inFlight }) => {
        stopping = false;
        const sentAts: number[] = [];
        const latencies: number[] = [];
        let seq = 0;
        let outstanding = 0;
        let failure: unknown;
        const callOnce = () => {
          const sentAt = performance.now();
          outstanding++;
          const current = seq++;
          connection.remote
            .report({ tabId, seq: current, title: `Tab ${tabId}: state ${current % 100}`, loading: current % 2 === 0, progress: (current % 10) / 10 })
            .then(
              (answer) => {
                if (answer.seq !== current) failure ??= new Error(`answer for ${answer.seq}, expected ${current}`);
                if (latencies.length < MAX_SAMPLES) {
                  latencies.push(performance.now() - sentAt);
                  sentAts.push(performance.timeOrigin + sentAt);
                }
              },
              (error: unknown) => (failure ??= error),
            )
            .finally(() => {
              outstanding--;
              if (ratePerSecond === 0 && !stopping) callOnce();
            });
        };
        if (ratePerSecond === 0) {
          for (let i = 0; i < inFlight; i++) callOnce();
          while (!stopping) await sleep(5);
        } else {
          // Paced: every millisecond or so, send the calls that fell due since the start.
          const start = performance.now();
          let sent = 0;
          while (!stopping) {
            const due = Math.floor(((performance.now() - start) * ratePerSecond) / 1000);
            while (sent < due && outstanding < inFlight) {
              callOnce();
              sent++;
            }
            sent = Math.max(sent, due); // a call skipped at the in-flight cap is not made up later
            await sleep(1);
          }
        }
        while (outstanding > 0) await sleep(1);
        if (failure) throw failure;
        return { sentAt: sentAts, latencyMs: latencies };
      },
      stop: () => {
        stopping = true;
        return {};
      },
    },
    onBadMessage: (report) => console.error(`[load] bad message: ${report.reason}`),
    timeoutMs: 600_000,
  });
  process.on('disconnect', () => process.exit(0));
}

function serveUi(channel: 'clone' | 'json'): void {
  let trace = false;
  let metrics = false;
  let polls = 0;
  let records = 0;
  let dropped = 0;
  let nextSeq = 0;
  let skipToNewest = false;
  let traceTimer: ReturnType<typeof setTimeout> | undefined;
  let metricsTimer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const connection = connect({
    transport: channel === 'json' ? jsonStringTransport(process, { process: 'browser' }) : childProcessTransport(process, { process: 'browser' }),
    self: { process: 'ui' },
    local: InspectorUi,
    remote: InspectorService,
    handlers: {
      poll: async (request) => {
        clearTimeout(traceTimer);
        clearTimeout(metricsTimer);
        // Starting: skip what the other UI child read meanwhile (a backlog is not the steady state).
        if (request.trace && !trace) skipToNewest = true;
        trace = request.trace;
        metrics = request.metrics;
        await running; // a poll under way finishes first
        const stats = { polls, records, dropped };
        polls = records = dropped = 0;
        if (trace) pollTrace();
        if (metrics) pollMetrics();
        return stats;
      },
    },
    onBadMessage: (report) => console.error(`[ui] bad message: ${report.reason}`),
  });

  // As IpcInspector's useTrace: up to PAGES_PER_POLL pages, then the next poll TRACE_POLL_MS later.
  const pollTrace = () => {
    running = (async () => {
      polls++;
      if (skipToNewest) {
        skipToNewest = false;
        nextSeq = (await connection.remote.getTrace({ sinceSeq: Number.MAX_SAFE_INTEGER })).nextSeq;
      }
      for (let page = 0; page < PAGES_PER_POLL && trace; page++) {
        const answer = await connection.remote.getTrace({ sinceSeq: nextSeq });
        nextSeq = answer.nextSeq;
        const rows = decodeTracePage(answer); // as the UI does
        records += rows.length;
        dropped += answer.dropped;
        if (rows.length < TRACE_PAGE) break;
      }
    })().catch((error: unknown) => console.error('[ui] getTrace failed:', error));
    void running.then(() => {
      if (trace) traceTimer = setTimeout(pollTrace, TRACE_POLL_MS);
    });
  };
  // As ProcessPanel's useMetrics.
  const pollMetrics = () => {
    void connection.remote
      .getMetrics({})
      .catch((error: unknown) => console.error('[ui] getMetrics failed:', error))
      .then(() => {
        if (metrics) metricsTimer = setTimeout(pollMetrics, METRICS_POLL_MS);
      });
  };
  process.on('disconnect', () => process.exit(0));
}

const role = process.argv[2];
if (typeof process.send === 'function') {
  if (role === 'load') serveLoad();
  else if (role === 'ui' && (process.argv[3] === 'clone' || process.argv[3] === 'json')) serveUi(process.argv[3]);
  else {
    console.error(`tracing-bench-child: unknown role ${role}`);
    process.exit(2);
  }
}
