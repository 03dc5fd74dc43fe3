/**
 * The IPC channel names between the main process and the preloads. preload/ keeps its own copy
 * (main/ may not import preload/); ipc-channels.test.ts checks that both agree.
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
   * `{ portId }`), which the preload forwards to the page (protocol/transport/brokered-ports.ts).
   */
  tabPort: 'lab:tab-port',
} as const;
