/**
 * What tells the browser this page is alive and what it is called: a heartbeat every 250 ms from the
 * main thread (so a hung main thread goes silent, and the browser's watchdog shows "Page
 * unresponsive"), and the title, once at start and whenever <title> changes.
 */
import type { BrowserConnection } from './browser-channel.ts';

export const HEARTBEAT_INTERVAL_MS = 250;
const MAX_TITLE = 512;

/** Starts heartbeats and title reports; returns the stop. */
export function reportLiveness(
  browser: BrowserConnection,
  doc: Document = document,
  intervalMs = HEARTBEAT_INTERVAL_MS,
): () => void {
  let seq = 0;
  const beat = () => browser.emit('heartbeat', { seq: seq++ });
  beat();
  // A timer on the main thread on purpose: a worker would keep beating while the page hangs.
  const timer = setInterval(beat, intervalMs);

  let reported: string | undefined;
  const reportTitle = () => {
    const title = doc.title.slice(0, MAX_TITLE);
    if (title === reported) return;
    reported = title;
    browser.emit('titleChanged', { title });
  };
  reportTitle();
  // <title> lives in <head>: its text changing, or the element replaced (document.title = ...).
  const observer = new MutationObserver(reportTitle);
  observer.observe(doc.head ?? doc.documentElement, { subtree: true, childList: true, characterData: true });

  return () => {
    clearInterval(timer);
    observer.disconnect();
  };
}
