import { describe, expect, it } from 'vitest';
import { parseExperimentArgs, UsageError } from './experiment-args.ts';

const parse = (...argv: string[]) => parseExperimentArgs(argv, () => 42);

describe('npm run experiment arguments', () => {
  it('takes the scenario and flags in both spellings, with defaults', () => {
    expect(parse('tab-crash')).toEqual({
      request: { scenario: 'tab-crash', trials: 10, tabs: 3, seed: 42, control: true },
      shell: 'chromium',
      processModel: 'process-per-tab',
      out: 'experiment-reports',
    });
    const chaos = parse('chaos', '--faults=50', '--seed', '7', '--process-model', 'per-site', '--out', '/tmp/x');
    expect(chaos.request).toEqual({ scenario: 'chaos', trials: 5, tabs: 3, seed: 7, control: true, faults: 50 });
    expect(chaos.processModel).toBe('process-per-site');
    expect(parse('same-site', '--tabs', '2', '--no-control').request.control).toBe(false);
  });

  it('refuses bad input with one line saying what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [[], /which scenario/],
      [['tab-crsh'], /unknown scenario "tab-crsh"/],
      [['tab-crash', '--trials', 'ten'], /--trials needs a whole number/],
      [['tab-crash', '--trials', '0'], /between 1 and/],
      [['tab-crash', '--faults', '3'], /chaos only/],
      [['tab-crash', '--shell', 'firefox'], /chromium or electron/],
      [['tab-crash', '--process-model', 'per-process'], /per-tab or per-site/],
      [['tab-crash', '--bogus'], /unknown flag --bogus/],
      [['tab-crash', '--tabs'], /--tabs needs a value/],
      [['same-site', '--tabs', '1'], /between 2 and/],
      [['tab-crash', 'tab-kill'], /one scenario at a time/],
    ];
    for (const [argv, message] of cases) {
      let error: unknown;
      try {
        parse(...argv);
      } catch (caught) {
        error = caught;
      }
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
