// Entry of the browser process under the Electron shell (built to dist-electron/main.js, ESM).
// Composes the runtime-neutral core (main/core/) with Electron's adapters, as main/chromium/main.ts
// does with Chromium's: utility processes for the GPU process and the plugin host, a WebContentsView
// per tab, app.getAppMetrics() for the task manager, and the UI window's channel for the UI.
// Built-in pages come from the privileged `lab-app:` scheme (app-protocol.ts), never file://.
//
//   --lab-experiment=<request JSON> --lab-experiment-out=<dir>
//       (what `npm run experiment -- ... --shell electron` passes) runs one experiment against this app,
//       its window hidden, writes the report to <dir> and quits: 0 the hypothesis held, 1 it did not,
//       2 a bad request, 3 the run or the writing failed.
//   --fresh                 do not restore the saved session (this one replaces it once saved)
//   --session-dir=PATH      keep the session there instead of userData (tests)
import path from 'node:path';
import {
  app,
  BaseWindow,
  ipcMain,
  MessageChannelMain,
  net,
  protocol,
  session,
  utilityProcess,
  WebContentsView,
  type WebContents,
} from 'electron';
import { Browser } from '../core/browser.ts';
import { serveBrowserUi } from '../core/browser-ui-service.ts';
import { ExperimentControl } from '../core/experiment-control.ts';
import { FRAME_PROBE_CLIENT } from '../core/experiments/experiment-host.ts';
import { startExperiment } from '../core/experiments/runner.ts';
import { saveReport } from '../node/experiment-reports.ts';
import { EXPERIMENT_EXIT, experimentSwitches } from './experiment-switches.ts';
import { systemClock } from '../core/clock.ts';
import { processModelFromSwitch, PROCESS_MODEL_SWITCH } from '../core/process-model-switch.ts';
import { GPU_STANDBY_SWITCH, gpuStandbyFromSwitch } from '../core/gpu-standby-switch.ts';
import { spareRendererFromSwitch, SPARE_RENDERER_SWITCH } from '../core/spare-renderer-switch.ts';
import { memoryCapFromSwitch, RENDERER_MEMORY_CAP_SWITCH } from '../core/memory-cap.ts';
import { APP_SCHEME_PRIVILEGES, handleAppProtocol, UI_URL } from './app-protocol.ts';
import { ElectronChannelBroker } from './channel-broker.ts';
import { electronExperimentHost } from './experiment-host.ts';
import { IPC } from '../../protocol/transport/electron-ipc-channels.ts';
import { chromeSandboxHelpers, currentUid, sandboxInForce, sandboxSummary } from '../node/sandbox.ts';
import { electronMemory, electronProcessMetrics } from './process-metrics.ts';
import { documentChannels, IpcRouter } from './string-ipc.ts';
import { contentArea, ElectronTabHost } from './tab-host.ts';
import { keepUiAlive } from './ui-recovery.ts';
import { ElectronUtilityLauncher } from './utility-launcher.ts';
import { readSession } from '../core/session/session-at-start.ts';
import { FRESH_SWITCH, SESSION_DIR_SWITCH } from '../core/session/session-switches.ts';
import { SessionFile } from '../node/session-file.ts';

const here = import.meta.dirname; // dist-electron/
const root = path.join(here, '..');

// Before `ready`: the scheme must be standard and secure to get an origin, fetch and a CSP.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();
// Where the OS sandbox cannot work (root; no user namespaces and no setuid chrome-sandbox) Electron
// aborts before this code runs unless it got --no-sandbox, so scripts/start.mjs decides and passes it
// (main/node/sandbox.ts); here the app says what is in force, and why (ELECTRON_DISABLE_SANDBOX counts too).
const sandbox = sandboxInForce(
  app.commandLine.hasSwitch('no-sandbox') || Boolean(process.env.ELECTRON_DISABLE_SANDBOX),
  {
    uid: currentUid(),
    helperPaths: chromeSandboxHelpers(process.execPath),
  },
);
console.log(sandboxSummary(sandbox));

/** What the UI page may do to itself: nothing but stay on the UI. */
function lockDownUi(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (event.url !== UI_URL) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function start(): Promise<void> {
  // From Chromium's parsed command line, not process.argv: argv is [electron, '.', ...args] in
  // development but [exe, ...args] packaged.
  let processModel = processModelFromSwitch(app.commandLine.getSwitchValue(PROCESS_MODEL_SWITCH));
  // getSwitchValue answers '' for an absent switch, which is the default (on).
  const gpuStandby = gpuStandbyFromSwitch(app.commandLine.getSwitchValue(GPU_STANDBY_SWITCH));
  const switches = experimentSwitches(app.commandLine, process.cwd());
  if (switches.kind === 'refused') {
    for (const error of switches.errors) console.error(`[experiment] ${error}`);
    app.exit(EXPERIMENT_EXIT.badRequest);
    return;
  }
  const experiment = switches.kind === 'run' ? switches : undefined;
  // --lab-spare-renderer=off: no spare renderer, every tab's process starts cold.
  const spareRenderer = spareRendererFromSwitch(app.commandLine.getSwitchValue(SPARE_RENDERER_SWITCH));
  // --lab-renderer-memory-cap=MiB (or off): a renderer over it is ended as oom (main/core/memory-cap.ts).
  const rendererMemoryCapBytes = memoryCapFromSwitch(app.commandLine.getSwitchValue(RENDERER_MEMORY_CAP_SWITCH));
  await app.whenReady();
  // Reports written from the Experiments view; `lab://reports/<id>` serves them. (Read after ready: the
  // userData path is final only once nothing can rename the app any more.)
  const reportsDir = path.join(app.getPath('userData'), 'experiments');
  handleAppProtocol(protocol, net, {
    ui: path.join(root, 'dist/renderer'),
    pages: path.join(root, 'dist/pages'),
    reports: reportsDir,
  });
  // The saved session, read before the window opens (its size) and the core starts (its process
  // model, unless the command line names one). An experiment run neither restores nor saves one.
  const sessionStore = new SessionFile(
    app.commandLine.getSwitchValue(SESSION_DIR_SWITCH) || path.join(app.getPath('userData'), 'session'),
  );
  const sessionReport = (line: string) => console.error(line);
  const atStart = experiment
    ? undefined
    : await readSession(sessionStore, { fresh: app.commandLine.hasSwitch(FRESH_SWITCH), report: sessionReport });
  const savedState = atStart?.kind === 'restore' || atStart?.kind === 'offer' ? atStart.state : undefined;
  if (atStart?.kind === 'restore' && !app.commandLine.hasSwitch(PROCESS_MODEL_SWITCH))
    processModel = atStart.state.processModel;

  // No page gets a permission (camera, notifications, ...): none needs one.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // An experiment from the command line runs with the window hidden.
  const window = new BaseWindow({
    width: savedState?.window?.width ?? 1280,
    height: savedState?.window?.height ?? 860,
    title: 'Browser Process Lab',
    show: !experiment,
  });
  const ui = new WebContentsView({
    webPreferences: {
      // Hidden, the UI must still paint (the runner measures the sad tab painted): a webContents without
      // background throttling keeps frames drawn for its whole window (WebPreferences.backgroundThrottling docs).
      ...(experiment ? { backgroundThrottling: false } : {}),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      preload: path.join(here, 'ui-preload.cjs'),
    },
  });
  window.contentView.addChildView(ui);
  const fitUi = () => {
    const [width = 0, height = 0] = window.getContentSize();
    ui.setBounds({ x: 0, y: 0, width, height });
  };
  fitUi();
  window.on('resize', fitUi);
  lockDownUi(ui.webContents);

  // One ipcMain listener per channel, dispatching by sender (not one per tab).
  const ipc = new IpcRouter(ipcMain);
  const tabHost = new ElectronTabHost({
    window,
    ipc,
    WebContentsView,
    preload: path.join(here, 'tab-preload.cjs'),
    // Called only after `core` exists (a tab asks for a window).
    // A refused URL (see main/core/urls.ts) opens nothing; say why rather than drop it.
    openTab: (url) =>
      void core.tabs
        .open(url)
        .catch((error: unknown) =>
          console.warn(`[browser] a tab asked for a window that was not opened: ${String(error)}`),
        ),
  });
  // Tabs' direct channels to the GPU process, plugin host and lab host: a MessageChannelMain per request; the
  // experiment runner's frame probe keeps its end here (the experiment host opens it).
  const broker = new ElectronChannelBroker({
    MessageChannelMain,
    documentOf: (tabId) => tabHost.documentOf(tabId),
    browserClients: new Set([FRAME_PROBE_CLIENT]),
  });
  const core = new Browser({
    launcher: new ElectronUtilityLauncher({
      app,
      utilityProcess,
      entries: {
        gpu: path.join(here, 'gpu-worker.js'),
        'plugin-host': path.join(here, 'plugin-host.js'),
        'lab-host': path.join(here, 'lab-host.js'),
      },
    }),
    tabHost,
    broker,
    metrics: electronProcessMetrics(app),
    ...(rendererMemoryCapBytes === undefined
      ? {}
      : { rendererMemory: { reader: electronMemory(app), capBytes: rendererMemoryCapBytes } }),
    clock: systemClock(),
    pid: process.pid,
    processModel,
    sandbox,
    gpuStandby,
    spareRenderer,
    ...(atStart ? { session: { store: sessionStore, atStart, report: sessionReport } } : {}),
  });
  const keeper = core.session;
  if (keeper) {
    const noteSize = () => {
      const [width = 0, height = 0] = window.getSize();
      keeper.noteWindowSize({ width, height });
    };
    noteSize();
    window.on('resize', noteSize);
    // Quitting waits for the session to be written marked clean (will-quit's preventDefault holds the
    // quit; app docs), then quits for real: the next start restores it without asking.
    let sessionClosed = false;
    app.on('will-quit', (event) => {
      if (sessionClosed) return;
      event.preventDefault();
      void keeper.close().finally(() => {
        sessionClosed = true;
        app.quit();
      });
    });
  }

  // The runner's host is made once the core has started (below); a request before that is refused.
  const runner: { host?: ReturnType<typeof electronExperimentHost> } = {};
  const experiments = new ExperimentControl({
    startExperiment: (request) => {
      if (!runner.host) throw new Error('The browser is still starting: try again in a moment');
      return startExperiment(runner.host, request);
    },
    // The command line's experiment writes where it was told; the view's into the reports folder.
    saveReport: (report) => saveReport(report, experiment?.out ?? reportsDir),
  });

  // A crashed UI is loaded again; its tabs live on in their own processes.
  let closing = false;
  keepUiAlive(ui.webContents, { url: UI_URL, isClosing: () => closing });

  // Closing the window ends the app, as closing a browser does (its views' webContents first).
  window.on('closed', () => {
    closing = true;
    experiments.dispose();
    runner.host?.dispose();
    tabHost.dispose();
    if (!ui.webContents.isDestroyed()) ui.webContents.close();
    core.dispose();
    app.quit();
  });

  // The selected tab's view is shown while its page lives; a sad tab or the unresponsive dialog
  // is the UI's own drawing, so the view steps aside for it.
  const showSelected = () => {
    const state = core.state();
    const selected = state.tabs.find((tab) => tab.id === state.selectedTabId);
    tabHost.show(selected && (selected.state === 'live' || selected.state === 'loading') ? selected.id : undefined);
  };
  core.log.onDidRecord((event) => {
    if (event.type === 'tab-changed' || event.type === 'tab-selected' || event.type === 'tab-closed') showSelected();
  });

  // The UI page: a channel per document (a reload gets a new one), served by the core.
  let uiConnected: () => void = () => {};
  const firstUi = new Promise<void>((resolve) => (uiConnected = resolve));
  documentChannels(
    ipc,
    ui.webContents,
    IPC.ui,
    () => ({ process: 'ui', pid: ui.webContents.getOSProcessId() }),
    (page) => {
      serveBrowserUi(core, page.transport, experiments);
      uiConnected();
    },
  );
  ipc.route(IPC.uiContentBounds, ui.webContents, (_event, report) => {
    const area = contentArea(report);
    if (area) tabHost.setContentArea(area);
  });
  // Every other IPC channel is unknown: nothing else is registered on ipcMain.

  await ui.webContents.loadURL(UI_URL);
  await core.start();
  runner.host = electronExperimentHost({
    browser: core,
    ui: ui.webContents,
    app,
    versions: process.versions,
    takeBrowserPort: (portId) => broker.takeBrowserPort(portId),
  });
  await Promise.race([firstUi, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (!experiment) {
    // The last session's tabs when it exited cleanly; the first tab only when none came back.
    const restored = (await keeper?.start()) ?? 0;
    if (restored === 0) await core.tabs.open('lab://live');
    return;
  }
  // The command line's experiment, through the same control as the view's: the runner opens its own
  // tabs; the report goes to --lab-experiment-out.
  let code: number = EXPERIMENT_EXIT.failed;
  try {
    const { id } = experiments.start(experiment.request);
    // Ctrl-C in the CLI that spawned us: stop cleanly, and still write what was measured.
    const stop = () => {
      try {
        experiments.stop(id);
      } catch {
        // already ended: its report is being written or was
      }
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const ended = await experiments.settled();
    if (ended?.state === 'done') {
      console.log(`[experiment] report: ${ended.report?.file}`);
      code = ended.verdict?.holds ? EXPERIMENT_EXIT.held : EXPERIMENT_EXIT.notHeld;
    } else {
      console.error(`[experiment] ${ended?.error ?? 'ended without a report'}`);
    }
  } catch (error) {
    // Refused before it ran: a request the check refused.
    console.error(`[experiment] ${(error as Error).message}`);
    code = EXPERIMENT_EXIT.badRequest;
  }
  experiments.dispose();
  runner.host.dispose();
  tabHost.dispose();
  core.dispose();
  app.exit(code);
}

// Any new webContents (a view, a devtools window) gets no webview tags and no new windows by default;
// the tab host then sets its own window-open handler (a new tab through the core).
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
app.on('window-all-closed', () => app.quit());

start().catch((error: unknown) => {
  console.error('[browser] could not start:', error);
  app.exit(1);
});
