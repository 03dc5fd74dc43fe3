// What the task manager says: one row per process (the browser's registry joined with the latest
// figures from getMetrics), formatted and sorted as Chrome's task manager does.
import type { ProcessInfo, ProcessKind, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import type { ProcessMetricsInfo, ProcessSandbox } from '../../../protocol/interfaces/ui-browser.ts';
import type { Static } from '../../../protocol/rpc/schema.ts';
import { stateText } from '../connection/view-model.ts';

export type ProcessMetrics = Static<typeof ProcessMetricsInfo>;
export type MeasuredSandbox = Static<typeof ProcessSandbox>;

export type TaskColumn = 'task' | 'kind' | 'pid' | 'cpu' | 'memory' | 'ipc' | 'sandbox' | 'state' | 'restarts';
export type SortDirection = 'ascending' | 'descending';
export interface TaskSort {
  readonly column: TaskColumn;
  readonly direction: SortDirection;
}

export const TASK_COLUMNS: readonly {
  readonly column: TaskColumn;
  readonly label: string;
  readonly numeric: boolean;
}[] = [
  { column: 'task', label: 'Task', numeric: false },
  { column: 'kind', label: 'Kind', numeric: false },
  { column: 'pid', label: 'Process ID', numeric: true },
  { column: 'cpu', label: 'CPU %', numeric: true },
  { column: 'memory', label: 'Memory', numeric: true },
  { column: 'ipc', label: 'IPC msgs/s', numeric: true },
  { column: 'sandbox', label: 'Sandbox', numeric: false },
  { column: 'state', label: 'State', numeric: false },
  { column: 'restarts', label: 'Restarts', numeric: true },
];

export interface TaskRow {
  readonly id: string;
  readonly kind: ProcessKind;
  readonly task: string;
  readonly kindLabel: string;
  readonly pid: number | undefined;
  readonly cpuPercent: number | undefined;
  readonly memoryBytes: number | undefined;
  readonly ipcPerSecond: number | undefined;
  /** Its sandbox as measured ("seccomp-bpf · no_new_privs · user/pid/net ns", "none", "not measured"); undefined before its first figures. */
  readonly sandbox: string | undefined;
  readonly state: string;
  readonly ended: boolean;
  readonly restarts: number;
  /** Whether "End process" may end it (not the browser, not an ended process). */
  readonly endable: boolean;
}

const KIND_LABELS: Record<ProcessKind, string> = {
  browser: 'Browser',
  gpu: 'GPU',
  'plugin-host': 'Plugin host',
  'lab-host': 'Lab host',
  renderer: 'Renderer',
};
const KIND_ORDER: readonly ProcessKind[] = ['browser', 'gpu', 'plugin-host', 'lab-host', 'renderer'];
const ENDED = new Set(['crashed', 'killed', 'exited']);

/** What a process serves, as Chrome's task manager names it: "Tab: <title>", "GPU process", "Browser". */
export function taskName(process: ProcessInfo, tabs: readonly TabInfo[]): string {
  switch (process.kind) {
    case 'browser':
      return 'Browser';
    case 'gpu':
      return process.standby ? 'GPU process (standby)' : 'GPU process';
    case 'plugin-host':
      return 'Plugin host';
    case 'lab-host':
      return 'Lab host';
    case 'renderer': {
      // Chrome's task manager lists its spare as "Spare renderer" too: a process, no tab yet.
      if (process.standby) return 'Spare renderer';
      const titles = tabs.filter((tab) => tab.rendererId === process.id).map((tab) => tab.title || tab.url);
      return titles.length ? titles.map((title) => `Tab: ${title}`).join(', ') : `Renderer: ${process.label}`;
    }
  }
}

/** Rows in Chrome's order: browser, GPU process (its standby after it), plugin host, then renderers in launch order. */
export function taskRows(
  processes: readonly ProcessInfo[],
  tabs: readonly TabInfo[],
  metrics: readonly ProcessMetrics[],
): TaskRow[] {
  const figures = new Map(metrics.map((m) => [m.id, m]));
  return [...processes]
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        // A standby right after the process it stands behind.
        Number(a.standby === true) - Number(b.standby === true) ||
        a.startedAt - b.startedAt,
    )
    .map((process) => {
      const ended = ENDED.has(process.state);
      const m = ended ? undefined : figures.get(process.id);
      return {
        id: process.id,
        kind: process.kind,
        task: taskName(process, tabs),
        kindLabel: KIND_LABELS[process.kind],
        pid: process.pid,
        cpuPercent: m?.cpuPercent,
        memoryBytes: m?.memoryBytes,
        ipcPerSecond: m?.ipcPerSecond,
        sandbox: m ? formatSandbox(m.sandbox) : undefined,
        state: stateText(process),
        ended,
        restarts: process.restarts,
        endable: process.kind !== 'browser' && !ended,
      };
    });
}

/** Bytes as Chrome's task manager shows memory: "21.3 MB", "812 KB", "1.2 GB" (powers of 1024). */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** CPU with one decimal, as Chrome shows it: "0.0", "12.5". */
export function formatCpu(percent: number | undefined): string {
  return percent === undefined ? '—' : percent.toFixed(1);
}

/** Messages per second: whole numbers, one decimal under 10 ("0", "2.5", "148"). */
export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined) return '—';
  if (perSecond === 0) return '0';
  return perSecond < 10 ? perSecond.toFixed(1) : String(Math.round(perSecond));
}

/**
 * A process's sandbox in the words of /proc and Chromium's docs: "seccomp-bpf" (Seccomp: 2),
 * "seccomp strict" (1), "no_new_privs", and the namespaces it does not share with the browser
 * ("user/pid/net ns"); "none" when it has none of them; "not measured" where the shell cannot
 * measure (not Linux). Never inferred from how the process was started.
 */
export function formatSandbox(sandbox: MeasuredSandbox | undefined): string {
  if (!sandbox) return 'not measured';
  const parts: string[] = [];
  if (sandbox.seccomp === 'filter') parts.push('seccomp-bpf');
  if (sandbox.seccomp === 'strict') parts.push('seccomp strict');
  if (sandbox.noNewPrivs) parts.push('no_new_privs');
  if (sandbox.namespaces === undefined) parts.push('namespaces not readable');
  else if (sandbox.namespaces.length) parts.push(`${sandbox.namespaces.join('/')} ns`);
  return parts.length ? parts.join(' · ') : 'none';
}

function sortValue(row: TaskRow, column: TaskColumn): string | number | undefined {
  switch (column) {
    case 'task':
      return row.task.toLowerCase();
    case 'kind':
      return row.kindLabel;
    case 'pid':
      return row.pid;
    case 'cpu':
      return row.cpuPercent;
    case 'memory':
      return row.memoryBytes;
    case 'ipc':
      return row.ipcPerSecond;
    case 'sandbox':
      return row.sandbox;
    case 'state':
      return row.state;
    case 'restarts':
      return row.restarts;
  }
}

/** Sorted by a column; rows without a figure go last either way; ties keep their order (stable). */
export function sortRows(rows: readonly TaskRow[], sort: TaskSort | undefined): TaskRow[] {
  if (!sort) return [...rows];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, sort.column);
    const y = sortValue(b, sort.column);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x).localeCompare(String(y)) * sign;
  });
}

/** A click on a column header: a new column starts descending for figures, ascending for text; the same column flips. */
export function nextSort(current: TaskSort | undefined, column: TaskColumn): TaskSort {
  if (current?.column === column)
    return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  const numeric = TASK_COLUMNS.find((c) => c.column === column)?.numeric ?? false;
  return { column, direction: numeric ? 'descending' : 'ascending' };
}
