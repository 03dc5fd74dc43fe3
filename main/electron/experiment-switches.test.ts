// The Electron shell's --lab-experiment switches, against a stand-in for app.commandLine (a map).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentSwitches } from './experiment-switches.ts';

function commandLine(switches: Record<string, string>) {
  return {
    hasSwitch: (name: string) => Object.hasOwn(switches, name),
    // Chromium answers '' for a switch that is absent or has no value.
    getSwitchValue: (name: string) => switches[name] ?? '',
  };
}

describe('--lab-experiment', () => {
  it('is nothing without the switch', () => {
    expect(experimentSwitches(commandLine({}), '/work')).toEqual({ kind: 'none' });
  });

  it('runs a request the shared check accepts, the out folder resolved against the working folder', () => {
    const request = { scenario: 'tab-crash', trials: 2, tabs: 2, seed: 7 };
    expect(
      experimentSwitches(
        commandLine({ 'lab-experiment': JSON.stringify(request), 'lab-experiment-out': 'out/reports' }),
        '/work',
      ),
    ).toEqual({ kind: 'run', request, out: path.resolve('/work', 'out/reports') });
  });

  it('refuses, with every reason, a request that is not JSON, fails the check, or has nowhere to go', () => {
    expect(experimentSwitches(commandLine({ 'lab-experiment': '{oops' }), '/w')).toEqual({
      kind: 'refused',
      errors: [expect.stringMatching(/not JSON/), expect.stringMatching(/--lab-experiment-out=<dir> is missing/)],
    });
    const chaos = experimentSwitches(
      commandLine({
        'lab-experiment': JSON.stringify({ scenario: 'chaos', trials: 0, tabs: 3, seed: 1 }),
        'lab-experiment-out': '/tmp/x',
      }),
      '/w',
    );
    expect(chaos).toEqual({ kind: 'refused', errors: [expect.stringMatching(/chaos .*needs "faults"/)] });
    expect(experimentSwitches(commandLine({ 'lab-experiment': '' }), '/w')).toMatchObject({ kind: 'refused' });
  });
});
