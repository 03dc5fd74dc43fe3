/**
 * The app's own switch for Chrome's process model: `--lab-process-model=per-site` (or `per-tab`, the
 * default). Not `--process-per-site`: that is a real Chromium switch, which Electron passes on to
 * Chromium (every `lab-app://` tab would then share one renderer process), so the app's switch
 * has a name Chromium does not know. Both shells read it with `processModelFromSwitch`.
 */
import type { ProcessModel } from '../../protocol/interfaces/browser-state.ts';

/** The switch's name, without the leading dashes (as `app.commandLine.getSwitchValue` takes it). */
export const PROCESS_MODEL_SWITCH = 'lab-process-model';

const VALUES: Readonly<Record<string, ProcessModel>> = { 'per-tab': 'process-per-tab', 'per-site': 'process-per-site' };

/**
 * The process model a switch value names; absent or empty is the default (a process per tab).
 * Anything else is refused with an error that says what is accepted.
 */
export function processModelFromSwitch(value: string | undefined): ProcessModel {
  if (value === undefined || value === '') return 'process-per-tab';
  const model = VALUES[value];
  if (!model)
    throw new Error(
      `--${PROCESS_MODEL_SWITCH}=${value} is not a process model: use --${PROCESS_MODEL_SWITCH}=per-tab or --${PROCESS_MODEL_SWITCH}=per-site`,
    );
  return model;
}

/** The switch's value in a command line's arguments (the last one wins, as in Chromium); undefined when absent. */
export function switchValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (const arg of args) {
    if (arg === `--${name}`) value = '';
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
  }
  return value;
}

/** The switch for `model`, as a shell's command line takes it. */
export function processModelArgs(model: ProcessModel): string[] {
  return model === 'process-per-site' ? [`--${PROCESS_MODEL_SWITCH}=per-site`] : [];
}
