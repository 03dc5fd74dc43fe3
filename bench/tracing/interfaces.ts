/**
 * What the tracing benchmark's processes say to each other (bench/tracing.bench.ts, its browser
 * processes in browser.ts, their tabs and UIs in child.ts): declared once
 * so every side checks the same schemas. The UI's interface is the real BrowserUiService's getTrace
 * and getMetrics, so a browser answers exactly what it answers the app's UI.
 */
import { BrowserUiService } from '../../protocol/interfaces/ui-browser.ts';
import { defineInterface, method } from '../../protocol/rpc/interface.ts';
import { Struct, Type } from '../../protocol/rpc/schema.ts';
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
    {
      send: (text) => void send(text),
      setReceiver: (receive) => void channel.on('message', (message) => receive(message as string)),
    },
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

/** Tab-like children per browser process. */
export const BENCH_TABS = 4;
/** Timed calls a tab keeps per run. */
export const MAX_SAMPLES = 1_000_000;
/** The driver's channel to a browser carries every tab's samples at once: up to 72 MB. */
export const BENCH_DRIVER_MAX_BYTES = 128 * 1024 * 1024;
export const SAMPLES_PER_PAGE = 16_384;

/** The load child's control interface: the browser starts its load and stops it. */
export const BenchLoad = defineInterface({
  name: 'BenchLoad',
  methods: {
    /**
     * Calls `report` until `stop`: at `ratePerSecond` (paced, at most `inFlight` outstanding) or, with
     * rate 0, keeping `inFlight` calls outstanding. Answers once stopped, with how many calls it timed.
     */
    run: method(
      Struct({ ratePerSecond: Type.Number({ minimum: 0 }), inFlight: Type.Integer({ minimum: 1, maximum: 4096 }) }),
      Struct({ calls: Type.Integer({ minimum: 0, maximum: MAX_SAMPLES }) }),
    ),
    /** Ends the run under way: no new calls; `run` answers when the outstanding ones are back. */
    stop: method(Struct({}), Struct({})),
    /**
     * The last run's calls from `offset` on, at most SAMPLES_PER_PAGE: each one's send time (epoch
     * ms, comparable across processes) and round trip. In pages: a string channel refuses a message
     * over 1 MiB.
     */
    samples: method(
      Struct({ offset: Type.Integer({ minimum: 0 }) }),
      Struct({
        sentAt: Type.Array(Type.Number(), { maxItems: SAMPLES_PER_PAGE }),
        latencyMs: Type.Array(Type.Number(), { maxItems: SAMPLES_PER_PAGE }),
      }),
    ),
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
      Struct({
        polls: Type.Integer({ minimum: 0 }),
        records: Type.Integer({ minimum: 0 }),
        dropped: Type.Integer({ minimum: 0 }),
      }),
    ),
  },
  events: {},
});

/** What the benchmark's browser processes measure in a slice (bench/tracing/browser.ts). */
export const BENCH_MODES = ['closed', 'inspector', 'inspector-clone', 'task-manager', 'both', 'closed-again'] as const;
export type BenchMode = (typeof BENCH_MODES)[number];

const count = Type.Number({ minimum: 0 });

/** A browser process of the benchmark, as the benchmark's main process drives it. */
export const BenchBrowser = defineInterface({
  name: 'BenchBrowser',
  methods: {
    /**
     * Starts the tabs' load for a phase: `callsPerSecond` in all, each tab at most `inFlight` calls
     * outstanding; with rate 0, `inFlight` calls outstanding per tab all the time.
     */
    start: method(Struct({ callsPerSecond: count, inFlight: Type.Integer({ minimum: 1, maximum: 4096 }) }), Struct({})),
    /**
     * Switches to `mode`, lets it settle `settleMs`, then measures a window of `windowMs`: tab
     * messages, CPU time (every thread), GC pauses; and what the UI received over the whole slice.
     */
    slice: method(
      Struct({ mode: Type.String({ maxLength: 32 }), settleMs: count, windowMs: count }),
      Struct({
        messages: count,
        seconds: count,
        cpuUs: count,
        gcMs: count,
        /** The window, epoch ms: a tab's call sent in it belongs to it. */
        from: count,
        to: count,
        sliceSeconds: count,
        /** Over the whole slice (switching and settling included): a check on the window's figures. */
        sliceMessages: count,
        sliceCpuUs: count,
        uiPolls: count,
        uiRecords: count,
        uiDropped: count,
      }),
    ),
    /** Ends the phase: the tabs stop; every call's send time (epoch ms) and round trip. */
    finish: method(
      Struct({}),
      Struct({
        sentAt: Type.Array(Type.Number(), { maxItems: BENCH_TABS * MAX_SAMPLES }),
        latencyMs: Type.Array(Type.Number(), { maxItems: BENCH_TABS * MAX_SAMPLES }),
        badMessages: Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 1000 }),
      }),
    ),
  },
  events: {},
});

/** The benchmark's main process, as a browser sees it: nothing to call. */
export const BenchDriver = defineInterface({ name: 'BenchDriver', methods: {}, events: {} });

export const TRACE_POLL_MS = 250;
export const PAGES_PER_POLL = 8;
export const METRICS_POLL_MS = 1000;
