/**
 * What every built-in page shares: the big ticking counter (#counter, with data-count), where the
 * page is served from, and a footer line saying how the tab runtime is connected.
 */
import type { TabRuntime } from '../../tab-runtime/index.ts';

/** Counts up every `intervalMs` on the main thread, in #counter's text and its data-count. */
export function startCounter(intervalMs: number): { readonly count: number } {
  const element = document.getElementById('counter');
  if (!element) throw new Error('This page has no #counter');
  let count = 0;
  const show = () => {
    element.textContent = count.toLocaleString('en-US');
    element.dataset.count = String(count);
  };
  show();
  setInterval(() => {
    count++;
    show();
  }, intervalMs);
  return {
    get count() {
      return count;
    },
  };
}

/** Fills [data-where] with the page's host (its site instance, in the Chromium shell). */
export function showWhere(): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-where]')) {
    element.textContent = location.host || 'file';
  }
}

/** Fills .runtime-status with how the page talks to the browser process. */
export function showRuntimeStatus(runtime: TabRuntime): void {
  const text = runtime.browser
    ? 'Tab channel open: heartbeats every 250 ms and the title go to the browser process.'
    : 'Offline: this page is not served by the shell (no __labTabSend), so nothing reports to a browser process.';
  for (const element of document.querySelectorAll<HTMLElement>('.runtime-status')) element.textContent = text;
}

/** The usual start of a page: runtime, host, status line, counter. */
export function startPage(runtime: TabRuntime, counterIntervalMs = 100): { readonly count: number } {
  showWhere();
  showRuntimeStatus(runtime);
  return startCounter(counterIntervalMs);
}
