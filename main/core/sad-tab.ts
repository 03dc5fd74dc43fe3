/**
 * What a tab whose renderer ended shows (Chrome's sad tab): the code for why it ended, and whether
 * it is the same tab crashing again soon, which Chrome shows differently.
 */
import type { ExitReason, TabCrash } from '../../protocol/interfaces/browser-state.ts';
import type { RendererGone } from './tab-host.ts';

/** Chrome shows a different sad tab when the same tab crashes again within 10 s (sad_tab.cc). */
export const REPEATED_CRASH_MS = 10_000;

/** Chrome's names for why a renderer ended, as its sad tab shows them. */
export function crashCode(reason: ExitReason, gone: RendererGone | undefined, hung: boolean): string {
  if (reason === 'bad-message') return 'RESULT_CODE_KILLED_BAD_MESSAGE';
  if (hung) return 'RESULT_CODE_HUNG';
  // Before the signal: the browser's own memory cap ends a renderer with SIGKILL, but the cause is memory.
  if (reason === 'oom') return 'OUT_OF_MEMORY';
  if (gone?.signal) return gone.signal;
  if (reason === 'killed') return 'RESULT_CODE_KILLED';
  // Chromium reports 0 when it has no code to give (Target.targetCrashed's errorCode).
  return gone?.code === undefined || gone.code === 0 ? 'RESULT_CODE_CRASHED' : `EXIT_CODE_${gone.code}`;
}

/** The sad tab's report of a renderer that ended at `at` (`hung`: ended by Stop), for a tab that last crashed at `lastCrashAt`. */
export function sadTabReport(
  reason: ExitReason,
  gone: RendererGone,
  hung: boolean,
  at: number,
  lastCrashAt: number | undefined,
): TabCrash {
  return {
    reason,
    code: crashCode(reason, gone, hung),
    at,
    repeated: lastCrashAt !== undefined && at - lastCrashAt < REPEATED_CRASH_MS,
  };
}
