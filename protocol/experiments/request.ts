/**
 * What may be asked of the runner: the schema of an experiment request, and the one check every way
 * in uses (the Experiments view's `startExperiment`, the Electron shell's `--lab-experiment=<JSON>`),
 * so a request refused in one is refused, with the same words, in the other.
 */
import { compileChecker, Struct, Type, type Static } from '../rpc/schema.ts';
import { ScenarioName } from './report.ts';

/** Bounds a person would not reach by accident, and a soak would: past them, the request is refused. */
export const REQUEST_LIMITS = {
  /** Chaos may have none (its control arm is `trials` long); every other scenario needs one (checked below). */
  trials: { min: 0, max: 1000 },
  /** The runner's own limit (main/core/experiments/runner.ts). */
  tabs: { min: 1, max: 20 },
  faults: { min: 1, max: 100_000 },
  /** Seeds are unsigned 32-bit: what a seeded generator takes whole. */
  seed: { min: 0, max: 0xffff_ffff },
} as const;

/** Mirrors `ExperimentRequest` (main/core/experiments/experiment-run.ts); request.test.ts keeps them equal. */
export const ExperimentRequestMessage = Struct({
  scenario: ScenarioName,
  /** Trials per arm (the control arm runs as many); chaos: its control arm's length. */
  trials: Type.Integer({ minimum: REQUEST_LIMITS.trials.min, maximum: REQUEST_LIMITS.trials.max }),
  /** Tabs open during each trial: the target and the others whose ticks measure the blast radius. */
  tabs: Type.Integer({ minimum: REQUEST_LIMITS.tabs.min, maximum: REQUEST_LIMITS.tabs.max }),
  /** Chaos only: how many faults to inject. */
  faults: Type.Optional(Type.Integer({ minimum: REQUEST_LIMITS.faults.min, maximum: REQUEST_LIMITS.faults.max })),
  seed: Type.Integer({ minimum: REQUEST_LIMITS.seed.min, maximum: REQUEST_LIMITS.seed.max }),
  /** Run the control arm (default true). */
  control: Type.Optional(Type.Boolean()),
});
export type ExperimentRequestMessage = Static<typeof ExperimentRequestMessage>;

const checker = compileChecker(ExperimentRequestMessage);

export type RequestCheck =
  | { readonly ok: true; readonly request: ExperimentRequestMessage }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Checks a request from anywhere (parsed JSON, a UI message): the schema, then what a schema cannot
 * say (faults belong to chaos, and chaos needs them; a trial at least, but for chaos). Errors are sentences for the person who asked.
 */
export function checkExperimentRequest(value: unknown): RequestCheck {
  if (!checker.check(value)) return { ok: false, errors: [`The experiment request ${checker.explain(value)}`] };
  const request = value as ExperimentRequestMessage;
  const errors: string[] = [];
  if (request.scenario !== 'chaos' && request.trials < 1) errors.push(`${request.scenario} needs at least 1 trial`);
  if (request.scenario === 'chaos' && request.faults === undefined)
    errors.push('A chaos experiment needs "faults": how many faults to inject');
  if (request.scenario !== 'chaos' && request.faults !== undefined)
    errors.push(`"faults" is for chaos only; ${request.scenario} runs "trials" trials`);
  return errors.length ? { ok: false, errors } : { ok: true, request };
}

/** `checkExperimentRequest` of a JSON text (a command-line switch's value). */
export function parseExperimentRequest(text: string): RequestCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`The experiment request is not JSON: ${(error as Error).message}`] };
  }
  return checkExperimentRequest(value);
}
