/**
 * `--lab-experiment=<request JSON> --lab-experiment-out=<dir>` (what `npm run experiment -- --shell electron`
 * passes): read from Chromium's parsed command line, the request checked by the same code as the
 * Experiments view's (protocol/experiments/request.ts). Pure, so it is tested in plain Node; main.ts
 * passes `app.commandLine`.
 */
import path from 'node:path';
import type { CommandLine } from 'electron';
import { parseExperimentRequest, type ExperimentRequestMessage } from '../../protocol/experiments/request.ts';

export const EXPERIMENT_SWITCH = 'lab-experiment';
export const EXPERIMENT_OUT_SWITCH = 'lab-experiment-out';

/** Exit codes of an experiment run from the command line. */
export const EXPERIMENT_EXIT = { held: 0, notHeld: 1, badRequest: 2, failed: 3 } as const;

export type ExperimentSwitches =
  | { readonly kind: 'none' }
  | { readonly kind: 'run'; readonly request: ExperimentRequestMessage; readonly out: string }
  | { readonly kind: 'refused'; readonly errors: readonly string[] };

/** What the command line asks: no experiment, one to run, or one refused (with every reason). */
export function experimentSwitches(
  commandLine: Pick<CommandLine, 'hasSwitch' | 'getSwitchValue'>,
  cwd: string,
): ExperimentSwitches {
  if (!commandLine.hasSwitch(EXPERIMENT_SWITCH)) return { kind: 'none' };
  const checked = parseExperimentRequest(commandLine.getSwitchValue(EXPERIMENT_SWITCH));
  const out = commandLine.getSwitchValue(EXPERIMENT_OUT_SWITCH);
  const errors = [
    ...(checked.ok ? [] : checked.errors),
    ...(out ? [] : [`--${EXPERIMENT_OUT_SWITCH}=<dir> is missing: where the report goes`]),
  ];
  if (!checked.ok || !out) return { kind: 'refused', errors };
  return { kind: 'run', request: checked.request, out: path.resolve(cwd, out) };
}
