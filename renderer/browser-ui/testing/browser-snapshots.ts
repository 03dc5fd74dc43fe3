// Test doubles for the browser's state as the UI receives it: a process row and a snapshot where
// nothing has gone wrong, each test filling in only what it is about.
import type { ProcessInfo } from '../../../protocol/interfaces/browser-state.ts';
import type { BrowserSnapshot } from '../connection/browser-state.ts';

/** A running process that has never restarted, labelled with its id. */
export const processInfo = (id: string, kind: ProcessInfo['kind'], extra: Partial<ProcessInfo> = {}): ProcessInfo => ({
  id,
  kind,
  label: id,
  pid: 100,
  startedAt: 0,
  state: 'running',
  restarts: 0,
  ...extra,
});

/** Compositing in hardware, one process per tab, the plugin host up, no bad messages, no events. */
export const quietSnapshot = (
  parts: Pick<BrowserSnapshot, 'tabs' | 'selectedTabId' | 'processes'> & Partial<BrowserSnapshot>,
): BrowserSnapshot => ({
  gpuMode: 'hardware',
  processModel: 'process-per-tab',
  pluginHost: { running: true, recentCrashes: 0 },
  badMessages: 0,
  events: [],
  ...parts,
});
