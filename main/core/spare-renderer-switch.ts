/**
 * `--lab-spare-renderer=off` (or `=on`, the default): whether the browser keeps a spare renderer
 * for the next tab (spare-renderer.ts). Off shows every tab's process starting cold, and is the
 * benchmark's other arm. Both shells read it with `spareRendererFromSwitch` (the value through
 * `switchValue` in the Chromium shell, `app.commandLine.getSwitchValue` in Electron).
 */

/** The switch's name, without the leading dashes. */
export const SPARE_RENDERER_SWITCH = 'lab-spare-renderer';

/** Whether a switch value turns the spare on; absent or empty is on. Anything else is refused saying what is accepted. */
export function spareRendererFromSwitch(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(
    `--${SPARE_RENDERER_SWITCH}=${value} is not accepted: use --${SPARE_RENDERER_SWITCH}=on or --${SPARE_RENDERER_SWITCH}=off`,
  );
}
