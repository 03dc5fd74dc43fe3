/**
 * The browser process's model of its processes, as it reports it: to the browser UI (task manager,
 * architecture map, IPC inspector) and in its own event history. Vocabulary from Electron's
 * `render-process-gone` / `child-process-gone` reasons, plus `bad-message` (Chrome's
 * bad_message::ReceivedBadMessage).
 */
import { BAD_MESSAGE_REASONS, type BadMessageReason } from '../rpc/bad-message.ts';
import { Struct, Type, Variant, type Static } from '../rpc/schema.ts';
import { SessionNotice } from '../session/session-notice.ts';

export const ProcessKind = Type.Union([
  Type.Literal('browser'),
  Type.Literal('renderer'),
  Type.Literal('gpu'),
  Type.Literal('plugin-host'),
  Type.Literal('lab-host'),
]);
export type ProcessKind = Static<typeof ProcessKind>;

export const ProcessState = Type.Union([
  Type.Literal('starting'),
  Type.Literal('running'),
  Type.Literal('unresponsive'),
  Type.Literal('crashed'),
  Type.Literal('killed'),
  Type.Literal('exited'),
]);
export type ProcessState = Static<typeof ProcessState>;

export const ExitReason = Type.Union([
  Type.Literal('clean-exit'),
  Type.Literal('abnormal-exit'),
  Type.Literal('killed'),
  Type.Literal('crashed'),
  Type.Literal('oom'),
  Type.Literal('launch-failed'),
  Type.Literal('bad-message'),
]);
export type ExitReason = Static<typeof ExitReason>;

const Label = Type.String({ maxLength: 256 });

export const ProcessInfo = Struct({
  /** Stable for a role ('gpu', 'plugin-host') across restarts; one per renderer process. */
  id: Type.String({ maxLength: 64 }),
  kind: ProcessKind,
  /** What it serves, for people: a tab's title, "GPU process", "Plugin host". */
  label: Label,
  /** OS process id; absent until known (a renderer before its first load). */
  pid: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Epoch milliseconds of the current launch. */
  startedAt: Type.Number(),
  state: ProcessState,
  exitReason: Type.Optional(ExitReason),
  /** Exit code, where the process ended with one. */
  exitCode: Type.Optional(Type.Integer()),
  /** The signal that ended it (SIGKILL, SIGSEGV, SIGABRT...), where one did. */
  exitSignal: Type.Optional(Type.String({ maxLength: 16 })),
  /** How many times this role was started again after ending. */
  restarts: Type.Integer({ minimum: 0 }),
  /**
   * Started ahead of need and idle until used: the hot-standby GPU process, which takes over when the
   * active one crashes, or a spare renderer (Chrome's SpareRenderProcessHostManager), which the next
   * tab needing a new process takes (its end is no tab's crash). A flag, not a ProcessKind: it is the
   * same kind of process running the same code, and it becomes the active one in place, so whatever
   * asks "is this a GPU process" (End process, metrics, the map's shape) stays right; only the label
   * and the role differ.
   */
  standby: Type.Optional(Type.Boolean()),
});
export type ProcessInfo = Static<typeof ProcessInfo>;

export const GpuMode = Type.Union([Type.Literal('hardware'), Type.Literal('software')]);
export type GpuMode = Static<typeof GpuMode>;

export const ProcessModel = Type.Union([Type.Literal('process-per-tab'), Type.Literal('process-per-site')]);
export type ProcessModel = Static<typeof ProcessModel>;

/**
 * Whether the tab renderers run in Chromium's OS sandbox, as the shell decided at start
 * (main/node/sandbox.ts): off only where it cannot work (running as root; no user namespaces and no
 * setuid helper) or when `--no-sandbox` was asked for, and then why.
 */
export const SandboxState = Struct({
  enabled: Type.Boolean(),
  /** Why it is off: "running as root", "--no-sandbox was given", ... Absent when it is on. */
  reason: Type.Optional(Type.String({ maxLength: 256 })),
});
export type SandboxState = Static<typeof SandboxState>;

export const TabState = Type.Union([
  Type.Literal('loading'),
  Type.Literal('live'),
  Type.Literal('crashed'),
  Type.Literal('unresponsive'),
]);
export type TabState = Static<typeof TabState>;

/** What a sad tab says: why its renderer ended, with the code Chrome would show. */
export const TabCrash = Struct({
  reason: ExitReason,
  /** e.g. RESULT_CODE_KILLED_BAD_MESSAGE, RESULT_CODE_HUNG, SIGKILL, SIGSEGV. */
  code: Type.String({ maxLength: 64 }),
  /** Epoch milliseconds. */
  at: Type.Number(),
  /** The same tab crashed less than 10 s before: Chrome shows a different sad tab then. */
  repeated: Type.Boolean(),
});
export type TabCrash = Static<typeof TabCrash>;

export const TabInfo = Struct({
  id: Type.String({ maxLength: 64 }),
  url: Type.String({ maxLength: 2048 }),
  title: Type.String({ maxLength: 512 }),
  /** Which renderer process it runs in (a registry id); tabs of one site instance share it. */
  rendererId: Type.String({ maxLength: 64 }),
  pid: Type.Optional(Type.Integer({ minimum: 1 })),
  state: TabState,
  crash: Type.Optional(TabCrash),
});
export type TabInfo = Static<typeof TabInfo>;

/**
 * A direct channel the browser brokered between a tab's renderer and a utility process, as Chrome's
 * EstablishGpuChannel does: the tab's messages then go straight there, past the browser process.
 */
export const DirectChannel = Struct({
  /** What it carries: protocol/interfaces/tab-gpu.ts, tab-plugin.ts or tab-lab.ts. */
  interface: Type.Union([Type.Literal('TabGpu'), Type.Literal('TabPlugin'), Type.Literal('TabLab')]),
  /** The tab it was granted to (one channel of each interface per tab). */
  tabId: Type.String({ maxLength: 64 }),
  /** The tab's renderer process (a registry id). */
  from: Type.String({ maxLength: 64 }),
  /** The GPU process, the plugin host or the lab host (a registry id). */
  to: Type.String({ maxLength: 64 }),
  /** The pid of `to` when it was granted: the channel ends with that process (no event of its own). */
  toPid: Type.Integer({ minimum: 1 }),
});
export type DirectChannel = Static<typeof DirectChannel>;

const Common = { seq: Type.Integer({ minimum: 0 }), at: Type.Number() };

/** One change of state: what the UI subscribes to and the core keeps a short history of. */
export const BrowserEvent = Variant('type', [
  /** A process was launched (or relaunched: same id, new pid). */
  Struct({ type: Type.Literal('process-launched'), ...Common, process: ProcessInfo }),
  /** A process changed state without ending (starting -> running, running <-> unresponsive). */
  Struct({ type: Type.Literal('process-state-changed'), ...Common, process: ProcessInfo, previous: ProcessState }),
  /** A process ended; `process.exitReason` says how. */
  Struct({ type: Type.Literal('process-exited'), ...Common, process: ProcessInfo, expected: Type.Boolean() }),
  /** A process sent a message that failed validation. */
  Struct({
    type: Type.Literal('bad-message'),
    ...Common,
    processId: Type.String({ maxLength: 64 }),
    interface: Type.String({ maxLength: 128 }),
    /** Which of the RPC layer's reasons (bad-message.ts); what exactly was wrong is `reason`. */
    code: Type.Optional(
      Type.Unsafe<BadMessageReason>(Type.Union(BAD_MESSAGE_REASONS.map((reason) => Type.Literal(reason)))),
    ),
    reason: Type.String({ maxLength: 4096 }),
  }),
  /** A tab opened or changed (title, url, state, renderer, crash). */
  Struct({ type: Type.Literal('tab-changed'), ...Common, tab: TabInfo }),
  /** The user selected a tab. */
  Struct({ type: Type.Literal('tab-selected'), ...Common, tabId: Type.String({ maxLength: 64 }) }),
  /** A tab closed. */
  Struct({ type: Type.Literal('tab-closed'), ...Common, tabId: Type.String({ maxLength: 64 }) }),
  /** Compositing switched between the GPU process and tabs rasterizing themselves. */
  Struct({ type: Type.Literal('gpu-mode-changed'), ...Common, mode: GpuMode, reason: Type.String({ maxLength: 512 }) }),
  /** The browser brokered a direct channel for a tab's page; it replaces the tab's previous one of its interface. */
  Struct({ type: Type.Literal('channel-opened'), ...Common, channel: DirectChannel }),
  /**
   * A brokered channel ended with its page (crash, reload, navigation, close), or was asked for again
   * and refused (software compositing, plugin host down). One whose `to` process ends has no event.
   */
  Struct({ type: Type.Literal('channel-closed'), ...Common, channel: DirectChannel }),
  /**
   * The spare renderer left the process list: a tab took its process (`taken`, the tab's renderer
   * is then launched with the same pid), its process ended before any tab used it (`gone`: replaced,
   * no tab's crash), or the browser ended it (`discarded`: switched off, closing, End process).
   */
  Struct({
    type: Type.Literal('spare-renderer-ended'),
    ...Common,
    processId: Type.String({ maxLength: 64 }),
    pid: Type.Optional(Type.Integer({ minimum: 1 })),
    outcome: Type.Union([Type.Literal('taken'), Type.Literal('gone'), Type.Literal('discarded')]),
    /** The tab that took it (`taken`). */
    tabId: Type.Optional(Type.String({ maxLength: 64 })),
    /** Why its process ended (`gone`). */
    reason: Type.Optional(ExitReason),
  }),
  /** What the UI shows about the saved session changed (session-keeper.ts); no `notice`: nothing to show any more. */
  Struct({ type: Type.Literal('session-notice'), ...Common, notice: Type.Optional(SessionNotice) }),
]);
export type BrowserEvent = Static<typeof BrowserEvent>;

/** A BrowserEvent before the event log numbers and stamps it. */
export type BrowserEventInput = BrowserEvent extends infer E
  ? E extends BrowserEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;
