/** How the Chromium shell tells how a renderer process ended, and whether a pid is still one. */
import fs from 'node:fs';
import type { ExitReason } from '../../protocol/interfaces/browser-state.ts';

/** Chromium's termination status (TerminationStatusToString) in Electron's vocabulary. */
export function exitReason(status: string): ExitReason {
  switch (status) {
    case 'killed':
      return 'killed';
    case 'oom':
      return 'oom';
    case 'failed to launch':
      return 'launch-failed';
    case 'abnormal':
      return 'abnormal-exit';
    case 'normal':
      return 'clean-exit';
    default:
      return 'crashed';
  }
}

/** Refuses to SIGKILL a pid that is no longer a renderer (it may have been reused). */
export function isRenderer(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
  } catch {
    return process.platform !== 'linux' && process.platform !== 'android';
  }
}
