/**
 * The browser's side of the Experiments view: at most one experiment at a time, started through the
 * runner the shell gives (`startExperiment`, main/core/experiments/), its trials kept as they land,
 * its report written through the shell (`saveReport`: the core has no file system) and then found
 * at `lab://reports/<id>`. The view reads it all through `progress()` (BrowserUiService.getExperiment).
 */
import type { Report } from '../../protocol/experiments/report.ts';
import { checkExperimentRequest } from '../../protocol/experiments/request.ts';
import { reportUrl } from '../../protocol/experiments/report-url.ts';
import {
  EXPERIMENT_TRIALS_MAX,
  ExperimentErrorCode,
  type ExperimentProgress,
  type ExperimentState,
  type ExperimentTrialRow,
} from '../../protocol/interfaces/ui-browser.ts';
import { CodedError } from '../../protocol/rpc/errors.ts';
import type { ExperimentRequest, ExperimentRun } from './experiments/experiment-run.ts';

/** Where a report was written: the shell's file for it (shown to the user). */
export interface SavedReport {
  readonly file: string;
}

export interface ExperimentControlOptions {
  /** The runner; absent where the shell has none (startExperiment is then NO_EXPERIMENT_RUNNER). */
  readonly startExperiment?: ((request: ExperimentRequest) => ExperimentRun) | undefined;
  /**
   * Writes the report's files where `lab://reports/<report.id>` serves them; rejects (the experiment is
   * then failed, saying why) for an id that cannot name a file (protocol/experiments/report-url.ts).
   */
  readonly saveReport: (report: Report) => Promise<SavedReport>;
}

type Experiment = NonNullable<ExperimentProgress['experiment']>;

/** One experiment as the control follows it. */
interface Followed {
  readonly run: ExperimentRun;
  state: ExperimentState;
  /** The newest trials, at most EXPERIMENT_TRIALS_MAX. */
  readonly trials: ExperimentTrialRow[];
  trialsDone: number;
  final: Report | undefined;
  saved: SavedReport | undefined;
  error: string | undefined;
  stopListening: () => void;
  /** Settles once the report is written or the run failed. */
  finished: Promise<void>;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A report's trial as the view lists it (ui-browser.ts, ExperimentTrialRow). */
export function trialRow(trial: Report['trials'][number]): ExperimentTrialRow {
  const [note] = trial.notes;
  return {
    index: trial.index,
    arm: trial.arm,
    scenario: trial.scenario,
    startedAt: trial.startedAt,
    marks: trial.marks,
    ...(trial.exit ? { exit: trial.exit } : {}),
    ok: trial.ok,
    otherTabsMissedTicks: trial.blastRadius.otherTabsMissedTicks,
    ticksMissed: trial.blastRadius.ticksMissed,
    processesDied: trial.blastRadius.processesDied.length,
    ...(note === undefined ? {} : { note: cut(note, 256) }),
  };
}

export class ExperimentControl {
  private current: Followed | undefined;
  private disposed = false;

  constructor(private readonly options: ExperimentControlOptions) {}

  get hasRunner(): boolean {
    return this.options.startExperiment !== undefined;
  }

  /** Starts one; refused while another runs, without a runner, or for a request the check refuses. */
  start(request: unknown): { id: string } {
    const { startExperiment } = this.options;
    if (!startExperiment) {
      throw new CodedError(
        ExperimentErrorCode.NO_EXPERIMENT_RUNNER,
        'This shell was started without an experiment runner',
      );
    }
    if (this.current && this.isActive(this.current.state)) {
      throw new CodedError(
        ExperimentErrorCode.EXPERIMENT_RUNNING,
        `Experiment ${this.current.run.id} is still running: stop it or wait for its report`,
      );
    }
    const checked = checkExperimentRequest(request);
    if (!checked.ok) throw new CodedError(ExperimentErrorCode.BAD_EXPERIMENT_REQUEST, checked.errors.join('; '));
    let run: ExperimentRun;
    try {
      run = startExperiment(checked.request);
    } catch (error) {
      // The runner refuses synchronously only what it cannot run (a scenario's own minimum of tabs...).
      throw new CodedError(ExperimentErrorCode.BAD_EXPERIMENT_REQUEST, (error as Error)?.message ?? String(error));
    }
    const followed: Followed = {
      run,
      state: 'running',
      trials: [],
      trialsDone: 0,
      final: undefined,
      saved: undefined,
      error: undefined,
      stopListening: () => {},
      finished: Promise.resolve(),
    };
    followed.stopListening = run.onDidFinishTrial((trial) => {
      followed.trialsDone++;
      followed.trials.push(trialRow(trial));
      if (followed.trials.length > EXPERIMENT_TRIALS_MAX) followed.trials.shift();
    });
    this.current = followed;
    followed.finished = this.finish(followed);
    return { id: run.id };
  }

  /** Stop: the runner ends after its current step; its report keeps what was measured. */
  stop(id: string): void {
    const followed = this.current;
    if (!followed || followed.run.id !== id || !this.isActive(followed.state)) {
      throw new CodedError(ExperimentErrorCode.NO_SUCH_EXPERIMENT, `No running experiment ${id}`);
    }
    if (followed.state === 'running') {
      followed.state = 'stopping';
      followed.run.stop();
    }
  }

  /** The running or last experiment, with its newest `lastTrials` trials. */
  progress(lastTrials: number): ExperimentProgress {
    const followed = this.current;
    return {
      runner: this.hasRunner,
      ...(followed ? { experiment: this.describe(followed, lastTrials) } : {}),
    };
  }

  /**
   * The current experiment once its report is written (state done) or it failed: how the command line's
   * experiment (Electron's --lab-experiment) waits for the same path the view's takes.
   */
  async settled(): Promise<Experiment | undefined> {
    const followed = this.current;
    if (!followed) return undefined;
    await followed.finished;
    return this.describe(followed, 0);
  }

  /** Stops a running experiment (the browser is closing); its report is still written if it can be. */
  dispose(): void {
    this.disposed = true;
    if (this.current?.state === 'running') {
      this.current.state = 'stopping';
      this.current.run.stop();
    }
  }

  private isActive(state: ExperimentState): boolean {
    return state === 'running' || state === 'stopping' || state === 'writing';
  }

  private async finish(followed: Followed): Promise<void> {
    try {
      const report = await followed.run.done;
      followed.final = report;
      followed.stopListening();
      // The report is the truth: a trial whose event was missed still counts.
      followed.trialsDone = Math.max(followed.trialsDone, report.trials.length);
      followed.trials.splice(0, followed.trials.length, ...report.trials.slice(-EXPERIMENT_TRIALS_MAX).map(trialRow));
      followed.state = 'writing';
      followed.saved = await this.options.saveReport(report);
      followed.state = 'done';
    } catch (error) {
      followed.stopListening();
      followed.state = 'failed';
      followed.error = cut(
        `${followed.final ? 'The report could not be written' : 'The experiment failed'}: ${(error as Error)?.message ?? String(error)}`,
        1024,
      );
      if (!this.disposed) console.error(`[experiments] ${followed.error}`);
    }
  }

  private describe(followed: Followed, lastTrials: number): Experiment {
    const { run } = followed;
    let report: Report | undefined = followed.final;
    if (!report) {
      try {
        report = run.report();
      } catch {
        report = undefined; // a runner that cannot describe itself yet: show what the control kept
      }
    }
    const trials = lastTrials > 0 ? followed.trials.slice(-lastTrials) : [];
    return {
      id: run.id,
      request: {
        scenario: run.request.scenario,
        trials: run.request.trials,
        tabs: run.request.tabs,
        seed: run.request.seed,
        ...(run.request.faults === undefined ? {} : { faults: run.request.faults }),
        ...(run.request.control === undefined ? {} : { control: run.request.control }),
      },
      state: followed.state,
      hypothesis: cut(report?.hypothesis ?? '', 4096),
      trialsDone: followed.trialsDone,
      trials,
      latencies: (report?.latencies ?? []).slice(0, 32).map((latency) => ({
        name: latency.name,
        from: latency.from,
        to: latency.to,
        description: cut(latency.description, 512),
      })),
      summaries: (report?.summaries ?? []).slice(0, 64),
      ...(followed.final
        ? {
            verdict: {
              holds: followed.final.verdict.holds,
              reasons: followed.final.verdict.reasons.slice(0, 16).map((reason) => cut(reason, 512)),
            },
          }
        : {}),
      interrupted: followed.final?.interrupted ?? followed.state === 'stopping',
      ...(followed.saved && followed.final
        ? { report: { url: reportUrl(followed.final.id), file: cut(followed.saved.file, 1024) } }
        : {}),
      ...(followed.error ? { error: followed.error } : {}),
    };
  }
}
