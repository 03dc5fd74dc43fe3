/**
 * The experiment runner's ExperimentHost (main/core/experiments/experiment-host.ts) in the Chromium
 * shell: the shared Node probes (main/node/host-probe.ts, gpu-frame-probe.ts), the UI page's
 * answer through CDP (a requestAnimationFrame round trip in its document), Chromium's version, and
 * Chromium's own processes (its browser, zygotes, GPU and utility processes), which are the app's.
 */
import type { ExperimentHost } from '../core/experiments/experiment-host.ts';
import { drawProbeFrame } from '../node/gpu-frame-probe.ts';
import { nodeHostProbe } from '../node/host-probe.ts';
import { fileTrialJournal } from '../node/trial-journal-file.ts';
import type { ProcessModel } from '../../protocol/interfaces/browser-state.ts';
import type { ScenarioName } from '../../protocol/experiments/report.ts';
import { requireBrowser } from '../node/find-browser.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox } from '../node/sandbox.ts';
import { startChromiumShell, type ChromiumShell } from './shell.ts';

const UI_TIMEOUT_MS = 5000;

export async function chromiumExperimentHost(shell: ChromiumShell): Promise<ExperimentHost & { dispose(): void }> {
  const probe = nodeHostProbe();
  const { product } = await shell.connection.root.send('Browser.getVersion', undefined, { timeoutMs: UI_TIMEOUT_MS });
  // "HeadlessChrome/156.0.…" or "Chrome/156.0.…"
  const version = product.split('/')[1] ?? product;
  return {
    browser: shell.browser,
    probe,
    shell: 'chromium',
    browserVersion: `Chromium ${version}`,
    drawFrame: (channel) => drawProbeFrame(channel),
    openTrialJournal: (id) => fileTrialJournal(id),
    async uiRoundTrip() {
      const started = performance.now();
      await shell.ui.send(
        'Runtime.evaluate',
        { expression: 'new Promise((resolve) => requestAnimationFrame(() => resolve(1)))', awaitPromise: true },
        { timeoutMs: UI_TIMEOUT_MS },
      );
      return performance.now() - started;
    },
    async appPids() {
      const { processInfo } = await shell.connection.root.send('SystemInfo.getProcessInfo', undefined, {
        timeoutMs: UI_TIMEOUT_MS,
      });
      return [shell.chromium.pid, ...processInfo.map((info) => info.id)];
    },
    dispose: () => probe.dispose(),
  };
}

export interface ExperimentShellOptions {
  readonly root: string;
  readonly processModel?: ProcessModel;
  readonly scenario: ScenarioName;
}

/**
 * The Chromium shell as experiments start it: headless, the children quiet, and, except for
 * gpu-fallback, a short GPU crash window so repeated GPU crashes (each trial waits for the next
 * frame, ~1 s) are trials of a crash, not a fallback to software compositing.
 */
export async function startExperimentShell(
  options: ExperimentShellOptions,
): Promise<{ shell: ChromiumShell; host: ExperimentHost; close(): Promise<void> }> {
  const executablePath = requireBrowser();
  const sandbox = decideSandbox({
    uid: currentUid(),
    noSandboxRequested: false,
    helperPaths: chromeSandboxHelpers(executablePath),
  });
  const shell = await startChromiumShell({
    root: options.root,
    executablePath,
    sandbox,
    headless: true,
    childStdio: 'ignore',
    ...(options.processModel ? { processModel: options.processModel } : {}),
    ...(options.scenario === 'gpu-fallback' ? {} : { gpuCrashWindowMs: EXPERIMENT_GPU_CRASH_WINDOW_MS }),
  });
  try {
    const host = await chromiumExperimentHost(shell);
    return {
      shell,
      host,
      close: async () => {
        host.dispose();
        await shell.close();
      },
    };
  } catch (error) {
    await shell.close();
    throw error;
  }
}

/** Shorter than a GPU restart plus a frame: three crashes never fall within it unless asked to. */
export const EXPERIMENT_GPU_CRASH_WINDOW_MS = 1000;
