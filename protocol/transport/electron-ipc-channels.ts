/**
 * The Electron shell's ipcMain / ipcRenderer channel names between the main process and the
 * preloads: one definition both sides import (the Chromium shell has no such channels: its pages
 * talk through CDP bindings).
 */
export const IPC = {
  /** UI page <-> browser: JSON strings of the browser<->UI interface. */
  ui: 'lab:ui',
  /** UI page -> browser: the content area's rect, for the tab views' bounds. */
  uiContentBounds: 'lab:ui-content-bounds',
  /** Tab page <-> browser: JSON strings of the browser<->tab interface. */
  tab: 'lab:tab',
  /**
   * Browser -> tab preload: a direct channel's MessagePort (`webContents.postMessage`, with
   * `{ portId }`), which the preload forwards to the page (brokered-ports.ts).
   */
  tabPort: 'lab:tab-port',
} as const;
