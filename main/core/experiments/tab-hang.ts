/**
 * A tab's main thread spins (chrome://hang): the heartbeat watchdog flags it (hangDetected), the UI
 * paints "Page unresponsive" (uiPainted), Stop ends the script (stopAsked, stopped) and the page
 * keeps its state: the same renderer, its heartbeat sequence carrying on.
 */
import type { BrowserEvent } from '../../../protocol/interfaces/browser-state.ts';
import { latency, type Scenario } from './scenario.ts';
import { expectEvent, type Subscribe } from './waiting.ts';
import { PAINT_TIMEOUT_MS } from './renderer-end.ts';

/** How long past the hang threshold detection may take before the trial says it was missed. */
export const HANG_DETECTION_SLACK_MS = 3000;
const RESUME_TIMEOUT_MS = 5000;

export const tabHang: Scenario = {
  name: 'tab-hang',
  hypothesis:
    "When a tab's page spins, the watchdog flags it unresponsive within the threshold, the UI shows the dialog, the other tabs keep ticking, and Stop ends the script without ending the renderer: the page keeps its state.",
  latencies: [
    latency(
      'hang-to-detected',
      'injected',
      'hangDetected',
      'Hang injected to the watchdog flagging the tab unresponsive (the threshold included).',
    ),
    latency(
      'detected-to-dialog',
      'hangDetected',
      'uiPainted',
      'Flagged unresponsive to the UI page having painted the dialog.',
    ),
    latency(
      'stop-to-stopped',
      'stopAsked',
      'stopped',
      "Stop asked to the script ended (the shell's Runtime.terminateExecution answered).",
    ),
    latency(
      'stop-to-tick',
      'stopAsked',
      'firstTick',
      "Stop asked to the page's next heartbeat (the page running again).",
    ),
  ],
  expectedToEnd: () => false,
  async run({ browser, clock, trial, target, fault, heartbeats }) {
    const heartbeatsBefore = (tabId: string) => heartbeats.lastBeat(tabId)?.seq ?? -1;
    const stamped: Subscribe<{ event: BrowserEvent; at: number }> = (listener) =>
      browser.log.onDidRecord((event) => listener({ event, at: clock.now() }));
    const flagged = expectEvent(
      clock,
      stamped,
      ({ event }) => event.type === 'tab-changed' && event.tab.id === target && event.tab.state === 'unresponsive',
    );
    const painted = expectEvent(
      clock,
      browser.onDidPaintUi,
      (paint) => paint.tabId === target && paint.what === 'unresponsive-dialog',
    );
    let stopAsked = false;
    const resumed = expectEvent(clock, browser.tabs.onDidHeartbeat, (beat) => stopAsked && beat.tabId === target);
    const before = browser.tabs.get(target);
    const seqBefore = heartbeatsBefore(target);
    let detectedAndNamed = !fault;
    try {
      trial.mark('injected');
      if (fault) {
        browser.tabs.hang(target);
        const flag = await flagged.next(1000 + HANG_DETECTION_SLACK_MS);
        if (!flag) trial.fail('the hang was not detected');
        else {
          trial.mark('hangDetected', flag.at);
          detectedAndNamed = true;
          const paint = await painted.next(PAINT_TIMEOUT_MS);
          if (paint) trial.mark('uiPainted', paint.at);
          else trial.fail(`the UI did not report painting the dialog within ${PAINT_TIMEOUT_MS} ms`);
        }
      }
      trial.mark('stopAsked');
      stopAsked = true;
      // The control arm asks nothing: terminateExecution on an idle page would end its next task.
      if (fault) await browser.tabs.stop(target);
      trial.mark('stopped');
      const beat = await resumed.next(RESUME_TIMEOUT_MS);
      const after = browser.tabs.get(target);
      if (!beat) {
        trial.fail(`the page did not tick within ${RESUME_TIMEOUT_MS} ms of Stop`);
        return { detectedAndNamed, recovered: false };
      }
      trial.mark('firstTick', beat.at);
      // The page kept its state: the same renderer, and its heartbeat count went on rather than restarting.
      const kept = after?.pid === before?.pid && beat.seq > seqBefore;
      if (!kept)
        trial.fail(`the page did not keep its state (pid ${before?.pid} -> ${after?.pid}, heartbeat ${beat.seq})`);
      return { detectedAndNamed, recovered: kept };
    } finally {
      flagged.dispose();
      painted.dispose();
      resumed.dispose();
    }
  },
};
