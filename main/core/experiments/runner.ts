/**
 * The experiment runner: implements ExperimentRun (experiment-run.ts) on a running browser. Opens
 * the run's tabs, checks the steady state, runs the trials (control and experiment interleaved, a
 * seeded choice of target each time; chaos draws its fault per trial), brings every tab back after
 * each, checks the steady state again, closes its tabs, and settles the report. The same code runs
 * under `npm run experiment`, the Experiments view and the e2e suite.
 */
import {
  REPORT_KIND,
  REPORT_SCHEMA_VERSION,
  type LatencyDefinition,
  type Report,
  type Trial,
} from '../../../protocol/experiments/report.ts';
import { seededRandom } from '../../../protocol/experiments/stats.ts';
import { Emitter } from '../emitter.ts';
import { DEFAULT_HISTORY } from '../event-log.ts';
import type { ExperimentHost } from './experiment-host.ts';
import type { ExperimentRequest, ExperimentRun } from './experiment-run.ts';
import { HeartbeatWatch } from './heartbeat-watch.ts';
import { recoverTabs } from './recovery.ts';
import type { Scenario, TrialOutcome } from './scenario.ts';
import { CHAOS_MIX, SCENARIOS } from './scenarios.ts';
import { PidLedger, SoakHeapBaseline, soakFailures, soakSummary } from './soak.ts';
import { measureSteadyState } from './steady-state.ts';
import { memoryTrialJournal, TrialLog } from './trial-log.ts';
import { TrialRecorder } from './trial-recorder.ts';
import { sleep, until } from './waiting.ts';

/** How long the run's tabs may take to tick for the first time. */
const TABS_READY_TIMEOUT_MS = 20_000;
/** Lets the UI show the newly selected target before the fault (its sad tab is what is painted). */
const SELECT_SETTLE_MS = 120;
/** Quiet time after each trial, so the other tabs' silences (if any) are seen. */
const AFTER_TRIAL_MS = 100;

export const CLOCK_NOTE =
  "Every mark is the browser process's monotonic clock (the core's Clock, performance.now()) minus the trial's start. " +
  "observed: stamped by the shell where it learns of the end (Chromium shell: the CDP Target.targetCrashed event's arrival; Electron: render-process-gone); " +
  'for the GPU process and plugin host, observed and coreKnew are one moment (the child exit is recorded as it arrives). ' +
  'uiPainted: the UI page reports after requestAnimationFrame and then a task (the frame showing the sad tab or dialog was handed over); the browser stamps the report when it arrives, so it includes one UI-to-browser message. ' +
  "firstTick: the browser's receipt of the reloaded page's first heartbeat. nextFrame: a frame rasterized by the GPU process on a new channel, as bench:processes measures it (Chromium shell: a loopback WebSocket; Electron: a MessagePort whose other end the browser process keeps).";

export class RequestError extends Error {}

/**
 * The soak's heap growth is measured from after its first faults (10 %, at least 5), and from the
 * moment the event log's history (500 events, ~1 MB: ~6 % of a 16 MB heap) is full once it is: the
 * soak asks whether the heap keeps growing, not whether bounded buffers reach their size. The growth
 * from the very start is the steady state's heap check (before vs after). The run's own trial
 * records go to the shell's journal (trial-log.ts), so what is judged is the browser's heap, with
 * only the numbers the live summaries need (a few per trial) and the newest 200 trials.
 */
export function soakWarmUp(faults: number): number {
  return Math.min(faults, Math.max(5, Math.ceil(faults / 10)));
}

/** Checks a request against the scenario; throws RequestError with the reason. */
export function checkRequest(request: ExperimentRequest): void {
  const positive = (value: number, name: string, min: number) => {
    if (!Number.isInteger(value) || value < min)
      throw new RequestError(`${name} must be an integer of at least ${min}, got ${value}`);
  };
  positive(request.trials, 'trials', request.scenario === 'chaos' ? 0 : 1);
  positive(request.tabs, 'tabs', 1);
  if (request.tabs > 20) throw new RequestError(`tabs must be at most 20, got ${request.tabs}`);
  if (!Number.isInteger(request.seed)) throw new RequestError(`seed must be an integer, got ${request.seed}`);
  if (request.scenario === 'chaos') positive(request.faults ?? 0, 'faults', 1);
  else if (request.faults !== undefined) throw new RequestError('--faults is for chaos only');
  const scenario = request.scenario === 'chaos' ? undefined : SCENARIOS[request.scenario];
  if (scenario?.minTabs !== undefined && request.tabs < scenario.minTabs)
    throw new RequestError(`${request.scenario} needs at least ${scenario.minTabs} tabs, got ${request.tabs}`);
}

interface PlannedTrial {
  readonly arm: Trial['arm'];
  readonly scenario: Scenario;
}

function plan(request: ExperimentRequest, random: () => number): PlannedTrial[] {
  const control = request.control ?? true;
  const planned: PlannedTrial[] = [];
  if (request.scenario === 'chaos') {
    // Faults drawn from the seed; the control arm is tab-crash's steps without the fault, `trials` times.
    const faults = request.faults ?? 0;
    const controls = control ? Math.min(request.trials, faults) : 0;
    for (let i = 0; i < faults; i++) {
      if (i < controls) planned.push({ arm: 'control', scenario: SCENARIOS['tab-crash'] });
      planned.push({ arm: 'experiment', scenario: CHAOS_MIX[Math.floor(random() * CHAOS_MIX.length)]! });
    }
    return planned;
  }
  const scenario = SCENARIOS[request.scenario];
  const trials = Math.min(request.trials, scenario.maxTrials ?? request.trials);
  for (let i = 0; i < trials; i++) {
    if (control) planned.push({ arm: 'control', scenario });
    planned.push({ arm: 'experiment', scenario });
  }
  return planned;
}

function hypothesisOf(request: ExperimentRequest): string {
  if (request.scenario !== 'chaos') return SCENARIOS[request.scenario].hypothesis;
  return `A seeded mix of ${CHAOS_MIX.map((scenario) => scenario.name).join(', ')} (${request.faults} faults): every fault is detected and named with the right reason, every tab recovers on reload, no process is left orphaned, no tab is lost, the browser stays alive and its heap after GC (V8's compiled code aside) grows under 5 %.`;
}

function latenciesOf(request: ExperimentRequest): LatencyDefinition[] {
  const scenarios = request.scenario === 'chaos' ? CHAOS_MIX : [SCENARIOS[request.scenario]];
  const byName = new Map<string, LatencyDefinition>();
  // Chaos: one latency per name across the mix (the same name means the same marks).
  for (const scenario of scenarios)
    for (const definition of scenario.latencies)
      if (!byName.has(definition.name)) byName.set(definition.name, definition);
  return [...byName.values()].slice(0, 32);
}

export interface StartExperimentOptions {
  /** The report's id (default: scenario and start time). */
  readonly id?: string;
}

/** Starts `request` on the browser `host` runs; the run's report lands in `done`. Throws RequestError for a bad request. */
export function startExperiment(
  host: ExperimentHost,
  request: ExperimentRequest,
  options: StartExperimentOptions = {},
): ExperimentRun {
  checkRequest(request);
  const { browser } = host;
  const clock = browser.clock;
  const startedAt = Date.now();
  const id = (options.id ?? `${request.scenario}-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}`).slice(
    0,
    128,
  );
  const random = seededRandom(request.seed);
  const trialEmitter = new Emitter<Trial>();
  const latencies = latenciesOf(request);
  const log = new TrialLog(host.openTrialJournal?.(id) ?? memoryTrialJournal(), latencies, request.seed);
  let stopRequested = false;
  const processModel = browser.tabs.processModel;
  const machine = host.probe.machine();
  const report: { -readonly [K in keyof Report]: Report[K] } = {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    id,
    scenario: request.scenario,
    hypothesis: hypothesisOf(request),
    seed: request.seed,
    options: {
      trials: request.trials,
      tabs: request.tabs,
      ...(request.scenario === 'chaos' ? { faults: request.faults ?? 0 } : {}),
      control: request.control ?? true,
    },
    startedAt,
    endedAt: startedAt,
    interrupted: false,
    environment: {
      ...machine,
      ...(machine.loadAverage ? { loadAverage: machine.loadAverage.slice(0, 3) } : {}),
      shell: host.shell,
      browserVersion: host.browserVersion.slice(0, 128),
      processModel,
      sandbox: browser.state().sandbox ?? { enabled: false, reason: 'not reported by the shell' },
    },
    clockNote: CLOCK_NOTE,
    latencies,
    steadyState: { before: { at: startedAt, checks: [] } },
    trials: [],
    summaries: [],
    verdict: { holds: false, reasons: ['running'] },
  };

  const done = (async (): Promise<Report> => {
    const heartbeats = new HeartbeatWatch(browser.tabs, () => clock.now());
    const ledger = new PidLedger(browser);
    const tabs: string[] = [];
    const reasons: string[] = [];
    /** What the reader should know that does not make the hypothesis fail. */
    const remarks: string[] = [];
    const counts = { faults: 0, detectedAndNamed: 0, recovered: 0 };
    const soakHeap = new SoakHeapBaseline(soakWarmUp(request.faults ?? 0));
    /** V8's compiled code at the soak's baseline, to report the growth with it too. */
    const soakCode = { before: 0, baseline: 0 };
    let heapBefore: number;
    try {
      for (let i = 0; i < request.tabs; i++) tabs.push((await browser.tabs.open('lab://live')).id);
      const ready = await until(
        clock,
        () => tabs.every((tabId) => heartbeats.ticking(tabId, 1000)),
        TABS_READY_TIMEOUT_MS,
      );
      if (!ready) reasons.push('not every tab of the run ticked before the first trial');
      // The event-loop delay is measured from here on; a second of ticks lets every tab show it is alive.
      host.probe.eventLoopDelayP99();
      await sleep(clock, 1000);
      const before = await measureSteadyState(host, heartbeats, tabs);
      heapBefore = before.heap;
      soakCode.before = soakCode.baseline = host.probe.compiledCodeBytes?.() ?? 0;
      report.steadyState = { before: { at: before.at, checks: before.checks } };
      for (const check of before.checks)
        if (!check.ok)
          reasons.push(
            `steady state before: ${check.name} ${Math.round(check.value)} ${check.unit} (tolerance ${Math.round(check.tolerance)})`,
          );

      const planned = plan(request, random);
      const counters = { experiment: 0, control: 0 };
      for (const next of planned) {
        if (stopRequested) break;
        const target = tabs[Math.floor(random() * tabs.length)]!;
        if (browser.tabs.get(target)) browser.tabs.select(target);
        await sleep(clock, SELECT_SETTLE_MS);
        const fault = next.arm === 'experiment';
        const trial = new TrialRecorder(clock, browser.log, heartbeats, {
          index: counters[next.arm]++,
          arm: next.arm,
          scenario: next.scenario.name,
          // Faults of the utility children aim at no tab: every tab is an "other" tab.
          otherTabs: ['gpu-crash', 'gpu-fallback', 'plugin-crash'].includes(next.scenario.name)
            ? tabs
            : tabs.filter((tabId) => tabId !== target),
          expectedToEnd: (processId) => fault && next.scenario.expectedToEnd(browser, target, processId),
        });
        let outcome: TrialOutcome = { detectedAndNamed: false, recovered: false };
        try {
          outcome = await next.scenario.run({ host, browser, clock, heartbeats, trial, target, tabs, fault });
        } catch (error) {
          trial.fail(`the trial failed: ${(error as Error).message}`);
        }
        const stuck = await recoverTabs({ host, browser, clock, heartbeats, tabs });
        if (stuck.length > 0) trial.fail(`not back after the trial: ${stuck.join(', ')}`);
        await sleep(clock, AFTER_TRIAL_MS);
        const finished = trial.finish();
        if (fault) {
          counts.faults++;
          if (outcome.detectedAndNamed) counts.detectedAndNamed++;
          if (outcome.recovered && stuck.length === 0) counts.recovered++;
        }
        log.add(finished);
        trialEmitter.fire(finished);
        if (request.scenario === 'chaos') {
          // From after the warm-up, and again once the event log's history is full (the last bounded buffer to fill).
          const logFull = browser.log.history().length >= DEFAULT_HISTORY;
          await soakHeap.afterFault(counts.faults, logFull, async () => {
            const heap = await host.probe.heapUsedAfterGc();
            const code = host.probe.compiledCodeBytes?.() ?? 0;
            soakCode.baseline = code;
            return heap - code;
          });
        }
      }
      report.interrupted = stopRequested;

      const after = await measureSteadyState(host, heartbeats, tabs, heapBefore);
      const codeAfter = host.probe.compiledCodeBytes?.() ?? 0;
      report.steadyState = { ...report.steadyState, after: { at: after.at, checks: after.checks } };
      for (const check of after.checks)
        if (!check.ok)
          reasons.push(
            `steady state after: ${check.name} ${Math.round(check.value)} ${check.unit} (tolerance ${Math.round(check.tolerance)})`,
          );
      if (request.scenario === 'chaos') {
        // Let the ended processes be reaped before asking which are still there.
        await sleep(clock, 500);
        const appPids = (await host.appPids?.()) ?? [];
        const tabsLost = tabs.filter((tabId) => browser.tabs.get(tabId)?.state !== 'live').length;
        const uiAnswers = after.checks.find((check) => check.name === 'UI answers')?.ok ?? false;
        if (!soakHeap.withFullLog)
          remarks.push(
            `heap growth measured from fault ${soakWarmUp(request.faults ?? 0)}, before the event log's ${DEFAULT_HISTORY}-event history was full: it includes that history filling`,
          );
        const soak = soakSummary(
          counts,
          tabsLost,
          ledger.orphans(host.probe, appPids),
          uiAnswers,
          soakHeap.from(heapBefore - soakCode.before),
          after.heap - codeAfter,
          { before: soakHeap.from(heapBefore - soakCode.before) + soakCode.baseline, after: after.heap },
        );
        report.soak = soak;
        reasons.push(...soakFailures(soak, soakHeap.withFullLog));
      }
    } catch (error) {
      reasons.push(`the run failed: ${(error as Error).message}`);
      report.interrupted = true;
    } finally {
      heartbeats.dispose();
      ledger.dispose();
      for (const tabId of tabs) await browser.tabs.close(tabId).catch(() => {});
    }
    if (log.failedExperimentTrials > 0)
      reasons.push(
        `${log.failedExperimentTrials} of ${log.experimentTrials} experiment trials not ok: ${log.failures().join('; ')}`,
      );
    const plannedExperiments =
      request.scenario === 'chaos'
        ? (request.faults ?? 0)
        : Math.min(request.trials, SCENARIOS[request.scenario].maxTrials ?? request.trials);
    if (request.scenario !== 'chaos' && plannedExperiments < request.trials)
      remarks.push(`${request.scenario} runs at most ${plannedExperiments} trial per browser`);
    if (report.interrupted) reasons.push('stopped before every trial ran');
    try {
      const final = await log.final();
      report.trials = final.trials;
      report.summaries = final.summaries;
    } catch (error) {
      reasons.push(`the trials could not be read back from the run's journal: ${(error as Error).message}`);
      report.trials = log.recent();
    } finally {
      await log.dispose().catch(() => {});
    }
    report.endedAt = Date.now();
    const holds = reasons.length === 0 && !report.interrupted;
    const said = holds ? ['the hypothesis held: steady state before and after, every experiment trial ok'] : reasons;
    report.verdict = { holds, reasons: [...said, ...remarks].map((reason) => reason.slice(0, 4096)).slice(0, 64) };
    return structuredClone(report);
  })();

  return {
    id,
    request,
    report: () => ({
      ...report,
      // The newest trials and live summaries (LIVE_RESAMPLES): every trial is in the final report.
      trials: log.recent(),
      summaries: log.liveSummaries(),
    }),
    onDidFinishTrial: (listener) => trialEmitter.event(listener),
    done,
    stop: () => {
      stopRequested = true;
    },
  };
}
