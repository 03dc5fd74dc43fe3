// The one polling hook of the browser UI: the task manager, the IPC inspector and the architecture
// map each read the browser this way while they are shown.
import { useEffect, useEffectEvent } from 'react';
import { startPolling, type Poll } from './polling.ts';

/**
 * Runs `poll` while mounted and `enabled`: now, then `intervalMs` after each call settles (never two
 * at once); stops when unmounted or disabled. `poll` always sees the latest props and state
 * (an effect event), so a new render does not restart the timer.
 */
export function usePolling(poll: Poll, intervalMs: number, enabled = true): void {
  const onPoll = useEffectEvent(poll);
  useEffect(() => (enabled ? startPolling((signal) => onPoll(signal), intervalMs) : undefined), [enabled, intervalMs]);
}
