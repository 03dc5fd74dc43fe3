/**
 * The browser UI page's renderer can crash like any other. Its tabs live in processes of their own
 * and carry on, so the UI is loaded again and, on its new document's channel, asks the core for the
 * state again (renderer/browser-ui/connection/browser-connection.ts); nothing else is lost. A UI that keeps crashing
 * is reloaded less and less often rather than in a tight loop. Type-only Electron imports.
 */
import type { WebContents } from 'electron';

/** Crashes further apart than this are not counted together. */
export const CRASH_WINDOW_MS = 60_000;
export const MAX_RELOAD_DELAY_MS = 30_000;

/** How long to wait before loading the UI again: at once after a first crash, then 1 s, 2 s, 4 s… within a minute. */
export function uiReloadDelay(earlierCrashes: readonly number[], now: number): number {
  const recent = earlierCrashes.filter((at) => now - at < CRASH_WINDOW_MS).length;
  return recent === 0 ? 0 : Math.min(MAX_RELOAD_DELAY_MS, 1000 * 2 ** (recent - 1));
}

export interface KeepUiAliveOptions {
  readonly url: string;
  /** The window is closing: its UI ending is expected. */
  readonly isClosing: () => boolean;
  readonly now?: () => number;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly log?: (line: string) => void;
}

/** Reloads the UI page whenever its renderer process ends while the window is open. */
export function keepUiAlive(
  contents: Pick<WebContents, 'on' | 'isDestroyed' | 'loadURL'>,
  options: KeepUiAliveOptions,
): void {
  const crashes: number[] = [];
  const now = options.now ?? Date.now;
  const later = options.setTimeout ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const log = options.log ?? ((line: string) => console.error(line));
  contents.on('render-process-gone', (_event, details) => {
    if (options.isClosing() || contents.isDestroyed()) return;
    const at = now();
    const delay = uiReloadDelay(crashes, at);
    crashes.push(at);
    crashes.splice(0, Math.max(0, crashes.length - 16));
    log(
      `[browser] the browser UI's renderer ended (${details.reason}, exit code ${details.exitCode}); loading it again in ${delay} ms. The tabs run on in their own processes.`,
    );
    // Never from inside the event: reloading a gone renderer there is not reliable.
    later(() => {
      if (!options.isClosing() && !contents.isDestroyed())
        contents
          .loadURL(options.url)
          .catch((error: unknown) => log(`[browser] loading the browser UI again failed: ${String(error)}`));
    }, delay);
  });
}
