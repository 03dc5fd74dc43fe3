/**
 * The Chromium shell's window size, for the saved session: read from Chromium (Browser.getWindowForTarget
 * on the UI page's session) at start and after each resize. The UI page only says "resized" through a
 * binding of its own; the size itself is Chromium's, never what the page claims.
 */
import type { CdpSession } from './cdp-connection.ts';

const BINDING = '__labWindowResized';
/** A resize drag fires many events: one read after it settles. */
const SETTLE_MS = 300;
const LISTEN = `(() => {
  if (globalThis.${BINDING}Installed) return;
  globalThis.${BINDING}Installed = true;
  let timer;
  addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => globalThis.${BINDING}?.(''), ${SETTLE_MS});
  });
})()`;

export interface WindowSize {
  readonly width: number;
  readonly height: number;
}

/** Calls `onSize` with the window's size now and after every resize; resolves once listening. */
export async function watchWindowSize(ui: CdpSession, onSize: (size: WindowSize) => void): Promise<void> {
  const read = async () => {
    try {
      const { bounds } = await ui.send('Browser.getWindowForTarget');
      if (bounds.width !== undefined && bounds.height !== undefined)
        onSize({ width: bounds.width, height: bounds.height });
    } catch {
      // Chromium is closing: the last size read stands.
    }
  };
  ui.on('Runtime.bindingCalled', ({ name }) => {
    if (name === BINDING) void read();
  });
  await ui.send('Runtime.addBinding', { name: BINDING });
  // Later documents (the UI reloaded) and the one loaded now.
  await ui.send('Page.addScriptToEvaluateOnNewDocument', { source: LISTEN });
  await ui.send('Runtime.evaluate', { expression: LISTEN }).catch(() => {});
  await read();
}
