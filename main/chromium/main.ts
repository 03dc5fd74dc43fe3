/**
 * Entry of the Chromium shell: the browser process's core in plain Node, with the system Chromium
 * as the renderer-process factory (`npm run start:chromium`, or `npm start` where Electron cannot be
 * fetched). It serves the built UI and tab pages on loopback, starts the GPU process and the plugin
 * host as Node children, and shows the UI page in a Chromium window whose tabs are cross-site
 * iframes, each in its own renderer process.
 *
 *   --headless                    no window (default when there is no display)
 *   --remote-debugging-port=N     also expose CDP on port N, for your own Playwright experiments
 *   --lab-process-model=per-site  Chrome's process-per-site model instead of a process per tab
 *   --lab-gpu-standby=off         no hot-standby GPU process: a GPU crash is a cold restart
 *   --lab-spare-renderer=off      no spare renderer: every tab's process starts cold
 *   --lab-renderer-memory-cap=MiB a renderer over this much memory is ended as out of memory (default 1024; off)
 *   --no-sandbox                  run Chromium without its OS sandbox (it is on wherever it can work)
 *   --browser-user=NAME           when root: run Chromium as the ordinary user NAME, sandbox on
 *   --fresh                       do not restore the saved session (this one replaces it once saved)
 *   --session-dir=PATH            keep the session there instead of the platform's config folder (tests)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { processModelFromSwitch, PROCESS_MODEL_SWITCH, switchValue } from '../core/process-model-switch.ts';
import { GPU_STANDBY_SWITCH, gpuStandbyFromSwitch } from '../core/gpu-standby-switch.ts';
import { spareRendererFromSwitch, SPARE_RENDERER_SWITCH } from '../core/spare-renderer-switch.ts';
import { memoryCapFromSwitch, RENDERER_MEMORY_CAP_SWITCH } from '../core/memory-cap.ts';
import type { ProcessModel } from '../../protocol/interfaces/browser-state.ts';
import { findBrowser } from '../node/find-browser.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox, REASON_ROOT, sandboxSummary } from '../node/sandbox.ts';
import { lookUpBrowserUser } from './browser-user.ts';
import type { BrowserUser } from './chromium-process.ts';
import { startChromiumShell } from './shell.ts';
import { ExperimentControl } from '../core/experiment-control.ts';
import type { ExperimentHost } from '../core/experiments/experiment-host.ts';
import { startExperiment } from '../core/experiments/runner.ts';
import { chromiumReportsDir, saveReport } from '../node/experiment-reports.ts';
import { chromiumExperimentHost } from './experiment-host.ts';
import { chromiumSessionDir, SessionFile } from '../node/session-file.ts';
import { readSession } from '../core/session/session-at-start.ts';
import { FRESH_SWITCH, SESSION_DIR_SWITCH } from '../core/session/session-switches.ts';

const root = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const debuggingPort = args.find((arg) => arg.startsWith('--remote-debugging-port='));
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const headless = args.includes('--headless') || noDisplay;
let processModel: ProcessModel;
let gpuStandby: boolean;
let spareRenderer: boolean;
let rendererMemoryCapBytes: number | undefined;
try {
  rendererMemoryCapBytes = memoryCapFromSwitch(switchValue(args, RENDERER_MEMORY_CAP_SWITCH));
  spareRenderer = spareRendererFromSwitch(switchValue(args, SPARE_RENDERER_SWITCH));
  if (args.includes('--process-per-site'))
    throw new Error(`--process-per-site is Chromium's own switch: use --${PROCESS_MODEL_SWITCH}=per-site`);
  processModel = processModelFromSwitch(switchValue(args, PROCESS_MODEL_SWITCH));
  gpuStandby = gpuStandbyFromSwitch(switchValue(args, GPU_STANDBY_SWITCH));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

// Before anything starts: without a browser there is nothing to run, and the user needs one
// paragraph saying how to install one, not a spawn error's stack.
const browserLookup = findBrowser();
if (!browserLookup.found) {
  console.error(browserLookup.message);
  process.exit(1);
}

const uiRoot = path.join(root, 'dist/renderer');
if (!existsSync(path.join(uiRoot, 'index.html'))) {
  console.error('The browser UI is not built: run `npm run build` first (npm run start:chromium does).');
  process.exit(1);
}
if (noDisplay && !args.includes('--headless')) {
  console.log(
    'No display found: starting Chromium headless. Use xvfb-run for a window, or --remote-debugging-port=N to script it.',
  );
}

// The OS sandbox: on unless it cannot work here or --no-sandbox was given (main/node/sandbox.ts).
const browserUserName = args.find((arg) => arg.startsWith('--browser-user='))?.slice('--browser-user='.length);
let browserUser: BrowserUser | undefined;
if (browserUserName !== undefined) {
  try {
    if (currentUid() !== 0) throw new Error('--browser-user needs root: it starts Chromium as another user');
    browserUser = lookUpBrowserUser(browserUserName);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
const executablePath = browserLookup.path;
const sandbox = decideSandbox({
  uid: browserUser?.uid ?? currentUid(),
  noSandboxRequested: args.includes('--no-sandbox'),
  helperPaths: chromeSandboxHelpers(executablePath),
});
const asUser = browserUser ? `; Chromium runs as ${browserUser.name}` : '';
const rootHint =
  !sandbox.enabled && sandbox.reason === REASON_ROOT
    ? ': tab renderers run unconfined; --browser-user=NAME runs Chromium as an ordinary user, sandboxed'
    : '';

console.log(`${sandboxSummary(sandbox)}${asUser}${rootHint}`);

// The saved session, read before anything starts: it may bring the window size and process model.
const sessionStore = new SessionFile(switchValue(args, SESSION_DIR_SWITCH) || chromiumSessionDir());
const sessionReport = (line: string) => console.error(line);
const atStart = await readSession(sessionStore, { fresh: args.includes(`--${FRESH_SWITCH}`), report: sessionReport });
const savedState = atStart.kind === 'restore' || atStart.kind === 'offer' ? atStart.state : undefined;
// A restored session keeps its process model unless the command line names one.
if (atStart.kind === 'restore' && switchValue(args, PROCESS_MODEL_SWITCH) === undefined)
  processModel = atStart.state.processModel;

// The Experiments view runs the same runner as `npm run experiment`, against this app; its reports are
// written here and open in a tab as lab://reports/<id>. The runner's host needs the started shell.
const reportsDir = chromiumReportsDir();
const runner: { host?: ExperimentHost & { dispose(): void } } = {};
const experiments = new ExperimentControl({
  startExperiment: (request) => {
    if (!runner.host) throw new Error('The browser is still starting: try again in a moment');
    return startExperiment(runner.host, request);
  },
  saveReport: (report) => saveReport(report, reportsDir),
});
const shell = await startChromiumShell({
  root,
  executablePath,
  sandbox,
  headless,
  processModel,
  gpuStandby,
  ...(browserUser ? { browserUser } : {}),
  chromiumArgs: debuggingPort ? [debuggingPort] : [],
  firstTab: 'lab://live',
  experiments,
  reportsDir,
  spareRenderer,
  rendererMemoryCapBytes: rendererMemoryCapBytes ?? null,
  session: { store: sessionStore, atStart, report: sessionReport },
  ...(savedState?.window ? { windowSize: savedState.window } : {}),
});
runner.host = await chromiumExperimentHost(shell);

console.log(`Browser Process Lab (Chromium shell) is running${headless ? ', headless' : ''}.`);
console.log(`  browser UI: ${shell.uiUrl}`);
console.log(`  experiment reports: ${reportsDir}`);
console.log(`  session: ${sessionStore.location}`);
if (debuggingPort) console.log(`  CDP: http://127.0.0.1:${debuggingPort.split('=')[1]} (chromium.connectOverCDP)`);

let stopping: Promise<never> | undefined;
/**
 * One shutdown, whatever asks first: closing Chromium on the way out fires its exit too, which must
 * not end the process before the session is written marked clean (it did, on a loaded machine).
 */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    // First: the next start restores this session without asking.
    await shell.browser.session?.close();
    experiments.dispose();
    runner.host?.dispose();
    await shell.close();
    process.exit(code);
  })();
  return stopping;
}
// Closing the window ends the app, as closing a browser does.
shell.chromium.onDidExit(() => void shutdown(0));
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));
