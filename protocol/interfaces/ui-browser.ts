/**
 * Browser UI page <-> browser process.
 *
 * The UI (tab strip, omnibox, toolbar, sad tab, dialogs, later the task manager and the map) shows
 * the browser's state and asks it to act; it never touches a tab or a process itself. Implemented by
 * the browser process: BrowserUiService (its events stream state changes to the UI). By the UI page:
 * BrowserUi.
 */
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type } from '../rpc/schema.ts';
import { BrowserEvent, GpuMode, ProcessInfo, ProcessModel, TabInfo } from './browser-state.ts';

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
  pluginHost: Struct({ running: Type.Boolean(), recentCrashes: Type.Integer({ minimum: 0 }) }),
  /** How many bad messages the browser has received since it started. */
  badMessages: Type.Integer({ minimum: 0 }),
  /** The recent history, oldest first: the last 200 events, so the state fits one UI message. */
  events: Type.Array(BrowserEvent, { maxItems: STATE_EVENTS }),
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
