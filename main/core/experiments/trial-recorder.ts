/**
 * One trial as it happens: marks on the core's clock relative to the trial's start, the target's
 * exit, every process that ended meanwhile (from the event log), the other tabs' missed
 * heartbeats, and notes on what was unexpected. `finish()` gives the report's Trial.
 */
import type { ExitReason } from '../../../protocol/interfaces/browser-state.ts';
import type { MarkName, Trial } from '../../../protocol/experiments/report.ts';
import type { Clock } from '../clock.ts';
import type { EventLog } from '../event-log.ts';
import type { HeartbeatWatch } from './heartbeat-watch.ts';

type ProcessDeath = Trial['blastRadius']['processesDied'][number];

export class TrialRecorder {
  readonly startedAt = Date.now();
  private readonly start: number;
  private readonly marks: Partial<Record<MarkName, number>> = {};
  private readonly deaths: ProcessDeath[] = [];
  private readonly notes: string[] = [];
  private exit: Trial['exit'];
  private readonly stopLog: () => void;
  private readonly gaps: { end(): { tabsMissed: number; ticksMissed: number } };
  private failed = false;

  constructor(
    private readonly clock: Clock,
    log: EventLog,
    heartbeats: HeartbeatWatch,
    private readonly info: Pick<Trial, 'index' | 'arm' | 'scenario'> & {
      /** The tabs that are not the target: their missed heartbeats are the blast radius. */
      readonly otherTabs: readonly string[];
      /** Which process ids the fault is meant to end. */
      readonly expectedToEnd: (processId: string) => boolean;
    },
  ) {
    this.start = clock.now();
    this.stopLog = log.onDidRecord((event) => {
      if (event.type !== 'process-exited') return;
      const { process } = event;
      this.deaths.push({
        id: process.id.slice(0, 128),
        kind: process.kind,
        ...(process.pid === undefined ? {} : { pid: process.pid }),
        reason: process.exitReason ?? 'crashed',
        expected: info.expectedToEnd(process.id),
      });
    });
    this.gaps = heartbeats.watchGaps(info.otherTabs);
  }

  /** Milliseconds since the trial started, on the core's clock. */
  elapsed(at = this.clock.now()): number {
    return at - this.start;
  }

  /** Sets `name` at `at` (the core clock's reading; now by default). The first setting counts. */
  mark(name: MarkName, at = this.clock.now()): void {
    if (this.marks[name] === undefined) this.marks[name] = Math.max(0, at - this.start);
  }

  has(name: MarkName): boolean {
    return this.marks[name] !== undefined;
  }

  setExit(reason: ExitReason, code: string | undefined): void {
    this.exit = { reason, ...(code === undefined ? {} : { code: code.slice(0, 64) }) };
  }

  /** Something unexpected: noted, and the trial is not ok. */
  fail(note: string): void {
    this.failed = true;
    this.note(note);
  }

  /** A remark that does not fail the trial. */
  note(text: string): void {
    if (this.notes.length < 64) this.notes.push(text.slice(0, 4096));
  }

  get deathsSoFar(): readonly ProcessDeath[] {
    return this.deaths;
  }

  finish(): Trial {
    this.mark('ended');
    this.stopLog();
    const missed = this.gaps.end();
    for (const death of this.deaths) {
      if (!death.expected)
        this.fail(`${death.id} (${death.kind}) ended (${death.reason}) though the fault was not meant to end it`);
    }
    return {
      index: this.info.index,
      arm: this.info.arm,
      scenario: this.info.scenario,
      startedAt: this.startedAt,
      marks: { ...this.marks },
      ...(this.exit ? { exit: this.exit } : {}),
      blastRadius: {
        otherTabs: this.info.otherTabs.length,
        otherTabsMissedTicks: missed.tabsMissed,
        ticksMissed: missed.ticksMissed,
        processesDied: this.deaths.slice(0, 1024),
      },
      ok: !this.failed,
      notes: [...this.notes],
    };
  }
}
