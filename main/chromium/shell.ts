/**
 * The Chromium shell, started: app server, Chromium, the UI page, the tab host and the core, wired
 * as `npm run start:chromium` runs them. main.ts parses the command line around it; the experiment
 * runner (`npm run experiment`) and tests start it in-process.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Browser } from '../core/browser.ts';
import { serveBrowserUi } from '../core/browser-ui-service.ts';
import type { ExperimentControl } from '../core/experiment-control.ts';
import { loopbackWebSocketBroker } from '../core/channel-broker.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { DEFAULT_RENDERER_MEMORY_CAP_BYTES } from '../core/memory-cap.ts';
import type { ProcessModel } from '../../protocol/interfaces/browser-state.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import type { SandboxDecision } from '../node/sandbox.ts';
import { startAppServer } from './app-server.ts';
import { bundleChildren } from './child-bundles.ts';
import { builtEntries, childProcessLauncher, labHostEnvironment } from './utility-launcher.ts';
import { launchChromium, type BrowserUser, type RunningChromium } from './chromium-process.ts';
import { ChromiumTabHost } from './tab-host.ts';
import { localhostTabUrls } from './tab-urls.ts';
import { procMemory, procMetrics } from './process-metrics.ts';
import { openUiPage } from './ui-page.ts';
import type { CdpConnection, CdpSession } from './cdp-connection.ts';
import type { BrowserOptions } from '../core/browser.ts';
import { watchWindowSize } from './window-size.ts';

export interface ChromiumShellOptions {
  /** The repository root: where `dist/` (the built UI and pages) and `dist-electron/` are. */
  readonly root: string;
  readonly executablePath: string;
  readonly sandbox: SandboxDecision;
  readonly headless: boolean;
  readonly processModel?: ProcessModel;
  /** Run Chromium as this user (root only). */
  readonly browserUser?: BrowserUser;
  /** More Chromium flags (`--remote-debugging-port=N`, the window size). */
  readonly chromiumArgs?: readonly string[];
  /** Open this page once the UI has connected (main.ts: `lab://live`); none if absent. */
  readonly firstTab?: string;
  /** Where the GPU process's and plugin host's output goes (default: inherited). */
  readonly childStdio?: 'inherit' | 'ignore';
  readonly hangThresholdMs?: number;
  /** The GPU process's crash window (Chrome: 3 crashes within it mean software compositing). */
  readonly gpuCrashWindowMs?: number;
  /** Keep a hot-standby GPU process (default true, as the app runs; `--lab-gpu-standby=off`). */
  readonly gpuStandby?: boolean;
  /** Keep a spare renderer for the next tab (default true, as the app runs; `--lab-spare-renderer=off`). */
  readonly spareRenderer?: boolean;
  /** The Experiments view's runner and report writer (none: the view says this shell has no runner). */
  readonly experiments?: ExperimentControl;
  /** Where experiment reports are written: served to tabs as lab://reports/<id>. */
  readonly reportsDir?: string;
  /** The core's clock (default: the system clock). */
  readonly clock?: Clock;
  /** A renderer over this much memory is ended as oom (main/core/memory-cap.ts; default 1 GiB; null: no cap). */
  readonly rendererMemoryCapBytes?: number | null;
  /** Keep and restore the session (main.ts: a SessionFile in chromiumSessionDir()); none: nothing saved. */
  readonly session?: BrowserOptions['session'];
  /** The window's size (main.ts: the restored session's); default 1280x860. */
  readonly windowSize?: { readonly width: number; readonly height: number };
}

export interface ChromiumShell {
  readonly browser: Browser;
  readonly uiUrl: string;
  readonly chromium: RunningChromium;
  readonly connection: CdpConnection;
  /** The browser UI page's CDP session. */
  readonly ui: CdpSession;
  /** Resolves once the UI page has connected to the core (or after 5 s without it). */
  readonly uiReady: Promise<void>;
  /** Disposes the core, closes Chromium and the app server, removes bundles made for this run. Idempotent. */
  close(): Promise<void>;
}

/** Thrown when the UI is not built: the caller says `npm run build`. */
export class UiNotBuiltError extends Error {}

export async function startChromiumShell(options: ChromiumShellOptions): Promise<ChromiumShell> {
  const uiRoot = path.join(options.root, 'dist/renderer');
  const pagesRoot = path.join(options.root, 'dist/pages');
  if (!existsSync(path.join(uiRoot, 'index.html'))) {
    throw new UiNotBuiltError('The browser UI is not built: run `npm run build` first (npm run start:chromium does).');
  }
  // Built children when the build has them; otherwise bundle them now (a few hundred milliseconds).
  const built = builtEntries(options.root);
  const children =
    existsSync(built.gpu) && existsSync(built['plugin-host']) && existsSync(built['lab-host'])
      ? { entries: built, remove: () => {} }
      : await bundleChildren(options.root);

  const cleanups: (() => Promise<void> | void)[] = [() => children.remove()];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      // Closing all the same: say what failed to close rather than hide it.
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => console.error('[chromium] closing failed:', error));
    }
  };
  try {
    const server = await startAppServer({
      uiRoot,
      pagesRoot,
      ...(options.reportsDir ? { reportsRoot: options.reportsDir } : {}),
    });
    cleanups.push(() => server.close());
    const chromium = await launchChromium({
      executablePath: options.executablePath,
      sandbox: options.sandbox,
      ...(options.browserUser ? { user: options.browserUser } : {}),
      headless: options.headless,
      args: [
        `--window-size=${options.windowSize?.width ?? 1280},${options.windowSize?.height ?? 860}`,
        ...(options.chromiumArgs ?? []),
      ],
    });
    cleanups.push(() => chromium.close());

    // UI documents that load before the core exists wait for it (their channel holds their messages).
    const waiting: Transport[] = [];
    let serveUi = (transport: Transport) => void waiting.push(transport);
    const ui = await openUiPage(chromium.connection, server.uiUrl, (transport) => serveUi(transport));

    const clock = options.clock ?? systemClock();
    const tabHost = await ChromiumTabHost.start({
      connection: chromium.connection,
      ui: ui.session,
      urls: localhostTabUrls(server.port),
      now: () => clock.now(),
    });
    const browser = new Browser({
      launcher: childProcessLauncher({
        entries: children.entries,
        env: { 'lab-host': labHostEnvironment(options.root) },
        ...(options.childStdio ? { stdio: options.childStdio } : {}),
      }),
      tabHost,
      // Tabs reach the GPU process, plugin host and lab host over one-time loopback WebSockets the children grant.
      broker: loopbackWebSocketBroker,
      clock,
      pid: process.pid,
      // Chromium's processes' CPU from CDP (SystemInfo.getProcessInfo), the rest and all memory from /proc.
      metrics: procMetrics({ cdp: chromium.connection.root }),
      ...(options.processModel ? { processModel: options.processModel } : {}),
      ...(options.hangThresholdMs === undefined ? {} : { hangThresholdMs: options.hangThresholdMs }),
      ...(options.gpuCrashWindowMs === undefined ? {} : { gpuCrashWindowMs: options.gpuCrashWindowMs }),
      sandbox: options.sandbox,
      gpuStandby: options.gpuStandby ?? true,
      spareRenderer: options.spareRenderer ?? true,
      // The renderer memory cap, from the same /proc figure the task manager shows (PSS).
      ...(options.rendererMemoryCapBytes === null
        ? {}
        : {
            rendererMemory: {
              reader: procMemory(),
              capBytes: options.rendererMemoryCapBytes ?? DEFAULT_RENDERER_MEMORY_CAP_BYTES,
            },
          }),
      ...(options.session ? { session: options.session } : {}),
    });
    cleanups.push(() => browser.dispose());
    // Before the browser is torn down (cleanups run last first): the session is written marked clean.
    const session = browser.session;
    if (session) {
      cleanups.push(() => session.close());
      await watchWindowSize(ui.session, (size) => session.noteWindowSize(size));
    }
    // The first tab opens once the UI has connected: its page has rendered the tab container by then.
    let uiConnected: () => void = () => {};
    const firstUi = new Promise<void>((resolve) => (uiConnected = resolve));
    serveUi = (transport) => {
      serveBrowserUi(browser, transport, options.experiments);
      uiConnected();
    };
    for (const transport of waiting.splice(0)) serveUi(transport);
    await browser.start();
    const uiReady = Promise.race([firstUi, new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]);
    await uiReady;
    // The last session's tabs when it exited cleanly; the first tab only when none came back.
    const restored = (await session?.start()) ?? 0;
    if (options.firstTab !== undefined && restored === 0) await browser.tabs.open(options.firstTab);

    let closing: Promise<void> | undefined;
    return {
      browser,
      uiUrl: server.uiUrl,
      chromium,
      connection: chromium.connection,
      ui: ui.session,
      uiReady,
      close: () => (closing ??= cleanUp()),
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
