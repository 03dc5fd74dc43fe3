// Preload of the browser UI page (sandboxed renderer; built to dist-electron/ui-preload.cjs, CommonJS).
// Gives the page exactly its channel to the browser process (`__labUiSend`, and delivery into the
// page's `__labUiReceive`), and reports where the page's tab content area is, so the browser
// process can place the tab views there, and whether a popup is over it (content-area.ts). Never raw ipcRenderer.
import { ipcRenderer } from 'electron';
import { UI_CHANNEL_NAMES } from '../protocol/transport/string-channel.ts';
import { contentAreaReport, POPUP_SELECTOR } from './content-area.ts';
import { exposeStringChannel } from './string-channel-preload.ts';

/** Same names as main/electron/ipc-channels.ts (checked by its test). */
const IPC_UI = 'lab:ui';
const IPC_UI_CONTENT_BOUNDS = 'lab:ui-content-bounds';
const TAB_CONTAINER_SELECTOR = '[data-tab-container]';

exposeStringChannel(IPC_UI, UI_CHANNEL_NAMES);

// The preload's isolated world shares the page's DOM: watch the content area from here, so the
// page needs no Electron-specific code. A popup opening or closing is a DOM change, so it is reported.
let last = '';
function reportBounds(container: Element): void {
  const popups = [...document.querySelectorAll(POPUP_SELECTOR)].map((popup) => popup.getBoundingClientRect());
  const rect = contentAreaReport(container.getBoundingClientRect(), popups);
  const key = JSON.stringify(rect);
  if (key === last) return;
  last = key;
  ipcRenderer.send(IPC_UI_CONTENT_BOUNDS, rect);
}

function watch(): void {
  const container = document.querySelector(TAB_CONTAINER_SELECTOR);
  if (!container) {
    const observer = new MutationObserver(() => {
      if (document.querySelector(TAB_CONTAINER_SELECTOR)) {
        observer.disconnect();
        watch();
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
    return;
  }
  const report = () => reportBounds(container);
  const resize = new ResizeObserver(report);
  resize.observe(container);
  resize.observe(document.documentElement);
  // Layout above the content area can move it without resizing it.
  new MutationObserver(report).observe(document.body, { childList: true, subtree: true, attributes: true });
  window.addEventListener('resize', report);
  report();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch, { once: true });
else watch();
