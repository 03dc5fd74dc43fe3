// The Processes drawer's views (the Experiments view among them), as data: what the drawer can show and which it shows first. A model
// file (no React), so tours can name a view without importing a component.

export type PanelView = 'tasks' | 'ipc' | 'map' | 'experiments';

export const PANEL_VIEWS: readonly { readonly view: PanelView; readonly label: string }[] = [
  { view: 'tasks', label: 'Task manager' },
  { view: 'ipc', label: 'IPC inspector' },
  { view: 'map', label: 'Architecture map' },
  { view: 'experiments', label: 'Experiments' },
];

/** The first view the drawer shows when opened from the status bar. */
export const DEFAULT_PANEL_VIEW: PanelView = 'tasks';

/** The drawer's element id: the status bar's Processes button controls it. */
export const PROCESS_PANEL_ID = 'processes-panel';
