/**
 * Scenarios where a tab's renderer ends: crash (Page.crash / forcefullyCrashRenderer), kill
 * (SIGKILL from outside), bad message (the page sends a malformed message and the browser ends it),
 * and same-site (one crash under process-per-tab vs process-per-site). One trial: inject, the shell
 * sees the end (observed), the core records it (coreKnew), the UI paints the sad tab (uiPainted),
 * reload (reloadAsked), the new renderer's first heartbeat (firstTick).
 */
import type { ExitReason } from '../../../protocol/interfaces/browser-state.ts';
import type { Browser } from '../browser.ts';
import type { TabRendererGone } from '../tabs.ts';
import { reloadUntilTick } from './recovery.ts';
import { latency, type Scenario, type TrialContext, type TrialOutcome } from './scenario.ts';
import { expectEvent } from './waiting.ts';

export const END_TIMEOUT_MS = 5000;
/**
 * A bad message comes from the page once it has loaded: its end waits for a navigation first, which
 * on a loaded machine alone has taken 5 s (a 600-fault soak under load).
 */
export const BAD_MESSAGE_END_TIMEOUT_MS = 15_000;
export const PAINT_TIMEOUT_MS = 3000;

const RENDERER_END_LATENCIES = [
  latency(
    'fault-to-observed',
    'injected',
    'observed',
    'Fault injected to the shell seeing the renderer end (CDP Target.targetCrashed / render-process-gone).',
  ),
  latency(
    'observed-to-core',
    'observed',
    'coreKnew',
    'The shell seeing the end to the core recording it (state crashed, sad tab report).',
  ),
  latency('fault-to-sad-tab', 'injected', 'uiPainted', 'Fault injected to the UI page having painted the sad tab.'),
  latency('reload-to-first-tick', 'reloadAsked', 'firstTick', "Reload asked to the new renderer's first heartbeat."),
  latency(
    'fault-to-first-tick',
    'injected',
    'firstTick',
    'Fault injected to the tab live again (the whole recovery, reload asked at once).',
  ),
];

function targetRenderer(browser: Browser, target: string, processId: string): boolean {
  return browser.tabs.get(target)?.rendererId === processId;
}

interface RendererEndOptions {
  readonly inject: (context: TrialContext) => void | Promise<void>;
  /** What the control arm does instead (default: nothing). */
  readonly control?: (context: TrialContext) => void | Promise<void>;
  readonly expected: ExitReason;
  /** Load this URL to recover instead of reloading (a page that would fault again on reload). */
  readonly recoverUrl?: string;
  /** How long the end may take to be reported after `inject` returned (default END_TIMEOUT_MS). */
  readonly endTimeoutMs?: number;
}

/** One renderer-end trial; the tabs of the run that ended with the target are returned for same-site. */
export async function rendererEndTrial(
  context: TrialContext,
  options: RendererEndOptions,
): Promise<TrialOutcome & { tabsEnded: number }> {
  const { browser, clock, trial, target, tabs, fault } = context;
  const ended = new Set<string>();
  const stopCounting = browser.tabs.onDidRendererGone((gone) => {
    if (tabs.includes(gone.tabId)) ended.add(gone.tabId);
  });
  const gone = expectEvent<TabRendererGone>(clock, browser.tabs.onDidRendererGone, (end) => end.tabId === target);
  const painted = expectEvent(
    clock,
    browser.onDidPaintUi,
    (paint) => paint.tabId === target && paint.what === 'sad-tab',
  );
  let detectedAndNamed = false;
  try {
    trial.mark('injected');
    if (fault) await options.inject(context);
    else await options.control?.(context);
    if (fault) {
      const endTimeoutMs = options.endTimeoutMs ?? END_TIMEOUT_MS;
      const end = await gone.next(endTimeoutMs);
      if (!end) {
        trial.fail(`the renderer's end was not reported within ${endTimeoutMs} ms`);
      } else {
        if (end.observedAt !== undefined) trial.mark('observed', end.observedAt);
        else trial.note('the shell gave no observation time');
        trial.mark('coreKnew', end.at);
        trial.setExit(end.reason, end.code);
        detectedAndNamed = end.reason === options.expected;
        if (!detectedAndNamed) trial.fail(`the end was named ${end.reason}, expected ${options.expected}`);
        const paint = await painted.next(PAINT_TIMEOUT_MS);
        if (paint) trial.mark('uiPainted', paint.at);
        else trial.fail(`the UI did not report painting the sad tab within ${PAINT_TIMEOUT_MS} ms`);
      }
    }
    const recovered = await reloadUntilTick(context, options.recoverUrl);
    return { detectedAndNamed: fault ? detectedAndNamed : true, recovered, tabsEnded: ended.size };
  } finally {
    stopCounting();
    gone.dispose();
    painted.dispose();
  }
}

export const tabCrash: Scenario = {
  name: 'tab-crash',
  hypothesis:
    "When one tab's renderer crashes, the browser names it crashed, paints the sad tab, the other tabs keep ticking, no other process ends, and a reload brings the tab back in a new renderer.",
  latencies: RENDERER_END_LATENCIES,
  expectedToEnd: targetRenderer,
  run: (context) =>
    rendererEndTrial(context, { inject: ({ browser, target }) => browser.tabs.crash(target), expected: 'crashed' }),
};

export const tabKill: Scenario = {
  name: 'tab-kill',
  hypothesis:
    "When one tab's renderer is killed from outside (SIGKILL), the browser names it killed, paints the sad tab, the other tabs keep ticking, no other process ends, and a reload brings the tab back.",
  latencies: RENDERER_END_LATENCIES,
  expectedToEnd: targetRenderer,
  run: (context) =>
    rendererEndTrial(context, { inject: ({ browser, target }) => browser.tabs.kill(target), expected: 'killed' }),
};

/** The page sends the malformed message by itself once loaded (renderer/pages/bad-message.ts). */
export const BAD_MESSAGE_URL = 'lab://bad-message?send=1';

export const badMessage: Scenario = {
  name: 'bad-message',
  hypothesis:
    'When a tab sends a malformed message, the browser ends its renderer as bad-message (and nothing else), paints the sad tab, and the tab comes back on a good page.',
  latencies: [
    latency(
      'fault-to-observed',
      'injected',
      'observed',
      'Navigating to the page that sends a malformed message (its load included) to the shell seeing its renderer end.',
    ),
    ...RENDERER_END_LATENCIES.slice(1),
  ],
  expectedToEnd: targetRenderer,
  run: (context) =>
    rendererEndTrial(context, {
      inject: ({ browser, target }) => browser.tabs.navigate(target, BAD_MESSAGE_URL),
      endTimeoutMs: BAD_MESSAGE_END_TIMEOUT_MS,
      control: ({ browser, target }) => browser.tabs.navigate(target, 'lab://bad-message'),
      expected: 'bad-message',
      recoverUrl: 'lab://live',
    }),
};

export const sameSite: Scenario = {
  name: 'same-site',
  minTabs: 2,
  hypothesis:
    'Tabs of one site, one crashes: under process-per-tab only that tab is lost; under process-per-site every tab of the site shares its renderer and is lost with it (Chrome\u2019s trade-off of memory against blast radius).',
  latencies: RENDERER_END_LATENCIES,
  expectedToEnd: targetRenderer,
  async run(context) {
    const outcome = await rendererEndTrial(context, {
      inject: ({ browser, target }) => browser.tabs.crash(target),
      expected: 'crashed',
    });
    if (!context.fault) return outcome;
    const perSite = context.browser.tabs.processModel === 'process-per-site';
    const expectedLost = perSite ? context.tabs.length : 1;
    context.trial.note(
      `${outcome.tabsEnded} of ${context.tabs.length} tabs lost (${context.browser.tabs.processModel})`,
    );
    if (outcome.tabsEnded !== expectedLost)
      context.trial.fail(
        `${outcome.tabsEnded} tabs lost, expected ${expectedLost} under ${context.browser.tabs.processModel}`,
      );
    return outcome;
  },
};
