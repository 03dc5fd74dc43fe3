/**
 * Every child process the browser process knows: kind, pid, state, how it ended, how often it was
 * restarted. Each change is recorded in the event log, so the registry and the history never
 * disagree.
 */
import type { ExitReason, ProcessInfo, ProcessKind, ProcessState } from '../../protocol/interfaces/browser-state.ts';
import type { EventLog } from './event-log.ts';

export interface ChildExit {
  readonly reason: ExitReason;
  /** The exit code, when it exited with one. */
  readonly code?: number;
  /** The signal that ended it, when one did. */
  readonly signal?: string;
}

const ENDED: ReadonlySet<ProcessState> = new Set(['crashed', 'killed', 'exited']);

/** The state a process is in after it ended for `reason`. */
export function stateAfterExit(reason: ExitReason): ProcessState {
  switch (reason) {
    case 'clean-exit':
      return 'exited';
    case 'killed':
    case 'bad-message':
      return 'killed';
    default:
      return 'crashed';
  }
}

export class ProcessRegistry {
  private readonly processes = new Map<string, ProcessInfo>();

  constructor(
    private readonly log: EventLog,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * A process starts (or a role starts again: same id, restarts + 1). `role.standby`: it is started
   * ahead of need and idles until promoted or taken (ProcessInfo.standby: the
   * hot-standby GPU process, a spare renderer).
   */
  launched(
    id: string,
    kind: ProcessKind,
    label: string,
    pid?: number,
    role: Pick<ProcessInfo, 'standby'> = {},
  ): ProcessInfo {
    const previous = this.processes.get(id);
    const info: ProcessInfo = {
      id,
      kind,
      label,
      startedAt: this.now(),
      state: 'starting',
      restarts: previous ? previous.restarts + 1 : 0,
      ...(pid === undefined ? {} : { pid }),
      ...(role.standby ? { standby: true } : {}),
    };
    this.processes.set(id, info);
    this.log.record({ type: 'process-launched', process: info });
    return info;
  }

  /** Fills in what became known after launch (a pid, a new label) without an event of its own. */
  update(id: string, changes: Partial<Pick<ProcessInfo, 'pid' | 'label'>>): ProcessInfo | undefined {
    const info = this.processes.get(id);
    if (!info) return undefined;
    const updated = { ...info, ...changes };
    this.processes.set(id, updated);
    return updated;
  }

  setState(id: string, state: 'running' | 'unresponsive'): void {
    const info = this.processes.get(id);
    if (!info || info.state === state || ENDED.has(info.state)) return;
    const updated = { ...info, state };
    this.processes.set(id, updated);
    this.log.record({ type: 'process-state-changed', process: updated, previous: info.state });
  }

  /** The process ended. `expected` when the browser itself ended it on purpose (closing, shutdown). */
  exited(id: string, exit: ChildExit, expected: boolean): ProcessInfo | undefined {
    const info = this.processes.get(id);
    if (!info || ENDED.has(info.state)) return info;
    const { exitCode, exitSignal, ...rest } = info;
    const updated: ProcessInfo = {
      ...rest,
      state: stateAfterExit(exit.reason),
      exitReason: exit.reason,
      ...(exit.code === undefined ? {} : { exitCode: exit.code }),
      ...(exit.signal === undefined ? {} : { exitSignal: exit.signal }),
    };
    this.processes.set(id, updated);
    this.log.record({ type: 'process-exited', process: updated, expected });
    return updated;
  }

  /** Forgets a process that ended and whose owner is gone (a closed tab's renderer, a spare taken by a tab). */
  remove(id: string): void {
    this.processes.delete(id);
  }

  get(id: string): ProcessInfo | undefined {
    return this.processes.get(id);
  }

  list(): ProcessInfo[] {
    return [...this.processes.values()];
  }
}
