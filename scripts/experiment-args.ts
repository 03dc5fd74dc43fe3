/**
 * `npm run experiment -- <scenario> [flags]`: the command line, parsed. Bad input is one line saying
 * what is wrong and what is accepted (the CLI prints it and exits 2).
 */
import type { ExperimentRequest } from '../main/core/experiments/experiment-run.ts';
import type { ProcessModel } from '../protocol/interfaces/browser-state.ts';
import type { ScenarioName } from '../protocol/experiments/report.ts';

export const SCENARIO_NAMES: readonly ScenarioName[] = [
  'tab-crash',
  'tab-kill',
  'tab-hang',
  'gpu-crash',
  'gpu-fallback',
  'plugin-crash',
  'bad-message',
  'same-site',
  'chaos',
];

export const USAGE =
  'usage: npm run experiment -- <scenario> [--trials N] [--tabs N] [--shell chromium|electron] ' +
  '[--process-model per-tab|per-site] [--seed S] [--faults N] [--out DIR] [--no-control]\n' +
  `scenarios: ${SCENARIO_NAMES.join(', ')}`;

export interface ExperimentCommand {
  readonly request: ExperimentRequest;
  readonly shell: 'chromium' | 'electron';
  readonly processModel: ProcessModel;
  readonly out: string;
}

const DEFAULTS = { trials: 10, tabs: 3, faults: 50, out: 'experiment-reports' };
const MAX = { trials: 10_000, tabs: 20, faults: 100_000 };

export class UsageError extends Error {}

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^-?\d+$/.test(text))
    throw new UsageError(`--${flag} needs a whole number, got ${text ?? 'nothing'}`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses `argv` (after the script name); throws UsageError with one line. `seedNow` gives the default seed. */
export function parseExperimentArgs(
  argv: readonly string[],
  seedNow: () => number = () => Date.now() % 2 ** 31,
): ExperimentCommand {
  const flags = new Map<string, string | undefined>();
  const positional: string[] = [];
  const valueless = new Set(['no-control']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!['trials', 'tabs', 'shell', 'process-model', 'seed', 'faults', 'out', 'no-control'].includes(name))
      throw new UsageError(`unknown flag --${name}`);
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    if (valueless.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, undefined);
    } else if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  if (positional.length === 0) throw new UsageError(`which scenario? one of ${SCENARIO_NAMES.join(', ')}`);
  if (positional.length > 1) throw new UsageError(`one scenario at a time, got ${positional.join(' ')}`);
  const scenario = positional[0] as ScenarioName;
  if (!SCENARIO_NAMES.includes(scenario))
    throw new UsageError(`unknown scenario "${scenario}": one of ${SCENARIO_NAMES.join(', ')}`);
  const chaos = scenario === 'chaos';
  if (flags.has('faults') && !chaos) throw new UsageError('--faults is for chaos only');
  const shell = flags.get('shell') ?? 'chromium';
  if (shell !== 'chromium' && shell !== 'electron')
    throw new UsageError(`--shell must be chromium or electron, got ${shell}`);
  const model = flags.get('process-model') ?? 'per-tab';
  if (model !== 'per-tab' && model !== 'per-site')
    throw new UsageError(`--process-model must be per-tab or per-site, got ${model}`);
  const out = flags.get('out') ?? DEFAULTS.out;
  if (out === '') throw new UsageError('--out needs a folder');
  const trials = flags.has('trials')
    ? integer('trials', flags.get('trials'), chaos ? 0 : 1, MAX.trials)
    : chaos
      ? 5
      : DEFAULTS.trials;
  const tabs = flags.has('tabs')
    ? integer('tabs', flags.get('tabs'), scenario === 'same-site' ? 2 : 1, MAX.tabs)
    : DEFAULTS.tabs;
  const seed = flags.has('seed') ? integer('seed', flags.get('seed'), 0, 2 ** 31 - 1) : seedNow();
  const request: ExperimentRequest = {
    scenario,
    trials,
    tabs,
    seed,
    control: !flags.has('no-control'),
    ...(chaos
      ? { faults: flags.has('faults') ? integer('faults', flags.get('faults'), 1, MAX.faults) : DEFAULTS.faults }
      : {}),
  };
  return { request, shell, processModel: model === 'per-site' ? 'process-per-site' : 'process-per-tab', out };
}
