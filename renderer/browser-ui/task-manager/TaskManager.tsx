// The task manager, as Chrome's: one row per process with what it serves, its pid, CPU, memory (PSS
// on Linux), IPC rate and its sandbox as /proc measures it, refreshed every second while the drawer shows it; sortable by column;
// "End process" on the selected row. One view of the Processes drawer (process-drawer/).
import { useState, type KeyboardEvent, type ReactNode } from 'react';
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
import { usePolling } from '../shared/use-polling.ts';
import { useBrowserClient } from '../connection/use-browser.ts';
import './task-manager.css';

/** How often the open task manager asks for new figures (the browser samples once a second). */
export const METRICS_POLL_MS = 1000;

/** Polls getMetrics while mounted; keeps the last good answer when one fails. */
function useMetrics(): readonly ProcessMetrics[] {
  const client = useBrowserClient();
  const [metrics, setMetrics] = useState<readonly ProcessMetrics[]>([]);
  usePolling(async (signal) => {
    const { processes } = await client.call('getMetrics', {});
    if (!signal.aborted) setMetrics(processes);
  }, METRICS_POLL_MS);
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
    case 'sandbox':
      return row.sandbox ?? '—';
    case 'state':
      return row.state;
    case 'restarts':
      return String(row.restarts);
  }
}

export function TaskManager({
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
            ? 'Memory: each process’s share (PSS on Linux). IPC: typed messages to and from the browser process. Sandbox: what the OS reports for it (seccomp, no_new_privs, namespaces of its own). Updated every second.'
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
                  <th
                    key={column}
                    scope="col"
                    className={numeric ? 'numeric' : undefined}
                    aria-sort={direction ?? 'none'}
                  >
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
                  [
                    row.ended ? 'ended' : '',
                    row.id === selectedId ? 'selected' : '',
                    highlighted.has(row.id) ? 'highlighted' : '',
                  ]
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
                      <span className={`state state-${row.ended ? 'ended' : row.state.replace(/\s+/g, '-')}`}>
                        {row.state}
                      </span>
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
