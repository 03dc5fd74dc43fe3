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
 *   --lab-spare-renderer=off      no spare renderer: every tab's process starts cold
 *   --no-sandbox                  run Chromium without its OS sandbox (it is on wherever it can work)
 *   --browser-user=NAME           when root: run Chromium as the ordinary user NAME, sandbox on
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Browser } from '../core/browser.ts';
import { serveBrowserUi } from '../core/browser-ui-service.ts';
import { loopbackWebSocketBroker } from '../core/channel-broker.ts';
import { systemClock } from '../core/clock.ts';
import { processModelFromSwitch, PROCESS_MODEL_SWITCH, switchValue } from '../core/process-model-switch.ts';
import { spareRendererFromSwitch, SPARE_RENDERER_SWITCH } from '../core/spare-renderer-switch.ts';
import type { ProcessModel } from '../../protocol/interfaces/browser-state.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import { findBrowser } from '../node/find-browser.ts';
import { startAppServer } from './app-server.ts';
import { bundleChildren } from './child-bundles.ts';
import { builtEntries, childProcessLauncher } from './utility-launcher.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox, REASON_ROOT, sandboxSummary } from '../node/sandbox.ts';
import { lookUpBrowserUser } from './browser-user.ts';
import { launchChromium, type BrowserUser } from './chromium-process.ts';
import { ChromiumTabHost } from './tab-host.ts';
import { localhostTabUrls } from './tab-urls.ts';
import { procMetrics } from './process-metrics.ts';
import { openUiPage } from './ui-page.ts';

const root = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const debuggingPort = args.find((arg) => arg.startsWith('--remote-debugging-port='));
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const headless = args.includes('--headless') || noDisplay;
let processModel: ProcessModel;
let spareRenderer: boolean;
try {
  spareRenderer = spareRendererFromSwitch(switchValue(args, SPARE_RENDERER_SWITCH));
  if (args.includes('--process-per-site'))
    throw new Error(`--process-per-site is Chromium's own switch: use --${PROCESS_MODEL_SWITCH}=per-site`);
  processModel = processModelFromSwitch(switchValue(args, PROCESS_MODEL_SWITCH));
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
const pagesRoot = path.join(root, 'dist/pages');
if (!existsSync(path.join(uiRoot, 'index.html'))) {
  console.error('The browser UI is not built: run `npm run build` first (npm run start:chromium does).');
  process.exit(1);
}
if (noDisplay && !args.includes('--headless')) {
  console.log(
    'No display found: starting Chromium headless. Use xvfb-run for a window, or --remote-debugging-port=N to script it.',
  );
}

// Built children when the build has them; otherwise bundle them now (a few hundred milliseconds).
const built = builtEntries(root);
const children =
  existsSync(built.gpu) && existsSync(built['plugin-host'])
    ? { entries: built, remove: () => {} }
    : await bundleChildren(root);

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

const server = await startAppServer({ uiRoot, pagesRoot });
const chromium = await launchChromium({
  executablePath,
  sandbox,
  ...(browserUser ? { user: browserUser } : {}),
  headless,
  args: ['--window-size=1280,860', ...(debuggingPort ? [debuggingPort] : [])],
});

// UI documents that load before the core exists wait for it (their channel holds their messages).
const waiting: Transport[] = [];
let serveUi = (transport: Transport) => void waiting.push(transport);
const ui = await openUiPage(chromium.connection, server.uiUrl, (transport) => serveUi(transport));

const tabHost = await ChromiumTabHost.start({
  connection: chromium.connection,
  ui: ui.session,
  urls: localhostTabUrls(server.port),
});
const browser = new Browser({
  launcher: childProcessLauncher({ entries: children.entries }),
  tabHost,
  // Tabs reach the GPU process and plugin host over one-time loopback WebSockets the children grant.
  broker: loopbackWebSocketBroker,
  clock: systemClock(),
  pid: process.pid,
  // Chromium's processes' CPU from CDP (SystemInfo.getProcessInfo), the rest and all memory from /proc.
  metrics: procMetrics({ cdp: chromium.connection.root }),
  processModel,
  sandbox,
  spareRenderer,
});
// The first tab opens once the UI has connected: its page has rendered the tab container by then.
let uiConnected: () => void = () => {};
const firstUi = new Promise<void>((resolve) => (uiConnected = resolve));
serveUi = (transport) => {
  serveBrowserUi(browser, transport);
  uiConnected();
};
for (const transport of waiting.splice(0)) serveUi(transport);
await browser.start();
await Promise.race([firstUi, new Promise((resolve) => setTimeout(resolve, 5000))]);
await browser.tabs.open('lab://live');

console.log(`Browser Process Lab (Chromium shell) is running${headless ? ', headless' : ''}.`);
console.log(`  browser UI: ${server.uiUrl}`);
if (debuggingPort) console.log(`  CDP: http://127.0.0.1:${debuggingPort.split('=')[1]} (chromium.connectOverCDP)`);

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    browser.dispose();
    // Shutting down all the same: say what failed to close rather than hide it.
    await chromium.close().catch((error: unknown) => console.error('[chromium] closing Chromium failed:', error));
    await server.close().catch((error: unknown) => console.error('[chromium] closing the app server failed:', error));
    children.remove();
  }
  process.exit(code);
}
// Closing the window ends the app, as closing a browser does.
chromium.onDidExit(() => void shutdown(0));
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));
