/**
 * Faults of the browser's utility children: the GPU process crashes (it restarts and frames come
 * again: gpuRestarted, nextFrame as bench:processes measures it), crashes until the browser falls
 * back to software compositing, and the plugin host crashes (pages keep running; it is restarted).
 */
import type { BrowserEvent } from '../../../protocol/interfaces/browser-state.ts';
import type { Browser } from '../browser.ts';
import type { Clock } from '../clock.ts';
import { GPU_PROCESS_ID } from '../gpu-process-host.ts';
import { PLUGIN_HOST_ID } from '../plugin-process-host.ts';
import { latency, type Scenario, type TrialContext } from './scenario.ts';
import { expectEvent, type Subscribe } from './waiting.ts';
import { FRAME_PROBE_CLIENT } from './experiment-host.ts';

const EXIT_TIMEOUT_MS = 5000;
const RESTART_TIMEOUT_MS = 15_000;
/** Chrome falls back after 3 crashes; a few more tries before the trial says it never did. */
const FALLBACK_MAX_CRASHES = 6;

function stampedLog(browser: Browser, clock: Clock): Subscribe<{ event: BrowserEvent; at: number }> {
  return (listener) => browser.log.onDidRecord((event) => listener({ event, at: clock.now() }));
}

function exitOf(browser: Browser, clock: Clock, processId: string) {
  return expectEvent(
    clock,
    stampedLog(browser, clock),
    ({ event }) => event.type === 'process-exited' && event.process.id === processId,
  );
}

/** A frame through the GPU process on a new channel (bench:processes' "next frame"); marks nextFrame. */
async function drawNextFrame({ browser, host, trial }: TrialContext): Promise<boolean> {
  try {
    const grant = await browser.gpu.establishChannel(FRAME_PROBE_CLIENT);
    if (grant.mode !== 'hardware') {
      trial.note('software compositing: no GPU frame to draw');
      return browser.gpu.mode === 'software';
    }
    await host.drawFrame(grant.channel);
    trial.mark('nextFrame');
    return true;
  } catch (error) {
    trial.fail(`no frame after the fault: ${(error as Error).message}`);
    return false;
  } finally {
    browser.gpu.closeChannel(FRAME_PROBE_CLIENT);
  }
}

/** Waits for the process-exited record; marks observed and coreKnew (one moment: the launcher's exit is recorded as it arrives). */
async function awaitExit(
  context: TrialContext,
  exit: ReturnType<typeof exitOf>,
  expected: readonly string[],
): Promise<boolean> {
  const record = await exit.next(EXIT_TIMEOUT_MS);
  if (!record || record.event.type !== 'process-exited') {
    context.trial.fail(`the process's end was not recorded within ${EXIT_TIMEOUT_MS} ms`);
    return false;
  }
  const { process } = record.event;
  context.trial.mark('observed', record.at);
  context.trial.mark('coreKnew', record.at);
  context.trial.setExit(
    process.exitReason ?? 'crashed',
    process.exitSignal ?? (process.exitCode === undefined ? undefined : String(process.exitCode)),
  );
  if (!process.exitReason || !expected.includes(process.exitReason)) {
    context.trial.fail(`the end was named ${process.exitReason}, expected ${expected.join(' or ')}`);
    return false;
  }
  return true;
}

export const gpuCrash: Scenario = {
  name: 'gpu-crash',
  hypothesis:
    'When the GPU process crashes, the browser restarts it at once, a new channel draws the next frame, the tabs keep ticking and nothing else ends.',
  latencies: [
    latency(
      'fault-to-detected',
      'injected',
      'coreKnew',
      "chrome://gpucrash to the browser recording the GPU process's end.",
    ),
    latency('fault-to-restarted', 'injected', 'gpuRestarted', 'chrome://gpucrash to a new GPU process ready.'),
    latency(
      'fault-to-next-frame',
      'injected',
      'nextFrame',
      'chrome://gpucrash to the next frame rasterized on a new channel (bench:processes\u2019 "GPU crash to the next frame").',
    ),
  ],
  expectedToEnd: (_browser, _target, processId) => processId === GPU_PROCESS_ID,
  async run(context) {
    const { browser, clock, trial, fault } = context;
    if (fault && browser.gpu.mode === 'software') {
      trial.fail('the browser is in software compositing already: no GPU process to crash');
      return { detectedAndNamed: false, recovered: false };
    }
    const exit = exitOf(browser, clock, GPU_PROCESS_ID);
    const ready = expectEvent(clock, browser.gpu.onDidBecomeReady, () => true);
    try {
      trial.mark('injected');
      let detectedAndNamed = true;
      if (fault) {
        browser.gpu.crash();
        detectedAndNamed = await awaitExit(context, exit, ['crashed', 'abnormal-exit', 'killed']);
        const restarted = await ready.next(RESTART_TIMEOUT_MS);
        if (restarted) trial.mark('gpuRestarted');
        else trial.fail(`the GPU process was not ready again within ${RESTART_TIMEOUT_MS} ms`);
      }
      const recovered = await drawNextFrame(context);
      return { detectedAndNamed, recovered };
    } finally {
      exit.dispose();
      ready.dispose();
    }
  },
};

export const gpuFallback: Scenario = {
  name: 'gpu-fallback',
  maxTrials: 1,
  hypothesis:
    'When the GPU process crashes three times within the window, the browser falls back to software compositing (Chrome\u2019s kGpuFallbackCrashCount) and the tabs keep ticking; software compositing is for the rest of the browser\u2019s life, so one trial per browser.',
  latencies: [
    latency(
      'first-crash-to-fallback',
      'injected',
      'coreKnew',
      'The first crash to the browser switching to software compositing.',
    ),
    latency(
      'first-crash-to-detected',
      'injected',
      'observed',
      "The first crash to the browser recording the GPU process's end.",
    ),
  ],
  expectedToEnd: (_browser, _target, processId) => processId === GPU_PROCESS_ID,
  async run(context) {
    const { browser, clock, trial, fault } = context;
    // Read afresh each time: a crash changes it meanwhile.
    const software = () => browser.gpu.mode === 'software';
    trial.mark('injected');
    if (!fault) return { detectedAndNamed: true, recovered: await drawNextFrame(context) };
    const fellBack = expectEvent(
      clock,
      stampedLog(browser, clock),
      ({ event }) => event.type === 'gpu-mode-changed' && event.mode === 'software',
    );
    try {
      for (let crashes = 0; crashes < FALLBACK_MAX_CRASHES && !software(); crashes++) {
        const exit = exitOf(browser, clock, GPU_PROCESS_ID);
        const ready = expectEvent(clock, browser.gpu.onDidBecomeReady, () => true);
        browser.gpu.crash();
        const record = await exit.next(EXIT_TIMEOUT_MS);
        exit.dispose();
        if (record) trial.mark('observed', record.at);
        if (software()) {
          ready.dispose();
          break;
        }
        const restarted = await ready.next(RESTART_TIMEOUT_MS);
        ready.dispose();
        if (restarted) trial.mark('gpuRestarted');
      }
      const fell = await fellBack.next(EXIT_TIMEOUT_MS);
      if (!fell) {
        trial.fail(`no fallback to software compositing after ${FALLBACK_MAX_CRASHES} crashes`);
        return { detectedAndNamed: false, recovered: false };
      }
      trial.mark('coreKnew', fell.at);
      trial.setExit('crashed', undefined);
      return { detectedAndNamed: true, recovered: software() };
    } finally {
      fellBack.dispose();
    }
  },
};

export const pluginCrash: Scenario = {
  name: 'plugin-crash',
  hypothesis:
    'When the plugin host crashes, the browser records it, the pages keep running (every tab ticking), nothing else ends, and the host restarts.',
  latencies: [
    latency('fault-to-detected', 'injected', 'coreKnew', 'The plugin host killed to the browser recording its end.'),
    latency(
      'fault-to-restarted',
      'injected',
      'ended',
      'The plugin host killed to a new one ready (the browser restarts it, as the user\u2019s Restart).',
    ),
  ],
  expectedToEnd: (_browser, _target, processId) => processId === PLUGIN_HOST_ID,
  async run(context) {
    const { browser, clock, trial, fault } = context;
    const exit = exitOf(browser, clock, PLUGIN_HOST_ID);
    try {
      trial.mark('injected');
      let detectedAndNamed = true;
      if (fault) {
        if (!browser.plugins.running) await browser.plugins.start();
        browser.plugins.kill();
        detectedAndNamed = await awaitExit(context, exit, ['killed']);
      }
      try {
        await browser.plugins.start();
        trial.mark('ended');
        return { detectedAndNamed, recovered: browser.plugins.running };
      } catch (error) {
        trial.fail(`the plugin host did not restart: ${(error as Error).message}`);
        return { detectedAndNamed, recovered: false };
      }
    } finally {
      exit.dispose();
    }
  },
};
