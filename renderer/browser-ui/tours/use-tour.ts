// Runs a guided tour in the UI: the reducer of model.ts, the browser client for "Do it", the drawer
// view each step asks for, and the processes to highlight (HighlightContext, highlight.ts).
import { useCallback, useEffect, useEffectEvent, useMemo, useReducer, useRef } from 'react';
import { errorMessage, type BrowserClient } from '../connection/browser-connection.ts';
import type { BrowserView } from '../connection/browser-state.ts';
import type { PanelView } from '../process-drawer/panel-views.ts';
import { NO_HIGHLIGHT, type Highlight } from '../shared/highlight.ts';
import {
  stepStatus,
  tourReducer,
  waitForView,
  type StepStatus,
  type Tour,
  type TourActionContext,
  type TourRun,
} from './model.ts';

export interface TourController {
  readonly run: TourRun | undefined;
  /** The current step as the panel shows it; undefined when no tour runs. */
  readonly status: StepStatus | undefined;
  /** What the task manager and the map highlight now. */
  readonly highlight: Highlight;
  start(tour: Tour): void;
  end(): void;
  next(): void;
  back(): void;
  /** Runs the current step's action. */
  doIt(): void;
}

export function useTour(
  client: BrowserClient,
  view: BrowserView | undefined,
  showPanel: (panel: PanelView) => void,
): TourController {
  const [run, dispatch] = useReducer(tourReducer, undefined);
  const runs = useRef(0);

  const status = run && view ? stepStatus(run, view) : undefined;

  // A condition that held once keeps the step done (going back does not undo what happened).
  const achieved = status?.achieved ?? false;
  const index = run?.index;
  const runId = run?.runId;
  useEffect(() => {
    if (achieved && index !== undefined) dispatch({ type: 'completed', index });
  }, [achieved, index, runId]);

  // Each step shows the drawer view it talks about (once, when the step or the run changes).
  const showStepPanel = useEffectEvent(() => {
    const panel = run?.tour.steps[run.index]?.panel;
    if (panel) showPanel(panel);
  });
  useEffect(() => showStepPanel(), [index, runId]);

  const key = status ? [...status.highlight].sort().join(' ') : '';
  const highlight = useMemo<Highlight>(() => (key ? { processIds: new Set(key.split(' ')) } : NO_HIGHLIGHT), [key]);

  const start = useCallback(
    (tour: Tour) => {
      const current = client.getSnapshot().browser;
      if (current) dispatch({ type: 'start', tour, runId: ++runs.current, view: current });
    },
    [client],
  );
  const end = useCallback(() => dispatch({ type: 'end' }), []);
  const go = useCallback(
    (delta: number) => {
      const now = client.getSnapshot().browser;
      if (run && now) dispatch({ type: 'go', index: run.index + delta, view: now });
    },
    [client, run],
  );
  const next = useCallback(() => go(1), [go]);
  const back = useCallback(() => go(-1), [go]);

  const doIt = useCallback(() => {
    const current = run;
    const step = current?.tour.steps[current.index];
    if (!current || !step?.action || current.busyStep !== undefined) return;
    const { runId, index } = current;
    const context: TourActionContext = {
      call: (method, request) => client.call(method, request),
      view: () => {
        const now = client.getSnapshot().browser;
        if (!now) throw new Error('The browser’s state is not loaded');
        return now;
      },
      waitFor: (check, what, timeoutMs) => waitForView(client, check, what, timeoutMs),
      notes: current.notes,
    };
    dispatch({ type: 'action-started', runId, index });
    step.action.run(context).then(
      (notes) => dispatch({ type: 'action-done', runId, index, notes }),
      (error: unknown) => dispatch({ type: 'action-failed', runId, index, message: errorMessage(error) }),
    );
  }, [client, run]);

  return { run, status, highlight, start, end, next, back, doIt };
}
