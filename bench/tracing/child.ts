/**
 * The children of the tracing benchmark (bench/tracing.bench.ts), bundled and forked by it:
 *
 *   tracing-bench-child load json|clone
 *                              a tab-like renderer: calls the browser's BenchHost.report at a paced
 *                              rate (or with a fixed number of calls in flight) and times each call;
 *                              `json`: over a channel of JSON strings, as a tab page's channel is in
 *                              both shells (a CDP binding, or ipcRenderer); `clone`: structured clone;
 *   tracing-bench-child ui clone|json
 *                              the browser UI with the IPC inspector shown: polls getTrace every
 *                              250 ms as renderer/browser-ui/ipc-inspector/IpcInspector.tsx does (up to 8 pages
 *                              a poll), and getMetrics every second as the task manager does, when told.
 *                              `json`: the UI page's channel in both shells, JSON strings
 *                              (stringChannelTransport) that are escaped once more on the way (as the
 *                              CDP message that hands them to the page does, main/chromium/ui-page.ts;
 *                              in Electron the preload's ipcRenderer carries the same strings);
 *                              `clone`: a structured-clone channel instead, for comparison. Each
 *                              answer is decoded into rows (decodeTracePage), as the inspector does.
 *
 * What they say: interfaces.ts.
 */
import { decodeTracePage } from '../../protocol/interfaces/trace-page.ts';
import { TRACE_PAGE } from '../../protocol/interfaces/trace-page.ts';
import { connect } from '../../protocol/rpc/endpoint.ts';
import { childProcessTransport } from '../../protocol/transport/child-process.ts';
import {
  BenchHost,
  BenchLoad,
  InspectorService,
  InspectorUi,
  jsonStringTransport,
  MAX_SAMPLES,
  METRICS_POLL_MS,
  PAGES_PER_POLL,
  SAMPLES_PER_PAGE,
  TRACE_POLL_MS,
} from './interfaces.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function serveLoad(channel: 'clone' | 'json'): void {
  const tabId = `tab-${process.pid}`;
  let stopping = false;
  let sentAts: number[] = [];
  let latencies: number[] = [];
  const connection = connect({
    transport:
      channel === 'json'
        ? jsonStringTransport(process, { process: 'browser' })
        : childProcessTransport(process, { process: 'browser' }),
    self: { process: 'renderer', id: tabId, pid: process.pid },
    local: BenchLoad,
    remote: BenchHost,
    handlers: {
      run: async ({ ratePerSecond, inFlight }) => {
        stopping = false;
        sentAts = [];
        latencies = [];
        let seq = 0;
        let outstanding = 0;
        let failure: unknown;
        const callOnce = () => {
          const sentAt = performance.now();
          outstanding++;
          const current = seq++;
          connection.remote
            .report({
              tabId,
              seq: current,
              title: `Tab ${tabId}: state ${current % 100}`,
              loading: current % 2 === 0,
              progress: (current % 10) / 10,
            })
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
        return { calls: latencies.length };
      },
      stop: () => {
        stopping = true;
        return {};
      },
      samples: ({ offset }) => ({
        sentAt: sentAts.slice(offset, offset + SAMPLES_PER_PAGE),
        latencyMs: latencies.slice(offset, offset + SAMPLES_PER_PAGE),
      }),
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
    transport:
      channel === 'json'
        ? jsonStringTransport(process, { process: 'browser' })
        : childProcessTransport(process, { process: 'browser' }),
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
  const channel = process.argv[3];
  if (role === 'load' && (channel === 'clone' || channel === 'json')) serveLoad(channel);
  else if (role === 'ui' && (channel === 'clone' || channel === 'json')) serveUi(channel);
  else {
    console.error(`tracing-bench-child: unknown role ${role}`);
    process.exit(2);
  }
}
