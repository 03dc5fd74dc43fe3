// The Experiments view's model: the scenarios to pick from, the form and the request it makes (checked by
// the same code the browser checks with), what the status line says, and the live plot's points.
// Plain TypeScript, no React, no DOM.
import type { MarkName, ScenarioName } from '../../../protocol/experiments/report.ts';
import { checkExperimentRequest, type RequestCheck } from '../../../protocol/experiments/request.ts';
import type {
  ExperimentLatency,
  ExperimentProgress,
  ExperimentState,
  ExperimentTrialRow,
} from '../../../protocol/interfaces/ui-browser.ts';

export type Experiment = NonNullable<ExperimentProgress['experiment']>;

/**
 * What each scenario tests, in a line, for the picker. The runner states its own hypothesis in the report
 * (shown once a run starts); these say the same in short. Typed by ScenarioName: a new scenario in the
 * report schema fails the type check until it is listed here.
 */
export const SCENARIOS: Readonly<Record<ScenarioName, { readonly label: string; readonly hypothesis: string }>> = {
  'tab-crash': {
    label: 'Tab crash',
    hypothesis: 'A crashed tab shows its sad tab, the other tabs keep ticking, and it recovers on reload.',
  },
  'tab-kill': {
    label: 'Tab kill (SIGKILL)',
    hypothesis: 'A renderer killed from outside is seen as killed, its tab alone is lost, and reload recovers it.',
  },
  'tab-hang': {
    label: 'Tab hang',
    hypothesis:
      'A spinning tab is flagged unresponsive within the threshold, and Stop ends the script keeping the page.',
  },
  'gpu-crash': {
    label: 'GPU process crash',
    hypothesis: 'The GPU process restarts after a crash and every tab draws again, none lost.',
  },
  'gpu-fallback': {
    label: 'GPU fallback to software',
    hypothesis: 'Repeated GPU crashes switch the browser to software compositing, and tabs keep drawing.',
  },
  'plugin-crash': {
    label: 'Plugin host crash',
    hypothesis: 'Plugins show placeholders after their host crashes, pages keep running, and it restarts.',
  },
  'bad-message': {
    label: 'Bad message',
    hypothesis: 'A tab that sends a malformed message has its renderer ended as bad-message, the others untouched.',
  },
  'same-site': {
    label: 'Same-site tabs',
    hypothesis: 'Under process per tab one crash loses one tab; under process per site, both same-site tabs.',
  },
  chaos: {
    label: 'Chaos (seeded mix)',
    hypothesis: 'Through a seeded mix of every fault, the browser stays up and every tab recovers.',
  },
};

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** The form as typed: numbers as text, so a half-typed field is not turned into 0. */
export interface ExperimentForm {
  readonly scenario: ScenarioName;
  readonly trials: string;
  readonly tabs: string;
  readonly faults: string;
  readonly seed: string;
  readonly control: boolean;
}

/** A fresh form: a few trials of a tab crash, a seed of its own (shown, so a run can be repeated). */
export function defaultForm(random: () => number = Math.random): ExperimentForm {
  return {
    scenario: 'tab-crash',
    trials: '5',
    tabs: '3',
    faults: '50',
    seed: String(Math.floor(random() * 0x1_0000_0000)),
    control: true,
  };
}

/** A whole number from a field, or NaN (so the shared check names the field). */
function integer(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The request the form makes, through the check the browser applies (protocol/experiments/request.ts). */
export function requestFromForm(form: ExperimentForm): RequestCheck {
  return checkExperimentRequest({
    scenario: form.scenario,
    trials: integer(form.trials),
    tabs: integer(form.tabs),
    ...(form.scenario === 'chaos' ? { faults: integer(form.faults) } : {}),
    seed: integer(form.seed),
    control: form.control,
  });
}

/** Whether an experiment in `state` still holds the browser (Run waits, Stop applies). */
export function isActive(state: ExperimentState | undefined): boolean {
  return state === 'running' || state === 'stopping' || state === 'writing';
}

/**
 * How many trials the request asks for, as the runner plans them: each trial with its control beside it;
 * chaos, its faults and up to `trials` controls. For the status line only (a scenario may cap its trials):
 * the runner's report is what counts.
 */
export function plannedTrials(request: Experiment['request']): number {
  const control = request.control !== false;
  if (request.scenario === 'chaos') {
    const faults = request.faults ?? 0;
    return faults + (control ? Math.min(request.trials, faults) : 0);
  }
  return request.trials * (control ? 2 : 1);
}

/** The status line under the form. */
export function statusLine(experiment: Experiment | undefined, runner: boolean): string {
  if (!runner) return 'This shell has no experiment runner: experiments cannot run here.';
  if (!experiment) return 'Pick a scenario and Run: its trials land here as they finish.';
  const progress = `${experiment.trialsDone} of ${plannedTrials(experiment.request)} trials`;
  switch (experiment.state) {
    case 'running':
      return `Running ${SCENARIOS[experiment.request.scenario].label}: ${progress}`;
    case 'stopping':
      return `Stopping after the current step: ${progress}`;
    case 'writing':
      return `Writing the report: ${progress}`;
    case 'done': {
      const verdict = experiment.verdict?.holds ? 'the hypothesis held' : 'the hypothesis did not hold';
      return `Done${experiment.interrupted ? ' (stopped)' : ''}: ${verdict}, ${progress}`;
    }
    case 'failed':
      return `Failed: ${experiment.error ?? 'no reason given'}`;
  }
}

/** A trial's latency in milliseconds, or undefined when either mark never came. */
export function latencyOf(trial: ExperimentTrialRow, latency: ExperimentLatency): number | undefined {
  // The schema's MarkName is typed `never` by TypeBox (a union built from an array): read it as the name it is.
  const from = trial.marks[latency.from as MarkName];
  const to = trial.marks[latency.to as MarkName];
  return from === undefined || to === undefined ? undefined : to - from;
}

/**
 * Which latency the live plot shows: the one asked for while the scenario reports it, else the first that
 * ends at a paint the user sees (the sad tab, the dialog), else the first.
 */
export function plottedLatency(
  latencies: readonly ExperimentLatency[],
  asked: string | undefined,
): ExperimentLatency | undefined {
  return (
    latencies.find((latency) => latency.name === asked) ??
    latencies.find((latency) => (latency.to as MarkName) === 'uiPainted') ??
    latencies[0]
  );
}

/** One point of the live plot: a trial's latency, by arm. */
export interface PlotPoint {
  readonly index: number;
  readonly arm: ExperimentTrialRow['arm'];
  readonly ms: number;
  readonly ok: boolean;
}

/** The live plot's data: each trial with the latency measured, in the order they landed. */
export function plotPoints(trials: readonly ExperimentTrialRow[], latency: ExperimentLatency | undefined): PlotPoint[] {
  if (!latency) return [];
  const points: PlotPoint[] = [];
  for (const trial of trials) {
    const ms = latencyOf(trial, latency);
    if (ms !== undefined) points.push({ index: trial.index, arm: trial.arm, ms, ok: trial.ok });
  }
  return points;
}

/** "12.3 ms", "1.24 s", "—". */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

/** A trial's blast radius in words: "none", "2 tabs missed 5 ticks · 1 other process ended". */
export function blastRadius(trial: ExperimentTrialRow): string {
  const parts: string[] = [];
  if (trial.otherTabsMissedTicks > 0)
    parts.push(
      `${trial.otherTabsMissedTicks} tab${trial.otherTabsMissedTicks === 1 ? '' : 's'} missed ${trial.ticksMissed} tick${trial.ticksMissed === 1 ? '' : 's'}`,
    );
  // processesDied counts the target too: a fault's trial expects one.
  const others = trial.processesDied - (trial.arm === 'experiment' && trial.exit ? 1 : 0);
  if (others > 0) parts.push(`${others} other process${others === 1 ? '' : 'es'} ended`);
  return parts.length ? parts.join(' · ') : 'none';
}

/** "crashed · RESULT_CODE_CRASHED", "—". */
export function exitLabel(trial: ExperimentTrialRow): string {
  if (!trial.exit) return '—';
  return trial.exit.code ? `${trial.exit.reason} · ${trial.exit.code}` : trial.exit.reason;
}
