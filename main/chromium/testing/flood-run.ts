/**
 * The flood run shared by `npm run bench:flood` (bench/flood.bench.ts) and flood.test.ts: on the real
 * Chromium (every tab its own renderer, messages over its CDP binding) and the real core, a quiet
 * phase (3 probe tabs beating every 50 ms with their own clock, the UI asking getState over a
 * MessagePort every 20 ms), then the same with one more tab posting heartbeats as fast as it can.
 * Measured: the UI's answer time, and each probe heartbeat's queueing (arrival minus the page's send
 * time, less that tab's quickest arrival in the quiet phase: the two clocks' offset).
 */
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { BrowserUi, BrowserUiService } from '../../../protocol/interfaces/ui-browser.ts';
import { connect } from '../../../protocol/rpc/endpoint.ts';
import { nodeMessagePortTransport } from '../../../protocol/transport/node-port.ts';
import { Browser } from '../../core/browser.ts';
import { serveBrowserUi } from '../../core/browser-ui-service.ts';
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

export interface FloodResult {
  readonly ui: { readonly quiet: number[]; readonly flood: number[] };
  readonly probes: { readonly quiet: number[]; readonly flood: number[] };
  readonly floodMessages: number;
  /** The flooding tab at the end. */
  readonly floodTab: TabInfo | undefined;
  /** The probe tabs at the end. */
  readonly probeTabs: (TabInfo | undefined)[];
}

/** One quiet phase then one flood phase, in one browser. */
export async function runFlood(phaseMs: number): Promise<FloodResult> {
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
    const channel = new MessageChannel();
    serveBrowserUi(browser, nodeMessagePortTransport(channel.port2, { process: 'ui' }));
    const uiClient = connect({
      transport: nodeMessagePortTransport(channel.port1, { process: 'browser' }),
      self: { process: 'ui' },
      local: BrowserUi,
      handlers: {},
      remote: BrowserUiService,
      onBadMessage: () => {},
    });
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
    const phase = async () => {
      for (const delays of raw.values()) delays.length = 0;
      const times: number[] = [];
      const end = performance.now() + phaseMs;
      while (performance.now() < end) {
        const start = performance.now();
        await uiClient.remote.getState({});
        times.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { ui: times, probes: new Map([...raw].map(([id, delays]) => [id, [...delays]])) };
    };
    const quiet = await phase();
    const offsets = new Map([...quiet.probes].map(([id, delays]) => [id, Math.min(...delays)]));
    const { id } = await browser.tabs.open('lab://cpu-heavy?flood=1');
    floodId = id;
    const flood = await phase();
    const queueing = (probes: Map<string, number[]>) =>
      [...probes].flatMap(([tabId, delays]) => delays.map((delay) => (delay - offsets.get(tabId)!) / 1000));
    uiClient.close();
    return {
      ui: { quiet: quiet.ui, flood: flood.ui },
      probes: { quiet: queueing(quiet.probes), flood: queueing(flood.probes) },
      floodMessages,
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

/** Flood over quiet, 1 ms added to both sides. */
export function ratios(result: FloodResult) {
  return {
    uiP50: (quantile(result.ui.flood, 0.5) + 1) / (quantile(result.ui.quiet, 0.5) + 1),
    probeP50: (quantile(result.probes.flood, 0.5) + 1) / (quantile(result.probes.quiet, 0.5) + 1),
    probeP90: (quantile(result.probes.flood, 0.9) + 1) / (quantile(result.probes.quiet, 0.9) + 1),
  };
}
