// Hostile children at scale, on real processes and their real channels: fuzzed messages (fast-check,
// protocol/rpc/testing/fuzz-messages.ts) sent by real tab pages through their CDP binding, by the
// real GPU process and by the real plugin host through their child-process IPC channel (their
// TEST-ONLY entries, which run the real main.ts and post a fuzzed batch besides). Each sender posts
// many cheap valid messages and then one malformed message, since the browser ends a sender at its
// first. Asserted: the browser process never throws (no uncaught exception or unhandled rejection);
// every malformed message is in the event log as a bad message with its sender and the reason the
// batch says; every fuzzing tab ends as bad-message; every fuzzing GPU process and plugin host is
// ended and restarted (the plugin host until its crash-loop limit, then by the user's Restart); and
// the UI's answer time (BrowserUiService.getState over a real MessagePort) during the run stays
// within a generous factor of the quiet run before it.
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { BrowserEvent } from '../../protocol/interfaces/browser-state.ts';
import { BAD_MESSAGE_REASONS } from '../../protocol/rpc/bad-message.ts';
import { childFuzzSeed, FUZZ_COUNT_ENV, FUZZ_SEED_ENV } from '../../protocol/rpc/testing/fuzz-child.ts';
import { fuzzBatch, fuzzTexts } from '../../protocol/rpc/testing/fuzz-messages.ts';
import { Browser } from '../core/browser.ts';
import { uiOverPort } from '../core/testing/ui-over-port.ts';
import { systemClock } from '../core/clock.ts';
import { GPU_PROCESS_ID } from '../core/gpu-process-host.ts';
import { PLUGIN_HOST_ID } from '../core/plugin-process-host.ts';
import type { LaunchedChild, UtilityKind } from '../core/ports.ts';
import { bundleNodeEntries } from './child-bundles.ts';
import { launchChromium, type RunningChromium } from './chromium-process.ts';
import { openPage } from './open-page.ts';
import { procMetrics } from './process-metrics.ts';
import { ChromiumTabHost } from './tab-host.ts';
import { localhostTabUrls } from './tab-urls.ts';
import { childProcessLauncher } from './utility-launcher.ts';
import { serveProtocolPages, type ProtocolPages } from './testing/protocol-pages.ts';
import { waitUntil } from './testing/processes.ts';

/** Messages per fuzzing sender: tabs, GPU processes, plugin hosts (see the counts in the test). */
const PER_TAB = 7_500;
const PER_CHILD = 10_000;
const FUZZ_TABS = 4;
const GPU_INSTANCES = 4;
/** The app restarts a plugin host when the user asks (the infobar's Restart): the test asks each time. */
const PLUGIN_INSTANCES = 3;
const SEED = 2026;
/** p50 of the UI's answer during the run against before: generous, for a loaded 2-core machine. */
const UI_SLOWDOWN_LIMIT = 20;

const root = path.resolve(import.meta.dirname, '../..');
const tabBatches = Array.from({ length: FUZZ_TABS }, (_, i) => fuzzBatch('tab', SEED * 100 + i, PER_TAB));

let pages: ProtocolPages;
let chromium: RunningChromium;
let fuzzEntries: { outdir: string; remove: () => void };
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  fuzzEntries = await bundleNodeEntries(root, 'lab-fuzz-children-', {
    'gpu-worker': path.join(root, 'gpu-worker/testing/fuzzing-gpu-process.ts'),
    'plugin-host': path.join(root, 'plugin-host/testing/fuzzing-plugin-host.ts'),
  });
  pages = await serveProtocolPages({
    fuzzTexts: new Map(tabBatches.map((batch, i) => [`tab-${i}`, fuzzTexts(batch)])),
  });
  chromium = await launchChromium();
});

afterAll(async () => {
  delete process.env[FUZZ_COUNT_ENV];
  delete process.env[FUZZ_SEED_ENV];
  await chromium?.close();
  await pages?.close();
  fuzzEntries?.remove();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

it(
  'takes 100,000 fuzzed messages from tabs, GPU processes and plugin hosts: every bad one reported and its sender ended, the UI answering',
  { timeout: 120_000 },
  async () => {
    const launched: { kind: UtilityKind; pid: number | undefined; fuzzing: boolean }[] = [];
    const real = childProcessLauncher({
      entries: {
        gpu: path.join(fuzzEntries.outdir, 'gpu-worker.mjs'),
        'plugin-host': path.join(fuzzEntries.outdir, 'plugin-host.mjs'),
        // Not fuzzed here: the lab host as every test bundles it.
        'lab-host': inject('childEntries')['lab-host'],
      },
      stdio: 'ignore',
    });
    const ui = await openPage(chromium.connection, pages.uiUrl);
    const tabHost = await ChromiumTabHost.start({
      connection: chromium.connection,
      ui,
      urls: localhostTabUrls(pages.port),
    });
    const browser = new Browser({
      launcher: {
        launch(kind): LaunchedChild {
          const child = real.launch(kind);
          launched.push({ kind, pid: child.pid, fuzzing: process.env[FUZZ_COUNT_ENV] !== undefined });
          return child;
        },
      },
      tabHost,
      clock: systemClock(),
      pid: process.pid,
      metrics: procMetrics(),
      sandbox: chromium.sandbox,
      gpuStandby: false,
      spareRenderer: false,
      // A fuzzing tab sends its whole batch at once, far over what an honest page may
      // (TAB_MESSAGE_BUDGET, whose FLOOD flood.test.ts proves): let it reach the checks under test.
      tabMessageBudget: { burst: PER_TAB + 1, perSecond: PER_TAB },
      // Every GPU crash forgiven at once: each fuzzing GPU process is restarted, never software compositing.
      gpuCrashWindowMs: 1,
    });
    await browser.start();
    try {
      // The UI, as the UI page reaches the core: BrowserUiService over a real MessagePort.
      const uiClient = uiOverPort(browser, {
        onBadMessage: (report) => uncaught.push(new Error(`bad message to the UI: ${report.reason}`)),
      });
      const answerTimes = async (until: () => boolean, minSamples: number) => {
        const times: number[] = [];
        while (times.length < minSamples || !until()) {
          const start = performance.now();
          await uiClient.remote.getState({});
          times.push(performance.now() - start);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return times;
      };

      // Quiet: three tabs beating, the children quiet.
      for (let i = 0; i < 3; i++) {
        const { id } = await browser.tabs.open('lab://live');
        await waitUntil(() => browser.tabs.get(id)?.state === 'live', 10_000, `${id} live`);
      }
      const before = await answerTimes(() => true, 50);

      // Hostile: children started from now on fuzz; the running ones are ended to start fuzzing ones.
      process.env[FUZZ_COUNT_ENV] = String(PER_CHILD);
      process.env[FUZZ_SEED_ENV] = String(SEED);
      const badFrom = (processId: string) =>
        browser.log
          .history()
          .filter(
            (event): event is Extract<BrowserEvent, { type: 'bad-message' }> =>
              event.type === 'bad-message' && event.processId === processId,
          );
      const fuzzTabs: { id: string; rendererId: string }[] = [];
      const hostile = (async () => {
        browser.endProcess(GPU_PROCESS_ID);
        browser.endProcess(PLUGIN_HOST_ID);
        // A plugin host waits for the user's Restart after it ends (plugin-process-host.ts): asked
        // for each fuzzing one, as the infobar's button does, once the previous one is gone.
        const pluginHosts = (async () => {
          for (let n = 0; n < PLUGIN_INSTANCES; n++) {
            await waitUntil(() => !browser.plugins.running, 20_000, 'the plugin host ended');
            await browser.plugins.start().catch(() => {}); // it may die as it becomes ready: that is the point
            await waitUntil(() => badFrom(PLUGIN_HOST_ID).length > n, 20_000, `plugin host #${n} reported`);
          }
        })();
        for (let i = 0; i < FUZZ_TABS; i++) {
          const { id, rendererId } = await browser.tabs.open(`lab://bad-message?fuzz=tab-${i}`);
          fuzzTabs.push({ id, rendererId });
          // Its first heartbeat came: the browser listens on its channel, the texts may go.
          await waitUntil(() => browser.tabs.get(id)?.state === 'live', 20_000, `${id} live`);
          pages.releaseFuzz(`tab-${i}`);
        }
        const progress = () =>
          `tabs ${fuzzTabs.map(({ id }) => browser.tabs.get(id)?.state).join(',')}, gpu ${badFrom(GPU_PROCESS_ID).length}, plugin host ${badFrom(PLUGIN_HOST_ID).length}, launched ${JSON.stringify(launched)}`;
        await waitUntil(
          () =>
            fuzzTabs.every(({ id }) => browser.tabs.get(id)?.state === 'crashed') &&
            badFrom(GPU_PROCESS_ID).length >= GPU_INSTANCES &&
            badFrom(PLUGIN_HOST_ID).length >= PLUGIN_INSTANCES,
          60_000,
          'every fuzzing sender ended',
        ).catch((error: unknown) => {
          throw new Error(`${(error as Error).message}: ${progress()}`);
        });
        await pluginHosts;
        // Quiet children again; the plugin host, crash-looping now, back by the user's Restart.
        delete process.env[FUZZ_COUNT_ENV];
        delete process.env[FUZZ_SEED_ENV];
      })();
      let hostileDone = false;
      void hostile.finally(() => (hostileDone = true)).catch(() => {});
      const during = await answerTimes(() => hostileDone, 50);
      await hostile;
      await browser.plugins.start();
      await waitUntil(() => browser.gpu.pid !== undefined, 20_000, 'a quiet GPU process running');

      // Tabs: each ended as bad-message, its one malformed message reported with its reason.
      for (const [i, { id, rendererId }] of fuzzTabs.entries()) {
        expect(browser.tabs.get(id)?.crash).toMatchObject({ reason: 'bad-message' });
        const reports = badFrom(rendererId);
        expect(reports.map((report) => report.code)).toEqual([tabBatches[i]!.malformed.reason]);
      }
      // GPU processes and plugin hosts: each fuzzing one's malformed message reported, in launch order.
      for (const [kind, processId, instances] of [
        ['gpu', GPU_PROCESS_ID, GPU_INSTANCES],
        ['plugin-host', PLUGIN_HOST_ID, PLUGIN_INSTANCES],
      ] as const) {
        const fuzzers = launched.filter((child) => child.kind === kind && child.fuzzing);
        const reports = badFrom(processId);
        expect(reports.length).toBeGreaterThanOrEqual(instances);
        expect(fuzzers.length).toBeGreaterThanOrEqual(reports.length);
        reports.forEach((report, n) => {
          const expected = fuzzBatch('utility', childFuzzSeed(SEED, fuzzers[n]!.pid!), PER_CHILD).malformed.reason;
          expect(report.code, `${kind} #${n} (pid ${fuzzers[n]!.pid})`).toBe(expected);
        });
        // Each was ended as bad-message and a new one started after it.
        const exits = browser.log
          .history()
          .filter(
            (event) =>
              event.type === 'process-exited' &&
              event.process.id === processId &&
              event.process.exitReason === 'bad-message',
          );
        expect(exits.length).toBe(reports.length);
        expect(launched.filter((child) => child.kind === kind).length).toBeGreaterThan(reports.length);
      }
      expect(browser.log.count('bad-message')).toBe(
        FUZZ_TABS + badFrom(GPU_PROCESS_ID).length + badFrom(PLUGIN_HOST_ID).length,
      );
      for (const report of browser.log.history().filter((event) => event.type === 'bad-message'))
        expect(BAD_MESSAGE_REASONS).toContain((report as { code: string }).code);

      const sent = FUZZ_TABS * PER_TAB + (badFrom(GPU_PROCESS_ID).length + badFrom(PLUGIN_HOST_ID).length) * PER_CHILD;
      expect(sent).toBeGreaterThanOrEqual(100_000);
      expect(uncaught).toEqual([]);
      const [p50Before, p50During] = [median(before), median(during)];
      console.log(
        `[hostile] ${sent} messages; UI answer p50 before ${p50Before.toFixed(2)} ms, during ${p50During.toFixed(2)} ms (${during.length} samples), ratio ${(p50During / p50Before).toFixed(1)}`,
      );
      expect(p50During).toBeLessThan(UI_SLOWDOWN_LIMIT * p50Before);
      uiClient.close();
    } finally {
      browser.dispose();
    }
  },
);
