/**
 * The browser UI's copy of the browser process's state: the `getState()` snapshot, kept current by
 * applying each `changed` event. Pure functions on immutable values (each change makes a new
 * object, as useSyncExternalStore needs), no DOM: unit-tested in Node (browser-state.test.ts).
 */
import type {
  BrowserEvent,
  DirectChannel,
  GpuMode,
  ProcessInfo,
  ProcessModel,
  ProcessState,
  SandboxState,
  TabInfo,
} from '../../../protocol/interfaces/browser-state.ts';
import type { Static } from '../../../protocol/rpc/schema.ts';
import type { BrowserState } from '../../../protocol/interfaces/ui-browser.ts';
import type { SessionNotice } from '../../../protocol/session/session-notice.ts';

export type BrowserSnapshot = Static<typeof BrowserState>;

/** The events the UI keeps, as the browser does (its history is 500 long too). */
export const MAX_EVENTS = 500;

export interface BrowserView {
  readonly tabs: readonly TabInfo[];
  readonly selectedTabId: string | undefined;
  readonly processes: readonly ProcessInfo[];
  readonly gpuMode: GpuMode;
  /** Why compositing is in software, from the last `gpu-mode-changed` event seen. */
  readonly gpuModeReason: string | undefined;
  readonly processModel: ProcessModel;
  /** Whether the tab renderers run in the OS sandbox, and if not why; undefined: the shell did not say. */
  readonly sandbox?: SandboxState;
  readonly pluginHost: { readonly running: boolean; readonly recentCrashes: number };
  readonly badMessages: number;
  /**
   * The direct channels the browser brokered (a tab's renderer to the GPU process or the plugin
   * host). One whose process has ended since is still listed: see architecture-map.ts.
   */
  readonly channels: readonly DirectChannel[];
  /** The recent history, oldest first, at most MAX_EVENTS. */
  readonly events: readonly BrowserEvent[];
  /** The `seq` of the newest event reflected here; undefined when none is known yet. */
  readonly lastSeq: number | undefined;
  /** "Restore tabs?", or why the saved session could not be read; undefined: nothing to show. */
  readonly session?: SessionNotice;
}

const ENDED: ReadonlySet<ProcessState> = new Set(['crashed', 'killed', 'exited']);

export function isEnded(state: ProcessState): boolean {
  return ENDED.has(state);
}

/** The state as `getState()` returned it. */
export function fromSnapshot(snapshot: BrowserSnapshot): BrowserView {
  const events = snapshot.events.slice(-MAX_EVENTS);
  const lastSeq = events.reduce<number | undefined>(
    (max, event) => (max === undefined || event.seq > max ? event.seq : max),
    undefined,
  );
  const lastModeChange = events.findLast((event) => event.type === 'gpu-mode-changed');
  return {
    tabs: snapshot.tabs,
    selectedTabId: snapshot.selectedTabId,
    processes: snapshot.processes,
    gpuMode: snapshot.gpuMode,
    gpuModeReason: lastModeChange?.mode === 'software' ? lastModeChange.reason : undefined,
    processModel: snapshot.processModel,
    ...(snapshot.sandbox ? { sandbox: snapshot.sandbox } : {}),
    pluginHost: snapshot.pluginHost,
    badMessages: snapshot.badMessages,
    channels: snapshot.channels ?? [],
    events,
    lastSeq,
    ...(snapshot.session ? { session: snapshot.session } : {}),
  };
}

const sameChannel = (a: DirectChannel, b: DirectChannel) => a.tabId === b.tabId && a.interface === b.interface;

function upsert<T extends { readonly id: string }>(list: readonly T[], item: T): T[] {
  const index = list.findIndex((existing) => existing.id === item.id);
  if (index === -1) return [...list, item];
  const copy = list.slice();
  copy[index] = item;
  return copy;
}

/** What a process event changes besides the process list: the plugin host's state. */
function withProcess(view: BrowserView, process: ProcessInfo, crashed: boolean): BrowserView {
  const next = { ...view, processes: upsert(view.processes, process) };
  if (process.kind !== 'plugin-host') return next;
  return {
    ...next,
    pluginHost: {
      running: !isEnded(process.state),
      recentCrashes: view.pluginHost.recentCrashes + (crashed ? 1 : 0),
    },
  };
}

/**
 * Applies one `changed` event. An event already reflected (its `seq` is not newer than `lastSeq`)
 * changes nothing and returns `view` itself.
 */
export function applyEvent(view: BrowserView, event: BrowserEvent): BrowserView {
  if (view.lastSeq !== undefined && event.seq <= view.lastSeq) return view;
  const events =
    view.events.length >= MAX_EVENTS
      ? [...view.events.slice(view.events.length - MAX_EVENTS + 1), event]
      : [...view.events, event];
  const base: BrowserView = { ...view, events, lastSeq: event.seq };
  switch (event.type) {
    case 'process-launched':
    case 'process-state-changed':
      return withProcess(base, event.process, false);
    case 'process-exited':
      return withProcess(base, event.process, !event.expected);
    case 'bad-message':
      return { ...base, badMessages: base.badMessages + 1 };
    case 'tab-changed':
      return { ...base, tabs: upsert(base.tabs, event.tab) };
    case 'tab-selected':
      return { ...base, selectedTabId: event.tabId };
    case 'tab-closed': {
      const closed = base.tabs.find((tab) => tab.id === event.tabId);
      const tabs = base.tabs.filter((tab) => tab.id !== event.tabId);
      // As the browser does: the closed tab's renderer is forgotten once no other tab uses it.
      const processes =
        closed && !tabs.some((tab) => tab.rendererId === closed.rendererId)
          ? base.processes.filter((process) => !(process.kind === 'renderer' && process.id === closed.rendererId))
          : base.processes;
      return {
        ...base,
        tabs,
        processes,
        channels: base.channels.filter((channel) => channel.tabId !== event.tabId),
        selectedTabId: base.selectedTabId === event.tabId ? undefined : base.selectedTabId,
      };
    }
    case 'gpu-mode-changed':
      return { ...base, gpuMode: event.mode, gpuModeReason: event.mode === 'software' ? event.reason : undefined };
    case 'channel-opened':
      return {
        ...base,
        channels: [...base.channels.filter((channel) => !sameChannel(channel, event.channel)), event.channel],
      };
    case 'channel-closed':
      return { ...base, channels: base.channels.filter((channel) => !sameChannel(channel, event.channel)) };
    case 'session-notice': {
      const { session: _shown, ...rest } = base;
      return event.notice ? { ...rest, session: event.notice } : rest;
    }
    case 'spare-renderer-ended':
      // Taken by a tab (which registers its renderer itself), gone or discarded: no longer listed.
      return { ...base, processes: base.processes.filter((process) => process.id !== event.processId) };
  }
}

/** True when `event` comes after a gap: some event between `view` and it never arrived. */
export function isAfterGap(view: BrowserView, event: BrowserEvent): boolean {
  return view.lastSeq !== undefined && event.seq > view.lastSeq + 1;
}

export function selectedTab(view: BrowserView): TabInfo | undefined {
  return view.selectedTabId === undefined ? undefined : view.tabs.find((tab) => tab.id === view.selectedTabId);
}

/** The process of `kind` that serves (a hot standby of that kind waits beside it and is not it). */
export function processOfKind(view: BrowserView, kind: ProcessInfo['kind']): ProcessInfo | undefined {
  return view.processes.find((process) => process.kind === kind && !process.standby);
}
