import { describe, expect, it } from 'vitest';
import { processModelArgs, processModelFromSwitch, PROCESS_MODEL_SWITCH, switchValue } from './process-model-switch.ts';

describe('--lab-process-model', () => {
  it("is a switch of its own, not Chromium's --process-per-site", () => {
    expect(PROCESS_MODEL_SWITCH).not.toBe('process-per-site');
    expect(processModelArgs('process-per-site')).toEqual(['--lab-process-model=per-site']);
    expect(processModelArgs('process-per-tab')).toEqual([]);
  });

  it('reads per-site and per-tab, a process per tab when absent, and refuses anything else with what it accepts', () => {
    expect(
      processModelFromSwitch(switchValue(['--headless', '--lab-process-model=per-site'], PROCESS_MODEL_SWITCH)),
    ).toBe('process-per-site');
    expect(processModelFromSwitch(switchValue(['--lab-process-model=per-tab'], PROCESS_MODEL_SWITCH))).toBe(
      'process-per-tab',
    );
    expect(processModelFromSwitch(switchValue(['--process-per-site'], PROCESS_MODEL_SWITCH))).toBe('process-per-tab');
    expect(processModelFromSwitch(undefined)).toBe('process-per-tab');
    expect(processModelFromSwitch('')).toBe('process-per-tab');
    expect(() => processModelFromSwitch('site')).toThrow(
      '--lab-process-model=site is not a process model: use --lab-process-model=per-tab or --lab-process-model=per-site',
    );
  });

  it('takes the last occurrence, and the first argument as much as any other', () => {
    // A packaged app's argv is [exe, ...args]: the first user argument is argv[1], not argv[2].
    expect(switchValue(['--lab-process-model=per-site', '--lab-process-model=per-tab'], PROCESS_MODEL_SWITCH)).toBe(
      'per-tab',
    );
    expect(switchValue(['--lab-process-model=per-site'], PROCESS_MODEL_SWITCH)).toBe('per-site');
    expect(switchValue(['--lab-process-modelx=per-site'], PROCESS_MODEL_SWITCH)).toBeUndefined();
  });
});
