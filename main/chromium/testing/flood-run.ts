/**
 * The flood run shared by `npm run bench:flood` (bench/flood.bench.ts) and flood.test.ts: on the real
 * Chromium (every tab its own renderer, messages over its CDP binding) and the real core, a quiet
 * phase (3 probe tabs beating every 50 ms with their own clock, the UI asking getState over a
 * MessagePort every 20 ms and its page a CDP round trip), then the same with one more tab posting heartbeats as fast as it can,
 * from once the browser listens to it (before that, only the 256-message pre-connect cap of
 * tab-page-channel.ts would meet it, never the message budget); the flood phase starts as it is
 * released. Measured: the UI's answer time, and each probe heartbeat's queueing (arrival minus the
 * page's send time, less that tab's quickest arrival in the quiet phase: the two clocks' offset).
 *
 * Why the budget must be small (measured here): every tab's binding calls reach the browser
 * process through Chromium's one DevTools pipe, and a page calls its binding far faster than
 * Chromium forwards (1,000-6,000 a second reached the core on this 2-core machine when loaded), so
 * the backlog builds up inside Chromium, where the browser process cannot reorder it: while it
 * drained, the browser process was busy for only 84 of 500 ms. With 10,000 at once and 2,000 a second
 * the flooder was ended after 1-2 s, or never when Chromium forwarded slower than the refill (the
 * CI failure), and the other tabs' heartbeats waited up to ~1 s behind it. With 100 at once the
 * flooder is caught at its 101st message; what it queued before that still drains (one stall of
 * 50-600 ms, up to 1.5 s with the machine loaded ~9x over its cores), then nothing.
 */
import path from 'node:path';
import type { BrowserEvent, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { Browser } from '../../core/browser.ts';
import { uiOverPort } from '../../core/testing/ui-over-port.ts';
import { systemClock } from '../../core/clock.ts';
import { bundleChildren } from '../child-bundles.ts';
import { launchChromium } from '../chromium-process.ts';
import { openPage } from '../open-page.ts';
import { procMetrics } from '../process-metrics.ts';
import { ChromiumTabHost } from '../tab-host.ts';
import { localhostTabUrls } from '../tab-urls.ts';
import { childProcessLauncher } from '../utility-launcher.ts';
import { serveProtocolPages } from './protocol-pages.ts';
import { waitUntil } from './processes.ts';

export const PROBES = 3;

const root = path.resolve(import.meta.dirname, '../../..');
const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;
export const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** One measure in each phase: quiet before, during the flood, quiet after (the flooder gone). */
export interface Phases {
  readonly quiet: number[];
  readonly flood: number[];
  readonly after: number[];
}

export interface FloodResult {
  /** The core's answer to the UI (getState over a MessagePort). */
  readonly ui: Phases;
  /**
   * A round trip to the UI page over CDP (Runtime.evaluate): its answer crosses the same DevTools
   * pipe as every tab's messages, as the Chromium shell's UI channel does.
   */
  readonly uiPage: Phases;
  readonly probes: Phases;
  readonly floodMessages: number;
  /** From the flood's release to its renderer gone, ms (undefined: never ended). */
  readonly floodLastedMs: number | undefined;
  /** The bad messages the flooding tab was reported for. */
  readonly floodReports: readonly BrowserEvent[];
  /** The flooding tab at the end. */
  readonly floodTab: TabInfo | undefined;
  /** The probe tabs at the end. */
  readonly probeTabs: (TabInfo | undefined)[];
}

/** A quiet phase, a flood phase, and a quiet one after (the flooder ended), in one browser. */
export async function runFlood({ quietMs, floodMs }: { quietMs: number; floodMs: number }): Promise<FloodResult> {
  const children = await bundleChildren(root);
  const pages = await serveProtocolPages();
  const chromium = await launchChromium();
  const ui = await openPage(chromium.connection, pages.uiUrl);
  const tabHost = await ChromiumTabHost.start({
    connection: chromium.connection,
    ui,
    urls: localhostTabUrls(pages.port),
  });
  const browser = new Browser({
    launcher: childProcessLauncher({ entries: children.entries, stdio: 'ignore' }),
    tabHost,
    clock: systemClock(),
    pid: process.pid,
    metrics: procMetrics(),
    sandbox: chromium.sandbox,
    gpuStandby: false,
    spareRenderer: false,
  });
  try {
    await browser.start();
    const uiClient = uiOverPort(browser);
    const probeIds = new Set<string>();
    for (let i = 0; i < PROBES; i++) {
      const { id } = await browser.tabs.open(`lab://live?probe=${i}`);
      probeIds.add(id);
      await waitUntil(() => browser.tabs.get(id)?.state === 'live', 20_000, `${id} live`);
    }
    // Raw delays per tab: arrival minus the page's send time (both µs since the epoch).
    const raw = new Map<string, number[]>();
    let floodMessages = 0;
    let floodId = '';
    browser.tabs.onDidHeartbeat(({ tabId, seq }) => {
      if (tabId === floodId) return void floodMessages++;
      // The fixture's own 250 ms beats count from 0; the probe's carry the page clock.
      if (!probeIds.has(tabId) || seq < 1e15) return;
      const delays = raw.get(tabId) ?? [];
      delays.push(nowMicros() - seq);
      raw.set(tabId, delays);
    });
    const phase = async (phaseMs: number) => {
      for (const delays of raw.values()) delays.length = 0;
      const times: number[] = [];
      const pageTimes: number[] = [];
      const end = performance.now() + phaseMs;
      while (performance.now() < end) {
        const start = performance.now();
        await uiClient.remote.getState({});
        times.push(performance.now() - start);
        const pageStart = performance.now();
        await ui.send('Runtime.evaluate', { expression: '0' });
        pageTimes.push(performance.now() - pageStart);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { ui: times, uiPage: pageTimes, probes: new Map([...raw].map(([id, delays]) => [id, [...delays]])) };
    };
    const quiet = await phase(quietMs);
    const offsets = new Map([...quiet.probes].map(([id, delays]) => [id, Math.min(...delays)]));
    const { id } = await browser.tabs.open('lab://cpu-heavy?flood=go');
    await new Promise<void>((resolve) => {
      const stop = browser.tabs.onDidFirstHeartbeat((tabId) => {
        if (tabId !== id) return;
        stop();
        resolve();
      });
    });
    let floodEndedAt: number | undefined;
    const stopWatching = browser.tabs.onDidRendererGone(({ tabId }) => {
      if (tabId === id) floodEndedAt = performance.now();
    });
    floodId = id;
    // Its ordinary heartbeats have been arriving: the core listens to it.
    const releasedAt = performance.now();
    pages.releaseFuzz('go');
    const flood = await phase(floodMs);
    stopWatching();
    const after = await phase(quietMs);
    const queueing = (probes: Map<string, number[]>) =>
      [...probes].flatMap(([tabId, delays]) => delays.map((delay) => (delay - offsets.get(tabId)!) / 1000));
    uiClient.close();
    return {
      ui: { quiet: quiet.ui, flood: flood.ui, after: after.ui },
      uiPage: { quiet: quiet.uiPage, flood: flood.uiPage, after: after.uiPage },
      probes: { quiet: queueing(quiet.probes), flood: queueing(flood.probes), after: queueing(after.probes) },
      floodMessages,
      floodLastedMs: floodEndedAt === undefined ? undefined : floodEndedAt - releasedAt,
      floodReports: browser.log
        .history()
        .filter((event) => event.type === 'bad-message' && event.processId === browser.tabs.get(id)?.rendererId),
      floodTab: browser.tabs.get(floodId),
      probeTabs: [...probeIds].map((probeId) => browser.tabs.get(probeId)),
    };
  } finally {
    browser.dispose();
    await chromium.close();
    await pages.close();
    children.remove();
  }
}

/**
 * Flood over quiet at quantile `q`, quiet being the worse of the phases before and after: on a
 * machine whose other load comes and goes, the flood phase is judged against the load around it.
 * 1 ms added to both sides (a sub-ms quiet figure is no ratio's base).
 */
export function ratio(measure: Phases, q: number): number {
  const quiet = Math.max(quantile(measure.quiet, q), quantile(measure.after, q));
  return (quantile(measure.flood, q) + 1) / (quiet + 1);
}

export function ratios(result: FloodResult) {
  return {
    uiP50: ratio(result.ui, 0.5),
    uiP90: ratio(result.ui, 0.9),
    uiPageP50: ratio(result.uiPage, 0.5),
    uiPageP90: ratio(result.uiPage, 0.9),
    probeP50: ratio(result.probes, 0.5),
    probeP90: ratio(result.probes, 0.9),
  };
}
