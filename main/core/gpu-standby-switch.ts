/**
 * The app's switch for the hot-standby GPU process: `--lab-gpu-standby=off` starts no standby, so a
 * GPU crash is answered by a cold restart (for the side-by-side benchmark, and for people who want
 * to watch one); `on`, or no switch, keeps one. Both shells read it with `gpuStandbyFromSwitch`.
 */
export const GPU_STANDBY_SWITCH = 'lab-gpu-standby';

/** Whether to keep a standby for a switch value; absent or empty means on. Anything else is refused, saying what is accepted. */
export function gpuStandbyFromSwitch(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(
    `--${GPU_STANDBY_SWITCH}=${value} is not a setting: use --${GPU_STANDBY_SWITCH}=on or --${GPU_STANDBY_SWITCH}=off`,
  );
}

/** The switch for `standby`, as a shell's command line takes it. */
export function gpuStandbyArgs(standby: boolean): string[] {
  return standby ? [] : [`--${GPU_STANDBY_SWITCH}=off`];
}
