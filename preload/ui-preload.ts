// Preload of the browser UI page (sandboxed renderer; built to dist-electron/ui-preload.cjs, CommonJS).
// Gives the page exactly its channel to the browser process (`__labUiSend`, and delivery into the
// page's `__labUiReceive`), and reports where the page's tab content area is, so the browser
// process can place the tab views there, and whether a popup is over it (content-area.ts). Never raw ipcRenderer.
import { ipcRenderer } from 'electron';
import { IPC } from '../protocol/transport/electron-ipc-channels.ts';
import { UI_CHANNEL_NAMES } from '../protocol/transport/string-channel.ts';
import { contentAreaReport, POPUP_SELECTOR } from './content-area.ts';
import { exposeStringChannel } from './string-channel-preload.ts';

const TAB_CONTAINER_SELECTOR = '[data-tab-container]';

exposeStringChannel(IPC.ui, UI_CHANNEL_NAMES);

// The preload's isolated world shares the page's DOM: watch the content area from here, so the
// page needs no Electron-specific code. A popup opening or closing is a DOM change, so it is reported.
let last = '';
function reportBounds(container: Element): void {
  const popups = [...document.querySelectorAll(POPUP_SELECTOR)].map((popup) => popup.getBoundingClientRect());
  const rect = contentAreaReport(container.getBoundingClientRect(), popups);
  const key = JSON.stringify(rect);
  if (key === last) return;
  last = key;
  ipcRenderer.send(IPC.uiContentBounds, rect);
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
