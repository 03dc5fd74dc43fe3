/**
 * An ExperimentRun settled by hand: the runner as its ways in see it (main/core/experiments/experiment-run.ts),
 * for testing what stands around it (the Experiments view's plumbing), never the runner itself. Its report
 * validates against the real schema (protocol/experiments/report.ts).
 */
import type { Report, Trial } from '../../../protocol/experiments/report.ts';
import { REPORT_KIND, REPORT_SCHEMA_VERSION } from '../../../protocol/experiments/report.ts';
import type { ExperimentRequest, ExperimentRun } from '../experiments/experiment-run.ts';
import { Emitter } from '../emitter.ts';

/** A report for `request` with no trials yet, as a runner starts one. */
export function emptyReport(id: string, request: ExperimentRequest, startedAt = 1_700_000_000_000): Report {
  return {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    id,
    scenario: request.scenario,
    hypothesis: `After ${request.scenario}, the other tabs keep ticking and the target recovers on reload`,
    seed: request.seed,
    options: {
      trials: request.trials,
      tabs: request.tabs,
      ...(request.faults === undefined ? {} : { faults: request.faults }),
      control: request.control ?? true,
    },
    startedAt,
    endedAt: startedAt,
    interrupted: false,
    environment: {
      platform: 'linux',
      arch: 'x64',
      cpuModel: 'test',
      cores: 2,
      kernel: 'test',
      node: 'v24',
      shell: 'chromium',
      browserVersion: 'Chromium test',
      processModel: 'process-per-tab',
      sandbox: { enabled: true },
    },
    clockNote: 'test double: marks are given by the test',
    latencies: [
      {
        name: 'crash-to-sad-tab',
        from: 'injected',
        to: 'uiPainted',
        description: 'fault to the sad tab painted',
      },
    ],
    steadyState: { before: { at: startedAt, checks: [] } },
    trials: [],
    summaries: [],
    verdict: { holds: false, reasons: ['not finished'] },
  };
}

/** A trial that went as expected, `uiPainted` after `painted` ms. */
export function okTrial(
  index: number,
  arm: Trial['arm'],
  painted: number,
  scenario: Trial['scenario'] = 'tab-crash',
): Trial {
  return {
    index,
    arm,
    scenario,
    startedAt: 1_700_000_000_000 + index * 1000,
    marks:
      arm === 'experiment'
        ? { injected: 0, observed: painted / 2, uiPainted: painted, ended: painted + 5 }
        : { ended: 5 },
    ...(arm === 'experiment' ? { exit: { reason: 'crashed' as const, code: 'RESULT_CODE_CRASHED' } } : {}),
    blastRadius: { otherTabs: 2, otherTabsMissedTicks: 0, ticksMissed: 0, processesDied: [] },
    ok: true,
    notes: [],
  };
}

export class FakeExperimentRun implements ExperimentRun {
  private readonly trialLanded = new Emitter<Trial>();
  private readonly current: Report;
  private settle!: (report: Report) => void;
  private reject!: (error: Error) => void;
  readonly done: Promise<Report>;
  /** How many times stop() was called. */
  stops = 0;

  constructor(
    readonly id: string,
    readonly request: ExperimentRequest,
  ) {
    this.current = emptyReport(id, request);
    this.done = new Promise<Report>((resolve, reject) => {
      this.settle = resolve;
      this.reject = reject;
    });
  }

  report(): Report {
    return structuredClone(this.current);
  }

  onDidFinishTrial(listener: (trial: Trial) => void): () => void {
    return this.trialLanded.event(listener);
  }

  /** A trial lands, as the runner reports one. */
  land(trial: Trial): void {
    this.current.trials.push(trial);
    this.trialLanded.fire(trial);
  }

  /** The run ends; its final report with `verdict`. */
  finish(verdict: Report['verdict'] = { holds: true, reasons: [] }): Report {
    const report = { ...this.report(), verdict, endedAt: this.current.startedAt + 1000 };
    this.settle(report);
    return report;
  }

  /** The run fails outright (the runner threw). */
  fail(message: string): void {
    this.reject(new Error(message));
  }

  stop(): void {
    this.stops++;
    this.settle({ ...this.report(), interrupted: true, verdict: { holds: false, reasons: ['stopped'] } });
  }
}
