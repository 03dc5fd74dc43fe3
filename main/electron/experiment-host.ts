/**
 * The experiment runner's ExperimentHost (main/core/experiments/experiment-host.ts) under Electron,
 * as main/chromium/experiment-host.ts is the Chromium shell's: the shared Node probes
 * (main/node/host-probe.ts), the UI page's answer (a requestAnimationFrame round trip through its
 * webContents), Electron's and its Chromium's versions, the app's own processes from
 * `app.getAppMetrics()`, and a frame through the GPU process over a port the channel broker kept in
 * this process (the runner's frame probe is a client of the browser, not of a page).
 * Type-only Electron imports: main.ts passes the real objects, tests pass stand-ins.
 */
import type { App, MessagePortMain, ProcessMetric, WebContents } from 'electron';
import type { Browser } from '../core/browser.ts';
import type { ExperimentHost } from '../core/experiments/experiment-host.ts';
import { drawProbeFrame, rasterizeProbeFrame } from '../node/gpu-frame-probe.ts';
import { fileTrialJournal } from '../node/trial-journal-file.ts';
import { nodeHostProbe, type HostProbe } from '../node/host-probe.ts';
import { messagePortMainTransport } from '../../protocol/transport/electron.ts';

export const UI_TIMEOUT_MS = 5000;
const FRAME_TIMEOUT_MS = 5000;

/** Resolves once the UI page has drawn its next frame (run in the page's main world). */
export const RAF_ROUND_TRIP = 'new Promise((resolve) => requestAnimationFrame(() => resolve(1)))';

/** "Electron 45.5.0 (Chromium 142.0.7444.52)", from `process.versions`. */
export function electronBrowserVersion(versions: { readonly electron?: string; readonly chrome?: string }): string {
  return `Electron ${versions.electron ?? 'unknown'} (Chromium ${versions.chrome ?? 'unknown'})`;
}

/**
 * The app's processes the core does not register, for the soak's orphan check: every process
 * `getAppMetrics` lists (the main process itself is `Browser`; zygotes, GPU, network and other
 * utilities) except renderers (`Tab`), which are the core's tabs and spare and must be accounted for
 * by it, not excused here. The UI page's renderer is the one `Tab` that belongs to the shell.
 */
export function appPidsFromMetrics(
  metrics: readonly Pick<ProcessMetric, 'pid' | 'type'>[],
  uiPid: number | undefined,
): number[] {
  const pids = new Set(metrics.filter((metric) => metric.type !== 'Tab').map((metric) => metric.pid));
  if (uiPid !== undefined && uiPid > 0) pids.add(uiPid);
  return [...pids];
}

/** `work`, or a rejection naming `what` after `timeoutMs`; a late settle of `work` is dropped. */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export interface ElectronExperimentHostOptions {
  readonly browser: Browser;
  /** The UI page's webContents. */
  readonly ui: Pick<WebContents, 'executeJavaScript' | 'isDestroyed' | 'getOSProcessId'>;
  readonly app: Pick<App, 'getAppMetrics'>;
  /** `process.versions` under Electron. */
  readonly versions: { readonly electron?: string; readonly chrome?: string };
  /** The channel broker's browser-side ends (ElectronChannelBroker.takeBrowserPort). */
  readonly takeBrowserPort: (portId: string) => MessagePortMain | undefined;
  readonly probe?: HostProbe;
  readonly uiTimeoutMs?: number;
  readonly frameTimeoutMs?: number;
}

export function electronExperimentHost(options: ElectronExperimentHostOptions): ExperimentHost & { dispose(): void } {
  const probe = options.probe ?? nodeHostProbe();
  const { ui } = options;
  const uiTimeoutMs = options.uiTimeoutMs ?? UI_TIMEOUT_MS;
  const frameTimeoutMs = options.frameTimeoutMs ?? FRAME_TIMEOUT_MS;
  return {
    browser: options.browser,
    probe,
    shell: 'electron',
    browserVersion: electronBrowserVersion(options.versions),
    // In the system's temp folder, removed once the report has every trial.
    openTrialJournal: (id) => fileTrialJournal(id),
    async drawFrame(channel) {
      if (channel.kind === 'websocket') return drawProbeFrame(channel, frameTimeoutMs);
      const port = options.takeBrowserPort(channel.portId);
      if (!port) throw new Error(`no browser-side port ${channel.portId} to draw the probe frame on`);
      try {
        await rasterizeProbeFrame(messagePortMainTransport(port, { process: 'gpu' }), frameTimeoutMs);
      } finally {
        port.close();
      }
    },
    async uiRoundTrip() {
      if (ui.isDestroyed()) throw new Error('the UI page is gone');
      const started = performance.now();
      // executeJavaScript settles with the promise's result (and waits while the page is still loading:
      // the timeout covers that too). No user gesture: rAF needs none.
      await withTimeout(ui.executeJavaScript(RAF_ROUND_TRIP, false), uiTimeoutMs, 'the UI page');
      return performance.now() - started;
    },
    appPids: () =>
      Promise.resolve(
        appPidsFromMetrics(options.app.getAppMetrics(), ui.isDestroyed() ? undefined : ui.getOSProcessId()),
      ),
    dispose: () => probe.dispose(),
  };
}
