/**
 * The spare renderer (main/core/spare-renderer.ts), measured side by side in one run: Chromium
 * shells started in-process as main/chromium/main.ts starts one (app server with the built UI and
 * pages, the real browser UI page, ChromiumTabHost, the Browser core with its GPU process and plugin
 * host), one Chromium each, differing only in the spare:
 *
 *   - `with`:    the spare on, the next one started once the tab that took it is live (the default);
 *   - `without`: `--lab-spare-renderer=off`, every tab's process started cold;
 *   - `at-once`: the spare on, the next one started as soon as a tab takes one, during its load
 *                (the policy not chosen: on 2 cores the new process competes with the tab's load).
 *
 * Round by round, in a rotating order (drift on a shared machine hits every arm alike), each arm
 * opens `lab://live` and times it to its first live tick (the page's first heartbeat reaching the
 * core, TabManager.onDidFirstHeartbeat), then closes it; then crashes a live tab and times its
 * reload to the first live tick. Before each trial the arm waits until it is idle: its spare ready
 * (where it keeps one) and 300 ms of quiet.
 *
 * Targets (issue 15): open with the spare at most 0.6x without (median of the rounds' ratios);
 * reload after a crash to the first live tick at most 250 ms p50.
 *
 *   node --import tsx bench/recovery/spare-renderer.ts [--rounds N] [--quick]
 *
 * Needs `npm run build` (the UI and the pages are served from dist/).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Browser } from '../../main/core/browser.ts';
import { serveBrowserUi } from '../../main/core/browser-ui-service.ts';
import { loopbackWebSocketBroker } from '../../main/core/channel-broker.ts';
import { systemClock } from '../../main/core/clock.ts';
import type { SpareRefill } from '../../main/core/spare-renderer.ts';
import { startAppServer } from '../../main/chromium/app-server.ts';
import { bundleChildren, type BundledChildren } from '../../main/chromium/child-bundles.ts';
import { launchChromium, type RunningChromium } from '../../main/chromium/chromium-process.ts';
import { ChromiumTabHost } from '../../main/chromium/tab-host.ts';
import { localhostTabUrls } from '../../main/chromium/tab-urls.ts';
import { openUiPage } from '../../main/chromium/ui-page.ts';
import { childProcessLauncher } from '../../main/chromium/utility-launcher.ts';

const root = path.resolve(import.meta.dirname, '../..');

export type SpareArm = 'with' | 'without' | 'at-once';
const ARMS: readonly SpareArm[] = ['with', 'without', 'at-once'];

export interface SpareRendererBenchOptions {
  /** Rounds of the alternation (each: one open and one crash-reload per arm). Default 15. */
  readonly rounds?: number;
  /** Print each trial as it lands. */
  readonly log?: (line: string) => void;
}

export interface Spread {
  readonly p50: number;
  readonly p10: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

export interface SpareRendererResult {
  readonly rounds: number;
  /** New tab to its first live tick, per arm, in ms (one per round). */
  readonly openMs: Readonly<Record<SpareArm, readonly number[]>>;
  /** Reload of a crashed tab to its first live tick, per arm, in ms. */
  readonly reloadAfterCrashMs: Readonly<Record<SpareArm, readonly number[]>>;
  /** Each round's open with / without, and their spread: the target is p50 <= 0.6. */
  readonly openRatio: Spread;
  /** Each round's open at-once / with: above 1 when starting the next spare during a load slows that load. */
  readonly atOnceRatio: Spread;
  /** Each round's reload after a crash, with / without. */
  readonly reloadRatio: Spread;
  /** How many of the `with` arm's opens took a spare (the rest found none ready and started cold). */
  readonly spareTaken: number;
}

interface App {
  readonly arm: SpareArm;
  readonly browser: Browser;
  readonly chromium: RunningChromium;
  close(): Promise<void>;
}

async function startApp(arm: SpareArm, entries: BundledChildren['entries']): Promise<App> {
  const server = await startAppServer({
    uiRoot: path.join(root, 'dist/renderer'),
    pagesRoot: path.join(root, 'dist/pages'),
  });
  const chromium = await launchChromium({ headless: true, args: ['--window-size=1280,860'] });
  let serveUi: (transport: Parameters<typeof serveBrowserUi>[1]) => void = () => {};
  let uiConnected: () => void = () => {};
  const firstUi = new Promise<void>((resolve) => (uiConnected = resolve));
  const ui = await openUiPage(chromium.connection, server.uiUrl, (transport) => serveUi(transport));
  const tabHost = await ChromiumTabHost.start({
    connection: chromium.connection,
    ui: ui.session,
    urls: localhostTabUrls(server.port),
  });
  const refill: SpareRefill = arm === 'at-once' ? 'at-once' : 'after-live';
  const browser = new Browser({
    launcher: childProcessLauncher({ entries, stdio: 'ignore' }),
    tabHost,
    broker: loopbackWebSocketBroker,
    clock: systemClock(),
    pid: process.pid,
    sandbox: chromium.sandbox,
    spareRenderer: arm !== 'without',
    spareRefill: refill,
  });
  serveUi = (transport) => {
    serveBrowserUi(browser, transport);
    uiConnected();
  };
  await browser.start();
  await Promise.race([firstUi, new Promise((resolve) => setTimeout(resolve, 5000))]);
  return {
    arm,
    browser,
    chromium,
    async close() {
      browser.dispose();
      tabHost.dispose();
      await chromium.close().catch(() => {});
      await server.close().catch(() => {});
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Waits until the app is idle: its spare ready, where it keeps one, then a moment of quiet. */
async function idle(app: App): Promise<void> {
  if (app.arm !== 'without') await until(() => app.browser.tabs.spare.current?.ready === true, `${app.arm}: spare`);
  await sleep(300);
}

/** Runs `act` and resolves with the ms from its start to `tabId()`'s page's first heartbeat. */
function toFirstHeartbeat(app: App, act: () => Promise<string>): Promise<number> {
  return new Promise((resolve, reject) => {
    let tabId: string | undefined;
    let beatAt: number | undefined;
    const timer = setTimeout(() => reject(new Error(`${app.arm}: no first heartbeat`)), 15_000);
    const stop = app.browser.tabs.onDidFirstHeartbeat((id) => {
      if (tabId === undefined || id === tabId) beatAt ??= performance.now();
      if (tabId !== undefined && beatAt !== undefined) finish();
    });
    const started = performance.now();
    const finish = () => {
      clearTimeout(timer);
      stop();
      resolve(beatAt! - started);
    };
    act().then((id) => {
      tabId = id;
      if (beatAt !== undefined) finish();
    }, reject);
  });
}

async function openTrial(app: App): Promise<{ ms: number; tookSpare: boolean; tabId: string }> {
  await idle(app);
  const spareBefore = app.browser.tabs.spare.current?.processId;
  let tabId = '';
  const ms = await toFirstHeartbeat(app, async () => {
    tabId = (await app.browser.tabs.open('lab://live')).id;
    return tabId;
  });
  const tookSpare = spareBefore !== undefined && app.browser.tabs.spare.current?.processId !== spareBefore;
  return { ms, tookSpare, tabId };
}

async function crashReloadTrial(app: App, tabId: string): Promise<number> {
  const { tabs } = app.browser;
  tabs.crash(tabId);
  await until(() => tabs.get(tabId)?.state === 'crashed', `${app.arm}: sad tab of ${JSON.stringify(tabs.get(tabId))}`);
  await idle(app);
  return toFirstHeartbeat(app, async () => {
    await tabs.reload(tabId);
    return tabId;
  });
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
  return { p50: at(0.5), p10: at(0.1), p90: at(0.9), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export async function measureSpareRenderer(options: SpareRendererBenchOptions = {}): Promise<SpareRendererResult> {
  const rounds = options.rounds ?? 15;
  const log = options.log ?? (() => {});
  if (
    !existsSync(path.join(root, 'dist/renderer/index.html')) ||
    !existsSync(path.join(root, 'dist/pages/live.html'))
  ) {
    throw new Error('The UI and pages are not built: run `npm run build` first.');
  }
  const children = await bundleChildren(root);
  const apps: App[] = [];
  try {
    for (const arm of ARMS) apps.push(await startApp(arm, children.entries));
    const openMs: Record<SpareArm, number[]> = { with: [], without: [], 'at-once': [] };
    const reloadMs: Record<SpareArm, number[]> = { with: [], without: [], 'at-once': [] };
    let spareTaken = 0;
    // A warm-up round per arm, not counted: first page loads of a fresh Chromium are slower.
    for (const app of apps) {
      const { tabId } = await openTrial(app);
      await app.browser.tabs.close(tabId);
    }
    for (let round = 0; round < rounds; round++) {
      const order = apps.map((_, index) => apps[(index + round) % apps.length]!);
      for (const app of order) {
        const open = await openTrial(app);
        if (app.arm === 'with' && open.tookSpare) spareTaken++;
        openMs[app.arm].push(open.ms);
        const reload = await crashReloadTrial(app, open.tabId);
        reloadMs[app.arm].push(reload);
        await app.browser.tabs.close(open.tabId);
        log(`round ${round + 1} ${app.arm}: open ${open.ms.toFixed(0)} ms, reload after crash ${reload.toFixed(0)} ms`);
      }
    }
    const ratios = (a: readonly number[], b: readonly number[]) => spread(a.map((value, index) => value / b[index]!));
    return {
      rounds,
      openMs,
      reloadAfterCrashMs: reloadMs,
      openRatio: ratios(openMs.with, openMs.without),
      atOnceRatio: ratios(openMs['at-once'], openMs.with),
      reloadRatio: ratios(reloadMs.with, reloadMs.without),
      spareTaken,
    };
  } finally {
    for (const app of apps) await app.close();
    children.remove();
  }
}

function report(result: SpareRendererResult): string {
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const x = (value: number) => `${value.toFixed(2)}x`;
  const row = (name: string, values: readonly number[]) => {
    const s = spread(values);
    return `| ${name} | ${ms(s.p50)} | ${ms(s.p10)} - ${ms(s.p90)} |`;
  };
  const ratio = (name: string, s: Spread, target: string) =>
    `| ${name} | ${x(s.p50)} | ${x(s.p10)} - ${x(s.p90)} | ${target} |`;
  const openOk = result.openRatio.p50 <= 0.6;
  const reloadP50 = spread(result.reloadAfterCrashMs.with).p50;
  return [
    `Spare renderer, ${result.rounds} rounds (each arm its own Chromium, rotating order); the spare was taken in ${result.spareTaken} of ${result.rounds} opens.`,
    '',
    '| to the first live tick | p50 | p10 - p90 |',
    '|---|---|---|',
    row('new tab, with the spare', result.openMs.with),
    row('new tab, without (--lab-spare-renderer=off)', result.openMs.without),
    row('new tab, spare refilled at once (during the load)', result.openMs['at-once']),
    row('reload after a crash, with the spare', result.reloadAfterCrashMs.with),
    row('reload after a crash, without', result.reloadAfterCrashMs.without),
    '',
    '| ratio (per round) | p50 | p10 - p90 | target |',
    '|---|---|---|---|',
    ratio('new tab: with / without', result.openRatio, `at most 0.6x: ${openOk ? 'met' : 'NOT met'}`),
    ratio('new tab: refilled at once / after live', result.atOnceRatio, 'above 1x: refilling during the load slows it'),
    ratio('reload after a crash: with / without', result.reloadRatio, ''),
    '',
    `Reload after a crash to the first live tick, with the spare: p50 ${ms(reloadP50)} (target at most 250 ms: ${reloadP50 <= 250 ? 'met' : 'NOT met'}).`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const roundsArg = args.indexOf('--rounds');
  const rounds = args.includes('--quick') ? 3 : roundsArg >= 0 ? Number(args[roundsArg + 1]) : 15;
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error('--rounds takes a whole number from 1');
    process.exit(2);
  }
  const result = await measureSpareRenderer({ rounds, log: (line) => console.log(line) });
  console.log(`\n${report(result)}`);
  process.exit(0);
}
