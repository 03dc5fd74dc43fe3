/**
 * Entry of the Chromium shell: the browser process's core in plain Node, with the system Chromium
 * as the renderer-process factory (`npm run start:chromium`, or `npm start` where Electron cannot be
 * fetched). It serves the built UI and tab pages on loopback, starts the GPU process and the plugin
 * host as Node children, and shows the UI page in a Chromium window whose tabs are cross-site
 * iframes, each in its own renderer process.
 *
 *   --headless                    no window (default when there is no display)
 *   --remote-debugging-port=N     also expose CDP on port N, for your own Playwright experiments
 *   --process-per-site            Chrome's process-per-site model instead of a process per tab
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Browser } from '../core/browser.ts';
import { serveBrowserUi } from '../core/browser-ui-service.ts';
import { loopbackWebSocketBroker } from '../core/channel-broker.ts';
import { systemClock } from '../core/clock.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import { startAppServer } from './app-server.ts';
import { bundleChildren } from './child-bundles.ts';
import { builtEntries, childProcessLauncher } from './utility-launcher.ts';
import { launchChromium } from './chromium-process.ts';
import { ChromiumTabHost } from './tab-host.ts';
import { localhostTabUrls } from './tab-urls.ts';
import { procMetrics } from './process-metrics.ts';
import { openUiPage } from './ui-page.ts';

const root = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const debuggingPort = args.find((arg) => arg.startsWith('--remote-debugging-port='));
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const headless = args.includes('--headless') || noDisplay;

const uiRoot = path.join(root, 'dist/renderer');
const pagesRoot = path.join(root, 'dist/pages');
if (!existsSync(path.join(uiRoot, 'index.html'))) {
  console.error('The browser UI is not built: run `npm run build` first (npm run start:chromium does).');
  process.exit(1);
}
if (noDisplay && !args.includes('--headless')) {
  console.log('No display found: starting Chromium headless. Use xvfb-run for a window, or --remote-debugging-port=N to script it.');
}

// Built children when the build has them; otherwise bundle them now (a few hundred milliseconds).
const built = builtEntries(root);
const children = existsSync(built.gpu) && existsSync(built['plugin-host']) ? { entries: built, remove: () => {} } : await bundleChildren(root);

const server = await startAppServer({ uiRoot, pagesRoot });
const chromium = await launchChromium({
  headless,
  args: ['--window-size=1280,860', ...(debuggingPort ? [debuggingPort] : [])],
});

// UI documents that load before the core exists wait for it (their channel holds their messages).
const waiting: Transport[] = [];
let serveUi = (transport: Transport) => void waiting.push(transport);
const ui = await openUiPage(chromium.connection, server.uiUrl, (transport) => serveUi(transport));

const tabHost = await ChromiumTabHost.start({ connection: chromium.connection, ui: ui.session, urls: localhostTabUrls(server.port) });
const browser = new Browser({
  launcher: childProcessLauncher({ entries: children.entries }),
  tabHost,
  // Tabs reach the GPU process and plugin host over one-time loopback WebSockets the children grant.
  broker: loopbackWebSocketBroker,
  clock: systemClock(),
  pid: process.pid,
  // Chromium's processes' CPU from CDP (SystemInfo.getProcessInfo), the rest and all memory from /proc.
  metrics: procMetrics({ cdp: chromium.connection.root }),
  processModel: args.includes('--process-per-site') ? 'process-per-site' : 'process-per-tab',
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
    await chromium.close().catch(() => {});
    await server.close().catch(() => {});
    children.remove();
  }
  process.exit(code);
}
// Closing the window ends the app, as closing a browser does.
chromium.onDidExit(() => void shutdown(0));
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));
