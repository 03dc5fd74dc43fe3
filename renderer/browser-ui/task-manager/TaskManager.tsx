// The Processes drawer: the task manager, as Chrome's: one row per process with what it serves, its
// pid, CPU, memory (PSS on Linux) and IPC rate, refreshed every second while the drawer is open;
// sortable by column; "End process" on the selected row. Next to it, the IPC inspector
// (IpcInspector.tsx) and the architecture map (ArchitectureMap.tsx), views chosen in the header's
// tab list.
import { lazy, Suspense, useEffect, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { BrowserView } from '../connection/browser-state.ts';
import {
  formatBytes,
  formatCpu,
  formatRate,
  nextSort,
  sortRows,
  TASK_COLUMNS,
  taskRows,
  type ProcessMetrics,
  type TaskRow,
  type TaskSort,
} from './task-manager.ts';
import { useHighlight } from '../shared/highlight.ts';
import { useBrowserClient } from '../connection/use-browser.ts';
import { Icon } from '../shared/icons.tsx';
import { IpcInspector } from '../ipc-inspector/IpcInspector.tsx';

export const PROCESS_PANEL_ID = 'processes-panel';

/** The map and its graph library load the first time it is shown: most sessions start without it. */
const ArchitectureMap = lazy(() => import('../architecture-map/ArchitectureMap.tsx').then((module) => ({ default: module.ArchitectureMap })));

/** How often the open task manager asks for new figures (the browser samples once a second). */
export const METRICS_POLL_MS = 1000;

/** Polls getMetrics while mounted; keeps the last good answer when one fails. */
function useMetrics(): readonly ProcessMetrics[] {
  const client = useBrowserClient();
  const [metrics, setMetrics] = useState<readonly ProcessMetrics[]>([]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const { processes } = await client.call('getMetrics', {});
        if (!stopped) setMetrics(processes);
      } catch {
        // The next poll tries again.
      }
      if (!stopped) timer = setTimeout(() => void poll(), METRICS_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client]);
  return metrics;
}

function cell(row: TaskRow, column: (typeof TASK_COLUMNS)[number]['column']): string {
  switch (column) {
    case 'task':
      return row.task;
    case 'kind':
      return row.kindLabel;
    case 'pid':
      return row.pid === undefined ? '—' : String(row.pid);
    case 'cpu':
      return formatCpu(row.cpuPercent);
    case 'memory':
      return formatBytes(row.memoryBytes);
    case 'ipc':
      return formatRate(row.ipcPerSecond);
    case 'state':
      return row.state;
    case 'restarts':
      return String(row.restarts);
  }
}

export type PanelView = 'tasks' | 'ipc' | 'map';

const PANEL_VIEWS: readonly { readonly view: PanelView; readonly label: string }[] = [
  { view: 'tasks', label: 'Task manager' },
  { view: 'ipc', label: 'IPC inspector' },
  { view: 'map', label: 'Architecture map' },
];

/** The first view the drawer shows when opened from the status bar. */
export const DEFAULT_PANEL_VIEW: PanelView = 'tasks';

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
      event.key === 'Home' ? 0 : event.key === 'End' ? PANEL_VIEWS.length - 1 : (index + (event.key === 'ArrowRight' ? 1 : -1) + PANEL_VIEWS.length) % PANEL_VIEWS.length;
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
      ) : shown === 'map' ? (
        <>
          <header className="panel-header">
            {tabs}
            <span className="panel-note">
              Every process and the channels between them, live. Dots are messages; direct channels bypass the browser, which asks for
              their counts.
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

function TaskManager({
  view,
  tabs,
  close,
  viewId,
  tabId,
}: {
  view: BrowserView;
  tabs: ReactNode;
  close: ReactNode;
  viewId: string;
  tabId: string;
}) {
  const client = useBrowserClient();
  const metrics = useMetrics();
  // What a guided tour points at: those rows are drawn highlighted.
  const highlighted = useHighlight().processIds;
  const [sort, setSort] = useState<TaskSort | undefined>(undefined);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const rows = sortRows(taskRows(view.processes, view.tabs, metrics), sort);
  const selected = rows.find((row) => row.id === selectedId);

  const endProcess = () => {
    if (selected?.endable) void client.perform('endProcess', { processId: selected.id });
  };
  const onRowKey = (event: KeyboardEvent, id: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setSelectedId(id);
    } else if (event.key === 'Delete' && rows.find((row) => row.id === id)?.endable) {
      void client.perform('endProcess', { processId: id });
    }
  };

  return (
    <>
      <header className="panel-header">
        {tabs}
        <span className="panel-note">
          {metrics.length
            ? 'Memory: each process’s share (PSS on Linux). IPC: typed messages to and from the browser process. Updated every second.'
            : 'Measuring…'}
        </span>
        <button type="button" className="button end-process" disabled={!selected?.endable} onClick={endProcess}>
          End process
        </button>
        {close}
      </header>
      <div className="panel-body" role="tabpanel" id={viewId} aria-labelledby={tabId}>
        <table className="process-table task-manager" aria-label="Task manager">
          <thead>
            <tr>
              {TASK_COLUMNS.map(({ column, label, numeric }) => {
                const direction = sort?.column === column ? sort.direction : undefined;
                return (
                  <th key={column} scope="col" className={numeric ? 'numeric' : undefined} aria-sort={direction ?? 'none'}>
                    <button type="button" className="sort-button" onClick={() => setSort(nextSort(sort, column))}>
                      {label}
                      <span className="sort-arrow" aria-hidden="true">
                        {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.id}
                data-process-id={row.id}
                className={
                  [row.ended ? 'ended' : '', row.id === selectedId ? 'selected' : '', highlighted.has(row.id) ? 'highlighted' : '']
                    .filter(Boolean)
                    .join(' ') || undefined
                }
                data-highlighted={highlighted.has(row.id) ? 'true' : undefined}
                aria-selected={row.id === selectedId}
                tabIndex={0}
                onClick={() => setSelectedId(row.id)}
                onKeyDown={(event) => onRowKey(event, row.id)}
              >
                {TASK_COLUMNS.map(({ column, numeric }) =>
                  column === 'task' ? (
                    <th key={column} scope="row" className="process-label" title={row.task}>
                      <span className={`kind-dot kind-${row.kind}`} aria-hidden="true" />
                      {row.task}
                    </th>
                  ) : column === 'state' ? (
                    <td key={column}>
                      <span className={`state state-${row.ended ? 'ended' : row.state.replace(/\s+/g, '-')}`}>{row.state}</span>
                    </td>
                  ) : (
                    <td key={column} className={numeric ? 'numeric' : undefined}>
                      {cell(row, column)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
