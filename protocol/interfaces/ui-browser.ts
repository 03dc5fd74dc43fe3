/**
 * Browser UI page <-> browser process.
 *
 * The UI (tab strip, omnibox, toolbar, sad tab, dialogs, the task manager, the IPC inspector, the map and the
 * Experiments view) shows the browser's state and asks it to act; it never touches a tab or a process itself. Implemented by
 * the browser process: BrowserUiService (its events stream state changes to the UI). By the UI page:
 * BrowserUi.
 */
import { errorCodes, type ErrorCodeOf } from '../rpc/errors.ts';
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type, type Static } from '../rpc/schema.ts';
import {
  BrowserEvent,
  DirectChannel,
  GpuMode,
  ProcessInfo,
  ProcessModel,
  SandboxState,
  TabInfo,
} from './browser-state.ts';
import { TracePage } from './trace-page.ts';
import { SessionNotice } from '../session/session-notice.ts';
import { Arm, LatencySummary, MarkName, Marks, ScenarioName, TrialExit } from '../experiments/report.ts';
import { ExperimentRequestMessage } from '../experiments/request.ts';

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
  /** "Restore tabs?" after an unclean exit, or why the saved session could not be read; absent: nothing to say. */
  session: Type.Optional(SessionNotice),
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
  namespaces: Type.Optional(
    Type.Array(Type.Union([Type.Literal('user'), Type.Literal('pid'), Type.Literal('net')]), { maxItems: 3 }),
  ),
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
  interface: Type.Union([Type.Literal('TabGpu'), Type.Literal('TabPlugin'), Type.Literal('TabLab')]),
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

/**
 * The Experiments view's error codes. EXPERIMENT_RUNNING: startExperiment while one runs (one at a
 * time: they would share the tabs and each other's blast radius). NO_EXPERIMENT_RUNNER: this shell was
 * started without a runner. BAD_EXPERIMENT_REQUEST: the request failed protocol/experiments/request.ts's
 * check beyond its schema (faults without chaos, chaos without faults). NO_SUCH_EXPERIMENT: stopExperiment
 * for an id that is not the running one.
 */
export const ExperimentErrorCode = errorCodes(
  'EXPERIMENT_RUNNING',
  'NO_EXPERIMENT_RUNNER',
  'BAD_EXPERIMENT_REQUEST',
  'NO_SUCH_EXPERIMENT',
);
export type ExperimentErrorCode = ErrorCodeOf<typeof ExperimentErrorCode>;

/** The most trials getExperiment returns at once (the newest); the report on disk has them all. */
export const EXPERIMENT_TRIALS_MAX = 200;

/**
 * running: trials are landing. stopping: Stop was asked; the runner finishes its step and cleans up.
 * writing: the report is being written to disk. done: the report is written (`report`). failed: the run or
 * the writing failed (`error`); what was measured so far is still shown.
 */
export const ExperimentState = Type.Union([
  Type.Literal('running'),
  Type.Literal('stopping'),
  Type.Literal('writing'),
  Type.Literal('done'),
  Type.Literal('failed'),
]);
export type ExperimentState = Static<typeof ExperimentState>;

/**
 * One trial as the view lists it: the report's Trial (protocol/experiments/report.ts) without its long
 * lists, so that EXPERIMENT_TRIALS_MAX of them fit one UI message.
 */
export const ExperimentTrialRow = Struct({
  index: Type.Integer({ minimum: 0 }),
  arm: Arm,
  scenario: ScenarioName,
  /** Epoch milliseconds. */
  startedAt: Type.Number(),
  /** Milliseconds since `startedAt`, on the browser process's clock. */
  marks: Marks,
  exit: Type.Optional(TrialExit),
  ok: Type.Boolean(),
  /** Blast radius: other tabs that missed a heartbeat, heartbeats missed, processes that ended (target included). */
  otherTabsMissedTicks: Type.Integer({ minimum: 0 }),
  ticksMissed: Type.Integer({ minimum: 0 }),
  processesDied: Type.Integer({ minimum: 0 }),
  /** The first of the trial's notes (what was unexpected), cut to fit; the report has them all. */
  note: Type.Optional(Type.String({ maxLength: 256 })),
});
export type ExperimentTrialRow = Static<typeof ExperimentTrialRow>;

/** A latency the scenario reports: the time between two marks of a trial. */
export const ExperimentLatency = Struct({
  name: Type.String({ maxLength: 128 }),
  from: MarkName,
  to: MarkName,
  description: Type.String({ maxLength: 512 }),
});
export type ExperimentLatency = Static<typeof ExperimentLatency>;

export const ExperimentProgress = Struct({
  /** Whether this shell can run experiments at all. */
  runner: Type.Boolean(),
  /** The running experiment, or the last one since the browser started; absent before the first. */
  experiment: Type.Optional(
    Struct({
      id: Type.String({ maxLength: 128 }),
      request: ExperimentRequestMessage,
      state: ExperimentState,
      /** The runner's own statement of what should hold. */
      hypothesis: Type.String({ maxLength: 4096 }),
      trialsDone: Type.Integer({ minimum: 0 }),
      /** The newest trials, oldest first: at most the `lastTrials` asked for. */
      trials: Type.Array(ExperimentTrialRow, { maxItems: EXPERIMENT_TRIALS_MAX }),
      latencies: Type.Array(ExperimentLatency, { maxItems: 32 }),
      /** The summaries so far (final once `state` is done). */
      summaries: Type.Array(LatencySummary, { maxItems: 64 }),
      /** Once the run has ended: whether the hypothesis held, and why not. */
      verdict: Type.Optional(
        Struct({ holds: Type.Boolean(), reasons: Type.Array(Type.String({ maxLength: 512 }), { maxItems: 16 }) }),
      ),
      /** Stopped before all trials ran. */
      interrupted: Type.Boolean(),
      /** Where the report is, once written: the URL a tab opens (`lab://reports/<id>`) and the file. */
      report: Type.Optional(Struct({ url: Type.String({ maxLength: 256 }), file: Type.String({ maxLength: 1024 }) })),
      /** Why the state is failed. */
      error: Type.Optional(Type.String({ maxLength: 1024 })),
    }),
  ),
});
export type ExperimentProgress = Static<typeof ExperimentProgress>;

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
    /** The "Restore tabs?" bubble's Restore: the tabs of the session that ended uncleanly open again. */
    restoreSession: method(Struct({}), Ok),
    /** Closes the session notice; a dismissed offer's session is replaced by this one from then on. */
    dismissSessionNotice: method(Struct({}), Ok),
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
    /**
     * The Experiments view's Run: starts an experiment against this browser (the runner opens and closes
     * its own tabs). One at a time (EXPERIMENT_RUNNING); NO_EXPERIMENT_RUNNER where the shell has no
     * runner; BAD_EXPERIMENT_REQUEST for what the schema cannot refuse.
     */
    startExperiment: method(ExperimentRequestMessage, Struct({ id: Type.String({ maxLength: 128 }) })),
    /**
     * The view's Stop: the runner ends after its current step, cleans up, and the report keeps what was
     * measured. NO_SUCH_EXPERIMENT unless `id` is the running one (stopping twice is fine).
     */
    stopExperiment: method(Struct({ id: Type.String({ minLength: 1, maxLength: 128 }) }), Ok),
    /**
     * The view's feed, polled while it is shown: the running or last experiment, with its newest
     * `lastTrials` trials and the summaries so far.
     */
    getExperiment: method(
      Struct({ lastTrials: Type.Integer({ minimum: 0, maximum: EXPERIMENT_TRIALS_MAX }) }),
      ExperimentProgress,
    ),
  },
  events: {
    /** Something changed: the event, as recorded in the browser's history. */
    changed: BrowserEvent,
  },
});

/** What the UI painted, for experiments: the sad tab, or the "Page unresponsive" dialog. */
export const PaintedOverlay = Type.Union([Type.Literal('sad-tab'), Type.Literal('unresponsive-dialog')]);

export const BrowserUi = defineInterface({
  name: 'BrowserUi',
  methods: {},
  events: {
    /**
     * A frame showing `what` over `tabId` was painted (the UI's requestAnimationFrame, then a task:
     * after the frame was handed over). The browser stamps it when it arrives.
     */
    painted: Struct({ tabId: TabId, what: PaintedOverlay }),
  },
});
