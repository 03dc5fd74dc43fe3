import { expect, it } from 'vitest';
import { GPU_STANDBY_SWITCH, gpuStandbyArgs, gpuStandbyFromSwitch } from './gpu-standby-switch.ts';
import { switchValue } from './process-model-switch.ts';

it('is on by default and with =on, off with =off, and refuses anything else saying what is accepted', () => {
  expect(gpuStandbyFromSwitch(undefined)).toBe(true);
  expect(gpuStandbyFromSwitch('')).toBe(true);
  expect(gpuStandbyFromSwitch('on')).toBe(true);
  expect(gpuStandbyFromSwitch('off')).toBe(false);
  expect(() => gpuStandbyFromSwitch('no')).toThrow(`--${GPU_STANDBY_SWITCH}=on or --${GPU_STANDBY_SWITCH}=off`);
});

it('round-trips through a command line', () => {
  for (const standby of [true, false]) {
    expect(gpuStandbyFromSwitch(switchValue(['--headless', ...gpuStandbyArgs(standby)], GPU_STANDBY_SWITCH))).toBe(
      standby,
    );
  }
});
