/**
 * Browser UI page <-> browser process.
 *
 * The UI (tab strip, omnibox, toolbar, sad tab, dialogs, later the task manager and the map) shows
 * the browser's state and asks it to act; it never touches a tab or a process itself. Implemented by
 * the browser process: BrowserUiService (its events stream state changes to the UI). By the UI page:
 * BrowserUi.
 */
import { errorCodes, type ErrorCodeOf } from '../rpc/errors.ts';
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type } from '../rpc/schema.ts';
import { BrowserEvent, DirectChannel, GpuMode, ProcessInfo, ProcessModel, SandboxState, TabInfo } from './browser-state.ts';

/**
 * BrowserUiService's error codes (a CodedError's `code`); the UI shows them. NO_SUCH_TAB: a tab method
 * named a tab that does not exist (any more). URL_NOT_ALLOWED: openTab or omnibox with a URL a page may
 * not load (file:, javascript:, an unknown lab:// page). NO_SUCH_PROCESS: endProcess for an unknown or
 * ended process. CANNOT_END_BROWSER: endProcess for the browser process itself.
 */
export const BrowserUiErrorCode = errorCodes('NO_SUCH_TAB', 'URL_NOT_ALLOWED', 'NO_SUCH_PROCESS', 'CANNOT_END_BROWSER');
export type BrowserUiErrorCode = ErrorCodeOf<typeof BrowserUiErrorCode>;

/** How much history getState carries (the UI keeps more as events arrive). */
export const STATE_EVENTS = 200;

const TabId = Type.String({ minLength: 1, maxLength: 64 });
const ForTab = Struct({ tabId: TabId });
const Ok = Struct({});

export const BrowserState = Struct({
  tabs: Type.Array(TabInfo, { maxItems: 100 }),
  selectedTabId: Type.Optional(TabId),
  processes: Type.Array(ProcessInfo, { maxItems: 128 }),
  gpuMode: GpuMode,
  processModel: ProcessModel,
  /** The OS sandbox of the tab renderers, as the shell decided at start. Absent: the shell did not say. */
  sandbox: Type.Optional(SandboxState),
  pluginHost: Struct({ running: Type.Boolean(), recentCrashes: Type.Integer({ minimum: 0 }) }),
  /** How many bad messages the browser has received since it started. */
  badMessages: Type.Integer({ minimum: 0 }),
  /**
   * The direct channels the browser brokered (a tab's renderer to the GPU process or the plugin host)
   * whose process is still the one granted; at most two per tab. Absent is none.
   */
  channels: Type.Optional(Type.Array(DirectChannel, { maxItems: 200 })),
  /** The recent history, oldest first: the last 200 events, so the state fits one UI message. */
  events: Type.Array(BrowserEvent, { maxItems: STATE_EVENTS }),
});

/**
 * A process's sandbox as /proc reports it (main/node/proc-sandbox.ts), measured, not labelled:
 * its seccomp mode (`Seccomp:` 0 none, 1 strict, 2 filter = seccomp-bpf), whether it has
 * no_new_privs, and which of its user, pid and net namespaces differ from the browser process's.
 */
export const ProcessSandbox = Struct({
  seccomp: Type.Union([Type.Literal('none'), Type.Literal('strict'), Type.Literal('filter')]),
  noNewPrivs: Type.Boolean(),
  /** Absent when the kernel would not show its namespaces. */
  namespaces: Type.Optional(Type.Array(Type.Union([Type.Literal('user'), Type.Literal('pid'), Type.Literal('net')]), { maxItems: 3 })),
});

/** One process's row of figures in the task manager; CPU and memory absent where the shell cannot measure them. */
export const ProcessMetricsInfo = Struct({
  /** The registry id (ProcessInfo.id). */
  id: Type.String({ maxLength: 64 }),
  /** Percent of one core over the last sampling interval (may exceed 100 on several cores). */
  cpuPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  /** Bytes; on Linux the proportional set size (PSS). */
  memoryBytes: Type.Optional(Type.Number({ minimum: 0 })),
  /** Typed IPC messages per second the browser process exchanged with it (for the browser: all of them). */
  ipcPerSecond: Type.Number({ minimum: 0 }),
  /** Its sandbox, measured; absent where the shell cannot measure it (not Linux): "not measured". */
  sandbox: Type.Optional(ProcessSandbox),
});

/**
 * Messages per second on one tab's direct channel (the browser never sees them: the GPU process or
 * plugin host counted them, and the browser reads their counts once a second while watched).
 */
export const DirectChannelMetrics = Struct({
  interface: Type.Union([Type.Literal('TabGpu'), Type.Literal('TabPlugin')]),
  tabId: Type.String({ maxLength: 64 }),
  /** Both ways together. */
  perSecond: Type.Number({ minimum: 0 }),
  /** From the tab to the GPU process or plugin host. */
  toChildPerSecond: Type.Number({ minimum: 0 }),
  /** From the GPU process or plugin host to the tab. */
  toTabPerSecond: Type.Number({ minimum: 0 }),
});

export const ProcessMetricsReport = Struct({
  processes: Type.Array(ProcessMetricsInfo, { maxItems: 128 }),
  /** The direct channels measured over the last interval; absent or missing entries are not measured (yet). */
  channels: Type.Optional(Type.Array(DirectChannelMetrics, { maxItems: 256 })),
});

/** How many trace records one getTrace answer carries at most. */
export const TRACE_PAGE = 2000;
/**
 * The most routes (and errors) one page names; a record that would need one more starts the next
 * page. With it the largest possible page fits the UI channel's 1 MiB messages (string-channel.ts).
 */
export const TRACE_PAGE_ROUTES = 256;

const Peer = Struct({
  process: Type.String({ maxLength: 32 }),
  id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number()])),
  pid: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** One typed message the browser process sent or received (protocol/rpc/trace.ts), numbered. */
export const TraceEntry = Struct({
  seq: Type.Integer({ minimum: 0 }),
  direction: Type.Union([Type.Literal('send'), Type.Literal('receive')]),
  from: Peer,
  to: Peer,
  interface: Type.String({ maxLength: 64 }),
  method: Type.String({ maxLength: 64 }),
  kind: Type.Union([
    Type.Literal('request'),
    Type.Literal('response'),
    Type.Literal('error'),
    Type.Literal('event'),
    Type.Literal('cancel'),
    Type.Literal('bad-message'),
  ]),
  callId: Type.Optional(Type.Integer({ minimum: 0 })),
  size: Type.Integer({ minimum: 0 }),
  sentAt: Type.Number(),
  receivedAt: Type.Optional(Type.Number()),
  roundTripMs: Type.Optional(Type.Number()),
  error: Type.Optional(Type.String({ maxLength: 256 })),
});

/** A record's kind in a TracePage's `codes`: its index here, plus TRACE_RECEIVED when the browser received it. */
export const TRACE_KINDS = ['request', 'response', 'error', 'event', 'cancel', 'bad-message'] as const;
export const TRACE_RECEIVED = 8;

const Index = (count: number) => Type.Integer({ minimum: 0, maximum: count - 1 });

/** Who sent what to whom, shared by the records of one route: indexes into the page's tables. */
export const TraceRoute = Struct({
  /** The kind (TRACE_KINDS index), + TRACE_RECEIVED for a record the browser received. */
  code: Type.Union([
    Type.Integer({ minimum: 0, maximum: TRACE_KINDS.length - 1 }),
    Type.Integer({ minimum: TRACE_RECEIVED, maximum: TRACE_RECEIVED + TRACE_KINDS.length - 1 }),
  ]),
  from: Index(2 * TRACE_PAGE_ROUTES),
  to: Index(2 * TRACE_PAGE_ROUTES),
  interface: Index(2 * TRACE_PAGE_ROUTES),
  method: Index(2 * TRACE_PAGE_ROUTES),
});

/**
 * A TracePage record's numbers: TRACE_FIELDS 32-bit integers, little-endian, at these offsets;
 * TRACE_NONE where a record has none. A call id takes two words (high, then low as unsigned): it can
 * pass 2^32.
 */
export const TRACE_FIELD = { route: 0, callIdHigh: 1, callIdLow: 2, size: 3, sentAt: 4, receivedAt: 5, roundTrip: 6, error: 7 } as const;
export const TRACE_FIELDS = 8;
export const TRACE_NONE = -0x8000_0000;

/**
 * A page of trace records (TraceEntry). What records share is in tables, each distinct entry once:
 * peers and names, and routes (kind, direction, from, to, interface, method) that index them. Each
 * record's numbers are in `records`: TRACE_FIELDS int32 words per record (TRACE_FIELD), base64.
 * Times are whole microseconds from the page's `timeBase` (as Chrome's trace format counts them).
 * Binary because the inspector reads thousands of records a second: filling and base64-encoding
 * one buffer costs the browser process less than half of building number arrays and writing them
 * as JSON text (and the UI checks one string, not thousands of numbers). `decodeTracePage`
 * (protocol/interfaces/trace-page.ts) checks the numbers against the tables and makes TraceEntry rows.
 */
export const TracePage = Struct({
  /** The seq of the first record; the others follow it one by one. */
  firstSeq: Type.Integer({ minimum: 0 }),
  /** How many records the page holds. */
  count: Type.Integer({ minimum: 0, maximum: TRACE_PAGE }),
  /** Epoch milliseconds that the time fields count from. */
  timeBase: Type.Number(),
  /** The peers the routes name (`from`, `to`). */
  peers: Type.Array(Peer, { maxItems: 2 * TRACE_PAGE_ROUTES }),
  /** Interface and method names. */
  names: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 2 * TRACE_PAGE_ROUTES }),
  routes: Type.Array(TraceRoute, { maxItems: TRACE_PAGE_ROUTES }),
  /** Error texts. */
  errors: Type.Array(Type.String({ maxLength: 256 }), { maxItems: TRACE_PAGE_ROUTES }),
  /**
   * The records' numbers, base64: route (index into routes), call id (two words), size, sentAt and
   * receivedAt (microseconds from timeBase; sentAt may be another process's clock, clipped to the
   * int32 range), round trip (microseconds), error (index into errors).
   */
  records: Type.String({ maxLength: 4 * Math.ceil((TRACE_PAGE * TRACE_FIELDS * 4) / 3) }),
  /** Ask from here next time. */
  nextSeq: Type.Integer({ minimum: 0 }),
  /** How many records after `sinceSeq` the ring buffer had already overwritten. */
  dropped: Type.Integer({ minimum: 0 }),
});

export const BrowserUiService = defineInterface({
  name: 'BrowserUiService',
  methods: {
    /** Everything the UI shows, at once; afterwards `changed` events keep it current. */
    getState: method(Struct({}), BrowserState),
    /** Opens a tab on `url` (lab:// or http(s)) and selects it. */
    openTab: method(Struct({ url: Type.String({ maxLength: 2048 }) }), ForTab),
    closeTab: method(ForTab, Ok),
    selectTab: method(ForTab, Ok),
    /** What was typed in the omnibox: a URL to load, or one of Chrome's debug URLs. */
    omnibox: method(Struct({ tabId: TabId, text: Type.String({ maxLength: 2048 }) }), Ok),
    reload: method(ForTab, Ok),
    goBack: method(ForTab, Ok),
    goForward: method(ForTab, Ok),
    /** "Crash this tab". */
    crashTab: method(ForTab, Ok),
    /** "Hang this tab". */
    hangTab: method(ForTab, Ok),
    /** "Kill process": ends the tab's renderer process from outside. */
    killTab: method(ForTab, Ok),
    /** The unresponsive dialog's Wait. */
    waitTab: method(ForTab, Ok),
    /** The unresponsive dialog's Stop. */
    stopTab: method(ForTab, Ok),
    /** The plugin placeholder's Restart. */
    restartPluginHost: method(Struct({}), Ok),
    /**
     * The task manager's figures, sampled about once a second. Sampling (and IPC tracing, which has a
     * cost) runs only while someone asks: it stops a few seconds after the last call.
     */
    getMetrics: method(Struct({}), ProcessMetricsReport),
    /**
     * The task manager's "End process": a renderer's tabs get sad tabs, the GPU process and plugin host
     * are killed (and handled as any crash). Refused for the browser process (CANNOT_END_BROWSER) and
     * for an unknown or ended process (NO_SUCH_PROCESS).
     */
    endProcess: method(Struct({ processId: Type.String({ minLength: 1, maxLength: 64 }) }), Ok),
    /**
     * The IPC inspector's feed: trace records numbered from 0, from `sinceSeq` on (a bounded ring
     * buffer in the browser process). Tracing runs only while asked: it stops a few seconds after the
     * last call, and the first call starts it (and returns nothing yet).
     */
    getTrace: method(Struct({ sinceSeq: Type.Integer({ minimum: 0 }) }), TracePage),
  },
  events: {
    /** Something changed: the event, as recorded in the browser's history. */
    changed: BrowserEvent,
  },
});

export const BrowserUi = defineInterface({
  name: 'BrowserUi',
  methods: {},
  events: {},
});
