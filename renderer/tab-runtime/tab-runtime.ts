/**
 * The runtime every built-in page starts: the channel to the browser (heartbeats and title), the
 * plugins embedded in the page, and, for a page that animates, a compositor for its canvas. One per
 * document: `startTabRuntime()` returns the same runtime however often it is called.
 *
 * On <html>: data-tab-channel ('open': served by the shell | 'offline'), plus what the compositor
 * and the plugin embeds add (see gpu-compositor.ts, plugin-embeds.ts).
 */
import { connectToBrowser, type BrowserConnection } from './browser-channel.ts';
import { listenForDeliveredPorts } from './direct-channel.ts';
import { GpuCompositor } from './gpu-compositor.ts';
import { reportLiveness } from './liveness.ts';
import { PluginEmbeds } from './plugin-embeds.ts';

export interface TabRuntime {
  /** The channel to the browser process; undefined when the page is not served by the shell. */
  readonly browser: BrowserConnection | undefined;
  /** The page's `[data-plugin]` embeds, if it has any. */
  readonly plugins: PluginEmbeds | undefined;
  /** A compositor for `canvas` (one per canvas). */
  compositor(canvas: HTMLCanvasElement): GpuCompositor;
}

let runtime: TabRuntime | undefined;

export function startTabRuntime(): TabRuntime {
  if (runtime) return runtime;
  const browser = connectToBrowser(globalThis);
  // Before any channel request: under Electron a channel's port may arrive before its answer.
  if (browser) listenForDeliveredPorts();
  document.documentElement.dataset.tabChannel = browser ? 'open' : 'offline';
  if (browser) reportLiveness(browser);
  const embeds = document.querySelectorAll<HTMLElement>('[data-plugin]');
  const plugins = embeds.length > 0 ? new PluginEmbeds(embeds, browser) : undefined;
  const compositors = new Map<HTMLCanvasElement, GpuCompositor>();
  runtime = {
    browser,
    plugins,
    compositor(canvas) {
      let compositor = compositors.get(canvas);
      if (!compositor) compositors.set(canvas, (compositor = new GpuCompositor({ canvas, browser })));
      return compositor;
    },
  };
  return runtime;
}
