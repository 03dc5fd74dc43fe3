/**
 * How a utility process ended, from Electron's two reports of it, which come in no fixed order:
 * `app`'s `child-process-gone` (the reason: crashed, killed, oom, launch-failed; no pid, the fork's
 * `serviceName` option in `details.name`) and the child's own `exit` (a code only; none at all after
 * a failed launch). Each child's end is reported once, with the richer reason when both come.
 * Pure: the launcher feeds it Electron's events, the tests feed it theirs.
 */
import type { Details } from 'electron';
import type { ChildExit } from '../core/process-registry.ts';
import type { ExitReason } from '../../protocol/interfaces/browser-state.ts';

/** How long a non-zero `exit` waits for its `child-process-gone` (which says why) before it is reported alone. */
export const GONE_GRACE_MS = 1000;

/** Electron's `reason` (child-process-gone, render-process-gone) in the core's vocabulary. */
export function exitReasonOf(reason: Details['reason']): ExitReason {
  switch (reason) {
    case 'clean-exit':
    case 'abnormal-exit':
    case 'killed':
    case 'crashed':
    case 'oom':
    case 'launch-failed':
      return reason;
    case 'memory-eviction':
      return 'oom';
    case 'integrity-failure':
      return 'crashed';
    default:
      return 'abnormal-exit';
  }
}

/** How a child ended: Electron's details when it gave them, else the 'exit' code alone. */
export function childExit(code: number, details: Pick<Details, 'reason' | 'exitCode'> | undefined): ChildExit {
  if (details) return { reason: exitReasonOf(details.reason), code: details.exitCode };
  return code === 0 ? { reason: 'clean-exit', code } : { reason: 'abnormal-exit', code };
}

export interface ExitTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_TIMERS: ExitTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One launched child, as the correlator tracks it. */
interface Tracked {
  readonly name: string;
  readonly report: (exit: ChildExit) => void;
  /** Its pid once `spawn` came; kept after `exit`. */
  pid: number | undefined;
  /** The code of its `exit`, once that came (waiting for its child-process-gone). */
  exitCode: number | undefined;
  timer: unknown;
  ended: boolean;
}

export interface TrackedChild {
  /** The child's `spawn` event, with its pid. */
  spawned(pid: number | undefined): void;
  /** The child's `exit` event. */
  exited(code: number): void;
}

export class UtilityExits {
  private readonly children: Tracked[] = [];

  constructor(
    private readonly options: {
      /** Whether a pid is a live process (default: `process.kill(pid, 0)`). */
      readonly isAlive?: (pid: number) => boolean;
      readonly timers?: ExitTimers;
      readonly graceMs?: number;
    } = {},
  ) {}

  /** Starts tracking a child forked with `serviceName` `name`; `report` is called exactly once. */
  track(name: string, report: (exit: ChildExit) => void): TrackedChild {
    const child: Tracked = { name, report, pid: undefined, exitCode: undefined, timer: undefined, ended: false };
    this.children.push(child);
    return {
      spawned: (pid) => {
        if (!child.ended) child.pid = pid;
      },
      exited: (code) => {
        if (child.ended || child.exitCode !== undefined) return;
        // A clean exit has no child-process-gone; any other waits a moment for the reason.
        if (code === 0) return this.end(child, childExit(code, undefined));
        child.exitCode = code;
        const timers = this.options.timers ?? SYSTEM_TIMERS;
        child.timer = timers.setTimeout(
          () => this.end(child, childExit(code, undefined)),
          this.options.graceMs ?? GONE_GRACE_MS,
        );
      },
    };
  }

  /** `app`'s `child-process-gone`: given to the child it is about, if it is one of ours. */
  gone(details: Pick<Details, 'type' | 'reason' | 'exitCode' | 'name'>): void {
    if (details.type !== 'Utility' || details.name === undefined) return;
    const child = this.ownerOf(details);
    if (!child) return;
    const exit = childExit(child.exitCode ?? details.exitCode, details);
    this.end(child, details.reason === 'launch-failed' ? { reason: 'launch-failed' } : exit);
  }

  /**
   * Which child a report is about: the oldest unreported one of that name that is known to have
   * ended (its `exit` came, or its pid is no longer alive); for a failed launch, the oldest of that
   * name that never spawned. A late report about a child already reported is dropped, never pinned
   * on a newer one that is running.
   */
  private ownerOf(details: Pick<Details, 'reason' | 'name'>): Tracked | undefined {
    const isAlive = this.options.isAlive ?? processIsAlive;
    const named = this.children.filter((child) => !child.ended && child.name === details.name);
    if (details.reason === 'launch-failed') return named.find((child) => child.pid === undefined);
    return (
      named.find((child) => child.exitCode !== undefined) ??
      named.find((child) => child.pid !== undefined && !isAlive(child.pid))
    );
  }

  private end(child: Tracked, exit: ChildExit): void {
    if (child.ended) return;
    child.ended = true;
    if (child.timer !== undefined) (this.options.timers ?? SYSTEM_TIMERS).clearTimeout(child.timer);
    this.children.splice(this.children.indexOf(child), 1);
    child.report(exit);
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else (a reused pid is not ours, but it is alive).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
