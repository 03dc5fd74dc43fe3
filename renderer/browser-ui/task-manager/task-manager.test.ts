import { describe, expect, it } from 'vitest';
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { processInfo as proc } from '../testing/browser-snapshots.ts';
import {
  formatBytes,
  formatCpu,
  formatRate,
  formatSandbox,
  nextSort,
  sortRows,
  taskName,
  taskRows,
} from './task-manager.ts';

const tab = (id: string, rendererId: string, title: string): TabInfo => ({
  id,
  url: 'lab://live',
  title,
  rendererId,
  state: 'live',
});

describe('taskRows: the hot-standby GPU process', () => {
  it('is its own row, named as what it is, right after the GPU process it stands behind, with its own figures and End process', () => {
    const rows = taskRows(
      [
        // Registered just before the promoted GPU process (its role was refilled first): still after it.
        proc('gpu-standby', 'gpu', { pid: 210, startedAt: 5, standby: true }),
        proc('gpu', 'gpu', { pid: 200, startedAt: 6, restarts: 1 }),
        proc('browser', 'browser', { pid: 1 }),
      ],
      [],
      [
        { id: 'gpu', cpuPercent: 4, memoryBytes: 57e6, ipcPerSecond: 10 },
        { id: 'gpu-standby', cpuPercent: 0, memoryBytes: 48e6, ipcPerSecond: 1 },
      ],
    );
    expect(rows.map((row) => [row.id, row.task, row.kindLabel, row.pid, row.memoryBytes, row.endable])).toEqual([
      ['browser', 'Browser', 'Browser', 1, undefined, false],
      ['gpu', 'GPU process', 'GPU', 200, 57e6, true],
      ['gpu-standby', 'GPU process (standby)', 'GPU', 210, 48e6, true],
    ]);
  });
});

describe('taskRows: the lab host', () => {
  it('is listed as "Lab host" after the plugin host and before the renderers, and may be ended', () => {
    const rows = taskRows(
      [
        proc('renderer-tab-1', 'renderer', { pid: 301, startedAt: 2 }),
        proc('lab-host', 'lab-host', { pid: 500, startedAt: 9, restarts: 1 }),
        proc('plugin-host', 'plugin-host', { pid: 400, startedAt: 1 }),
        proc('browser', 'browser', { pid: 1 }),
      ],
      [tab('tab-1', 'renderer-tab-1', 'Lab host')],
      [],
    );
    expect(rows.map((row) => [row.id, row.task, row.kindLabel, row.pid, row.restarts, row.endable])).toEqual([
      ['browser', 'Browser', 'Browser', 1, 0, false],
      ['plugin-host', 'Plugin host', 'Plugin host', 400, 0, true],
      ['lab-host', 'Lab host', 'Lab host', 500, 1, true],
      ['renderer-tab-1', 'Tab: Lab host', 'Renderer', 301, 0, true],
    ]);
  });
});

describe('taskRows', () => {
  const processes = [
    proc('renderer-2', 'renderer', { pid: 302, startedAt: 2 }),
    proc('renderer-1', 'renderer', { pid: 301, startedAt: 1 }),
    proc('renderer-3', 'renderer', {
      pid: 303,
      startedAt: 3,
      state: 'killed',
      exitReason: 'killed',
      exitSignal: 'SIGKILL',
    }),
    proc('plugin-host', 'plugin-host', { pid: 201 }),
    proc('gpu', 'gpu', { pid: 200, restarts: 2 }),
    proc('browser', 'browser', { pid: 1 }),
  ];
  const tabs = [
    tab('tab-1', 'renderer-1', 'Live'),
    tab('tab-2', 'renderer-2', 'Clock'),
    tab('tab-3', 'renderer-2', 'Docs'),
  ];
  const metrics = [
    {
      id: 'browser',
      cpuPercent: 3,
      memoryBytes: 80e6,
      ipcPerSecond: 40,
      sandbox: { seccomp: 'none' as const, noNewPrivs: false, namespaces: [] },
    },
    { id: 'gpu', cpuPercent: 12.5, memoryBytes: 30e6, ipcPerSecond: 10 },
    {
      id: 'renderer-1',
      cpuPercent: 1,
      memoryBytes: 20e6,
      ipcPerSecond: 2,
      sandbox: {
        seccomp: 'filter' as const,
        noNewPrivs: true,
        namespaces: ['user' as const, 'pid' as const, 'net' as const],
      },
    },
    { id: 'renderer-2', cpuPercent: 50, memoryBytes: 25e6, ipcPerSecond: 30 },
    { id: 'renderer-3', cpuPercent: 9, memoryBytes: 9e6, ipcPerSecond: 9 },
  ];

  it('names what each process serves, in Chrome order, joining the figures by id', () => {
    const rows = taskRows(processes, tabs, metrics);
    expect(rows.map((row) => [row.task, row.pid, row.cpuPercent, row.endable])).toEqual([
      ['Browser', 1, 3, false],
      ['GPU process', 200, 12.5, true],
      ['Plugin host', 201, undefined, true],
      ['Tab: Live', 301, 1, true],
      ['Tab: Clock, Tab: Docs', 302, 50, true],
      ['Renderer: renderer-3', 303, undefined, false], // ended: no figures, no End process
    ]);
    expect(rows[5]!.state).toBe('killed (SIGKILL)');
    expect(taskName(proc('r', 'renderer'), [])).toBe('Renderer: r');
    // The spare renderer is no tab, and says so.
    expect(taskName(proc('renderer-spare-1', 'renderer', { standby: true }), [])).toBe('Spare renderer');
  });

  it('shows each process\'s measured sandbox; "not measured" where the shell sent none; nothing before the first figures', () => {
    const rows = taskRows(processes, tabs, metrics);
    expect(rows.map((row) => [row.id, row.sandbox])).toEqual([
      ['browser', 'none'],
      ['gpu', 'not measured'],
      ['plugin-host', undefined], // no figures yet
      ['renderer-1', 'seccomp-bpf · no_new_privs · user/pid/net ns'],
      ['renderer-2', 'not measured'],
      ['renderer-3', undefined], // ended
    ]);
    expect(sortRows(rows, { column: 'sandbox', direction: 'ascending' }).map((row) => row.id)).toEqual([
      'browser',
      'gpu',
      'renderer-2',
      'renderer-1',
      'plugin-host',
      'renderer-3',
    ]);
  });

  it('sorts by a column either way; rows without the figure go last; ties keep Chrome order', () => {
    const rows = taskRows(processes, tabs, metrics);
    const ids = (sorted: typeof rows) => sorted.map((row) => row.id);
    expect(ids(sortRows(rows, { column: 'cpu', direction: 'descending' }))).toEqual([
      'renderer-2',
      'gpu',
      'browser',
      'renderer-1',
      'plugin-host',
      'renderer-3',
    ]);
    expect(ids(sortRows(rows, { column: 'memory', direction: 'ascending' }))).toEqual([
      'renderer-1',
      'renderer-2',
      'gpu',
      'browser',
      'plugin-host',
      'renderer-3',
    ]);
    expect(ids(sortRows(rows, { column: 'task', direction: 'ascending' }))).toEqual([
      'browser',
      'gpu',
      'plugin-host',
      'renderer-3',
      'renderer-2',
      'renderer-1',
    ]);
    expect(ids(sortRows(rows, { column: 'restarts', direction: 'descending' }))[0]).toBe('gpu');
    expect(ids(sortRows(rows, undefined))).toEqual(ids(rows));
  });

  it('starts figures descending and text ascending, and flips on a second click', () => {
    expect(nextSort(undefined, 'cpu')).toEqual({ column: 'cpu', direction: 'descending' });
    expect(nextSort(undefined, 'task')).toEqual({ column: 'task', direction: 'ascending' });
    expect(nextSort({ column: 'cpu', direction: 'descending' }, 'cpu')).toEqual({
      column: 'cpu',
      direction: 'ascending',
    });
    expect(nextSort({ column: 'cpu', direction: 'ascending' }, 'memory')).toEqual({
      column: 'memory',
      direction: 'descending',
    });
  });
});

describe('formatting', () => {
  it('names each sandbox layer /proc reports, and "none" when there is none', () => {
    expect(formatSandbox(undefined)).toBe('not measured');
    expect(formatSandbox({ seccomp: 'none', noNewPrivs: false, namespaces: [] })).toBe('none');
    expect(formatSandbox({ seccomp: 'filter', noNewPrivs: true, namespaces: ['user', 'pid', 'net'] })).toBe(
      'seccomp-bpf · no_new_privs · user/pid/net ns',
    );
    expect(formatSandbox({ seccomp: 'strict', noNewPrivs: false, namespaces: ['net'] })).toBe(
      'seccomp strict · net ns',
    );
    expect(formatSandbox({ seccomp: 'none', noNewPrivs: true, namespaces: [] })).toBe('no_new_privs');
    expect(formatSandbox({ seccomp: 'filter', noNewPrivs: true })).toBe(
      'seccomp-bpf · no_new_privs · namespaces not readable',
    );
  });

  it('shows memory in KB, MB and GB of 1024, CPU with one decimal, rates without noise', () => {
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(812 * 1024)).toBe('812 KB');
    expect(formatBytes(21.3 * 1024 * 1024)).toBe('21.3 MB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GB');
    expect(formatCpu(0)).toBe('0.0');
    expect(formatCpu(12.46)).toBe('12.5');
    expect(formatCpu(undefined)).toBe('—');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(2.5)).toBe('2.5');
    expect(formatRate(148.4)).toBe('148');
    expect(formatRate(undefined)).toBe('—');
  });
});
