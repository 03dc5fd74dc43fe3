/**
 * Guided tours: what a tour is (steps as data), the runner's state as a pure reducer, and the
 * small queries tours ask of the browser's state. A step says what to look at and why, may act
 * ("Do it": open tabs, crash one) through the browser client, picks the drawer view to show,
 * highlights processes (task manager rows, map nodes) and may wait for a condition before Next.
 * No DOM and no React: unit-tested in Node (model.test.ts, tours.test.ts). The hook that runs a
 * tour in the UI is use-tour.ts; the panel is TourPanel.tsx.
 */
import type { ProcessInfo, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import type { BrowserUiService } from '../../../protocol/interfaces/ui-browser.ts';
import type { RequestOf, ResponseOf } from '../../../protocol/rpc/interface.ts';
import type { BrowserClient, UiMethod } from '../connection/browser-connection.ts';
import { isEnded, processOfKind, type BrowserView } from '../connection/browser-state.ts';
import type { PanelView } from '../process-drawer/panel-views.ts';

/** The drawer view for steps where the architecture map is the thing to look at. */
export const MAP_VIEW: PanelView = 'map';

/** What a tour remembers between steps (which tab it crashed, the GPU pid before the crash...). */
export type TourNotes = Readonly<Record<string, string>>;

/** Notes a step adds; undefined values are left out. */
export type NewNotes = Readonly<Record<string, string | undefined>>;

export function withNotes(notes: TourNotes, extra: NewNotes | void): TourNotes {
  if (!extra) return notes;
  const added = Object.entries(extra).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return added.length ? { ...notes, ...Object.fromEntries(added) } : notes;
}

/** Text that may depend on what the browser shows now (the process model, pids). */
export type TourText = string | ((view: BrowserView, notes: TourNotes) => string);

/** What a step's "Do it" gets: the browser, the latest state, and a way to wait for a change. */
export interface TourActionContext {
  /** Calls the browser; rejects with its error, which the tour panel shows. */
  call<M extends UiMethod>(
    method: M,
    request: RequestOf<typeof BrowserUiService, M>,
  ): Promise<ResponseOf<typeof BrowserUiService, M>>;
  /** The browser's state right now. */
  view(): BrowserView;
  /** Resolves with the first state that passes `check`; rejects after `timeoutMs` naming `what`. */
  waitFor(check: (view: BrowserView) => boolean, what: string, timeoutMs?: number): Promise<BrowserView>;
  /** The tour's notes when the action started. */
  readonly notes: TourNotes;
}

export interface TourStep {
  readonly title: string;
  /** What happens and why, as Chrome (and this app) does it. */
  readonly text: TourText;
  /** Where to look, in a line. */
  readonly look?: TourText;
  /** The drawer view to show ('map' is the architecture map). Undefined: leave the drawer as it is. */
  readonly panel?: PanelView;
  /** Notes to take when the step is first shown (e.g. the GPU pid before the crash). */
  readonly onEnter?: (view: BrowserView, notes: TourNotes) => NewNotes;
  /** "Do it": performs the step; may return notes to keep. */
  readonly action?: {
    /** What the button does, in a few words ("Opens three tabs"). */
    readonly label: string;
    readonly run: (context: TourActionContext) => Promise<NewNotes | void>;
  };
  /** Next stays disabled until this holds (once it held, the step stays done). */
  readonly done?: (view: BrowserView, notes: TourNotes) => boolean;
  /** What Next waits for, said while it waits ("the tab's renderer to crash"). */
  readonly waitingFor?: string;
  /** Processes to highlight (registry ids) in the task manager and on the map. */
  readonly highlight?: (view: BrowserView, notes: TourNotes) => readonly (string | undefined)[];
}

export interface Tour {
  readonly id: string;
  readonly title: string;
  /** One line for the Tours menu. */
  readonly summary: string;
  readonly steps: readonly TourStep[];
}

// ---- the runner's state ---------------------------------------------------------------------------

export interface TourRun {
  readonly tour: Tour;
  /** New with every start, so a late action result of an earlier run is ignored. */
  readonly runId: number;
  readonly index: number;
  readonly notes: TourNotes;
  /** Steps already shown (their onEnter ran). */
  readonly entered: readonly number[];
  /** Steps whose condition held at some point (or, without one, whose action ran): they stay done when the user goes back. */
  readonly completed: readonly number[];
  /** The index of the step whose action is running, if one is. */
  readonly busyStep: number | undefined;
  /** Why the last "Do it" failed. */
  readonly error: string | undefined;
}

export type TourEvent =
  /** `runId`: a number never used before (the hook counts starts). */
  | { readonly type: 'start'; readonly tour: Tour; readonly runId: number; readonly view: BrowserView }
  | { readonly type: 'go'; readonly index: number; readonly view: BrowserView }
  | { readonly type: 'end' }
  | { readonly type: 'completed'; readonly index: number }
  | { readonly type: 'action-started'; readonly runId: number; readonly index: number }
  | { readonly type: 'action-done'; readonly runId: number; readonly index: number; readonly notes: NewNotes | void }
  | { readonly type: 'action-failed'; readonly runId: number; readonly index: number; readonly message: string };

function enter(run: TourRun, index: number, view: BrowserView): TourRun {
  const step = run.tour.steps[index];
  if (!step) return run;
  const moved = { ...run, index, error: undefined };
  if (run.entered.includes(index)) return moved;
  const notes = step.onEnter ? withNotes(run.notes, step.onEnter(view, run.notes)) : run.notes;
  return { ...moved, notes, entered: [...run.entered, index] };
}

/** The tour runner as a reducer; undefined when no tour runs. */
export function tourReducer(run: TourRun | undefined, event: TourEvent): TourRun | undefined {
  switch (event.type) {
    case 'start': {
      const fresh: TourRun = {
        tour: event.tour,
        runId: event.runId,
        index: 0,
        notes: {},
        entered: [],
        completed: [],
        busyStep: undefined,
        error: undefined,
      };
      return enter(fresh, 0, event.view);
    }
    case 'end':
      return undefined;
  }
  if (!run) return run;
  switch (event.type) {
    case 'go':
      if (event.index < 0 || event.index >= run.tour.steps.length || event.index === run.index) return run;
      return enter(run, event.index, event.view);
    case 'completed':
      return run.completed.includes(event.index) ? run : { ...run, completed: [...run.completed, event.index] };
    case 'action-started':
      if (event.runId !== run.runId) return run;
      return { ...run, busyStep: event.index, error: undefined };
    case 'action-done': {
      if (event.runId !== run.runId) return run;
      // A step without a condition is done once its action is.
      const conditionless = !run.tour.steps[event.index]?.done && !run.completed.includes(event.index);
      return {
        ...run,
        busyStep: run.busyStep === event.index ? undefined : run.busyStep,
        notes: withNotes(run.notes, event.notes),
        ...(conditionless ? { completed: [...run.completed, event.index] } : {}),
      };
    }
    case 'action-failed':
      if (event.runId !== run.runId) return run;
      return {
        ...run,
        busyStep: run.busyStep === event.index ? undefined : run.busyStep,
        error: run.index === event.index ? event.message : run.error,
      };
  }
}

/** What the tour panel shows for the current step. */
export interface StepStatus {
  readonly step: TourStep;
  readonly number: number;
  readonly count: number;
  readonly title: string;
  readonly text: string;
  readonly look: string | undefined;
  readonly first: boolean;
  readonly last: boolean;
  /** Its condition holds now or held before (or it has none): Next (or Finish) is enabled. */
  readonly done: boolean;
  /** The step's condition holds or held, or (without one) its action ran: "Done". */
  readonly achieved: boolean;
  readonly busy: boolean;
  readonly highlight: ReadonlySet<string>;
}

const say = (text: TourText | undefined, view: BrowserView, notes: TourNotes) =>
  typeof text === 'function' ? text(view, notes) : text;

export function stepStatus(run: TourRun, view: BrowserView): StepStatus {
  const step = run.tour.steps[run.index]!;
  const achieved = run.completed.includes(run.index) || (!!step.done && step.done(view, run.notes));
  const ids = step.highlight?.(view, run.notes) ?? [];
  return {
    step,
    number: run.index + 1,
    count: run.tour.steps.length,
    title: step.title,
    text: say(step.text, view, run.notes)!,
    look: say(step.look, view, run.notes),
    first: run.index === 0,
    last: run.index === run.tour.steps.length - 1,
    done: !step.done || achieved,
    achieved,
    busy: run.busyStep === run.index,
    highlight: new Set(ids.filter((id): id is string => !!id && view.processes.some((process) => process.id === id))),
  };
}

// ---- waiting for the browser ----------------------------------------------------------------------

export const DEFAULT_WAIT_MS = 15_000;

/** Resolves with the first state (now or later) that passes `check`. */
export function waitForView(
  store: Pick<BrowserClient, 'getSnapshot' | 'subscribe'>,
  check: (view: BrowserView) => boolean,
  what: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<BrowserView> {
  return new Promise((resolve, reject) => {
    const now = store.getSnapshot().browser;
    if (now && check(now)) {
      resolve(now);
      return;
    }
    let settled = false;
    const unsubscribe = store.subscribe(() => {
      const view = store.getSnapshot().browser;
      if (settled || !view || !check(view)) return;
      settle();
      resolve(view);
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settle();
      reject(new Error(`Still waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    function settle() {
      settled = true;
      unsubscribe();
      clearTimeout(timer);
    }
  });
}

// ---- what tours ask about the browser's state ---------------------------------------------------------

export function tabById(view: BrowserView, tabId: string | undefined): TabInfo | undefined {
  return tabId === undefined ? undefined : view.tabs.find((tab) => tab.id === tabId);
}

export function processById(view: BrowserView, id: string | undefined): ProcessInfo | undefined {
  return id === undefined ? undefined : view.processes.find((process) => process.id === id);
}

/** The renderer process a tab runs in (its registry id), when the tab exists. */
export function rendererOf(view: BrowserView, tabId: string | undefined): string | undefined {
  return tabById(view, tabId)?.rendererId;
}

export function isLive(tab: TabInfo | undefined): tab is TabInfo {
  return tab?.state === 'live' && tab.pid !== undefined;
}

export function isCrashed(tab: TabInfo | undefined): boolean {
  return tab?.state === 'crashed';
}

/** The ids of a comma-separated note. */
export function idList(note: string | undefined): string[] {
  return note ? note.split(',').filter(Boolean) : [];
}

export function renderers(view: BrowserView): ProcessInfo[] {
  return view.processes.filter((process) => process.kind === 'renderer' && !isEnded(process.state));
}

export function isRunning(process: ProcessInfo | undefined): process is ProcessInfo {
  return process?.state === 'running' && process.pid !== undefined;
}

export function gpuProcess(view: BrowserView): ProcessInfo | undefined {
  return processOfKind(view, 'gpu');
}

export function pluginHostProcess(view: BrowserView): ProcessInfo | undefined {
  return processOfKind(view, 'plugin-host');
}

/** "pid 4242", or what the tab's renderer is doing instead. */
export function pidText(tab: TabInfo | undefined): string {
  if (!tab) return 'closed';
  if (tab.state === 'crashed') return 'crashed';
  return tab.pid === undefined ? 'starting' : `pid ${tab.pid}`;
}

/**
 * A live tab on `url`: the one in `preferred` (a note) if it still is, else any; opens one when there
 * is none. Selects it. Returns its id.
 */
export async function ensureTab(context: TourActionContext, url: string, preferred?: string): Promise<string> {
  const view = context.view();
  const existing = [tabById(view, preferred), ...view.tabs].find((tab) => tab?.url === url && tab.state !== 'crashed');
  let tabId = existing?.id;
  if (tabId === undefined) {
    tabId = (await context.call('openTab', { url })).tabId;
  } else if (view.selectedTabId !== tabId) {
    await context.call('selectTab', { tabId });
  }
  const id = tabId;
  await context.waitFor((next) => isLive(tabById(next, id)), `${url} to load`);
  return id;
}

/** Any tab to type a debug URL into (the selected one; one is opened when there is none). */
export async function anyTab(context: TourActionContext): Promise<string> {
  const view = context.view();
  const tabId = view.selectedTabId ?? view.tabs[0]?.id;
  return tabId ?? ensureTab(context, 'lab://live');
}
