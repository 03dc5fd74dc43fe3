// The Processes drawer: its header's tab list picks the view (the task manager, the IPC inspector,
// the architecture map, the Experiments view); App owns which one is shown (tours switch it). Each view is its own
// feature folder; the drawer only frames them.
import { lazy, Suspense, useId, type KeyboardEvent } from 'react';
// Before the views' own stylesheets, which refine the drawer's (the bundle keeps import order).
import './process-drawer.css';
import type { BrowserView } from '../connection/browser-state.ts';
import { Experiments } from '../experiments/Experiments.tsx';
import { IpcInspector } from '../ipc-inspector/IpcInspector.tsx';
import { Icon } from '../shared/icons.tsx';
import { TaskManager } from '../task-manager/TaskManager.tsx';
import { PANEL_VIEWS, PROCESS_PANEL_ID, type PanelView } from './panel-views.ts';

/** The map and its graph library load the first time it is shown: most sessions start without it. */
const ArchitectureMap = lazy(() =>
  import('../architecture-map/ArchitectureMap.tsx').then((module) => ({ default: module.ArchitectureMap })),
);

/** The drawer: its header's tab list picks the view; App owns which one is shown (tours switch it). */
export function ProcessPanel({
  view,
  shown,
  onShow,
  onClose,
}: {
  view: BrowserView;
  shown: PanelView;
  onShow: (view: PanelView) => void;
  onClose: () => void;
}) {
  const setShown = onShow;
  const id = useId();
  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const index = PANEL_VIEWS.findIndex((entry) => entry.view === shown);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? PANEL_VIEWS.length - 1
          : (index + (event.key === 'ArrowRight' ? 1 : -1) + PANEL_VIEWS.length) % PANEL_VIEWS.length;
    setShown(PANEL_VIEWS[next]!.view);
    document.getElementById(`${id}-tab-${PANEL_VIEWS[next]!.view}`)?.focus();
  };
  const tabs = (
    <div className="panel-tabs" role="tablist" aria-label="Processes views" onKeyDown={onTabKey}>
      {PANEL_VIEWS.map((entry) => (
        <button
          key={entry.view}
          type="button"
          role="tab"
          id={`${id}-tab-${entry.view}`}
          aria-selected={shown === entry.view}
          aria-controls={`${id}-view`}
          tabIndex={shown === entry.view ? 0 : -1}
          className="panel-tab"
          onClick={() => setShown(entry.view)}
        >
          {entry.label}
        </button>
      ))}
    </div>
  );
  const close = (
    <button type="button" className="icon-button" aria-label="Close Processes" onClick={onClose}>
      <Icon name="close" size={18} />
    </button>
  );
  return (
    <section className="process-panel" id={PROCESS_PANEL_ID} aria-label="Processes" data-view={shown}>
      {shown === 'tasks' ? (
        <TaskManager view={view} tabs={tabs} close={close} viewId={`${id}-view`} tabId={`${id}-tab-tasks`} />
      ) : shown === 'experiments' ? (
        <Experiments tabs={tabs} close={close} viewId={`${id}-view`} tabId={`${id}-tab-experiments`} />
      ) : shown === 'map' ? (
        <>
          <header className="panel-header">
            {tabs}
            <span className="panel-note">
              Every process and the channels between them, live. Dots are messages; direct channels bypass the browser,
              which asks for their counts.
            </span>
            {close}
          </header>
          <div className="panel-view" role="tabpanel" id={`${id}-view`} aria-labelledby={`${id}-tab-map`}>
            <Suspense fallback={<p className="inspector-empty">Loading the map…</p>}>
              <ArchitectureMap view={view} />
            </Suspense>
          </div>
        </>
      ) : (
        <>
          <header className="panel-header">
            {tabs}
            <span className="panel-note">Typed messages the browser process sends and receives, newest last.</span>
            {close}
          </header>
          <div className="panel-view" role="tabpanel" id={`${id}-view`} aria-labelledby={`${id}-tab-ipc`}>
            <IpcInspector />
          </div>
        </>
      )}
    </section>
  );
}
