// The Experiments view: pick a scenario (its hypothesis beside it), set the options, Run it against this
// browser, watch its trials land (a table and a live plot of the scenario's first latency), Stop it, and
// open its report in a tab once written. One view of the Processes drawer (process-drawer/); the runner
// is the browser's (BrowserUiService.startExperiment), this only asks and shows.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { EXPERIMENT_TRIALS_MAX, type ExperimentProgress } from '../../../protocol/interfaces/ui-browser.ts';
import { errorCode, errorMessage } from '../connection/browser-connection.ts';
import { useBrowserClient } from '../connection/use-browser.ts';
import { Icon } from '../shared/icons.tsx';
import { usePolling } from '../shared/use-polling.ts';
import {
  blastRadius,
  defaultForm,
  exitLabel,
  formatMs,
  isActive,
  latencyOf,
  plotPoints,
  plottedLatency,
  requestFromForm,
  SCENARIO_NAMES,
  SCENARIOS,
  statusLine,
  type ExperimentForm,
} from './experiments.ts';
import { drawLatencyPlot, type LatencyPlot } from './latency-plot.ts';
import './experiments.css';

/** How often the view asks for progress while an experiment runs, and while none does. */
export const RUNNING_POLL_MS = 400;
export const IDLE_POLL_MS = 2000;

/** Polls getExperiment while mounted (faster while one runs); `refresh` asks at once, after Run or Stop. */
function useExperimentProgress(): { progress: ExperimentProgress | undefined; refresh: () => void } {
  const client = useBrowserClient();
  const [progress, setProgress] = useState<ExperimentProgress | undefined>(undefined);
  const active = isActive(progress?.experiment?.state);
  const read = () => client.call('getExperiment', { lastTrials: EXPERIMENT_TRIALS_MAX });
  usePolling(
    async (signal) => {
      const next = await read();
      if (!signal.aborted) setProgress(next);
    },
    active ? RUNNING_POLL_MS : IDLE_POLL_MS,
  );
  // A failed read is left to the next poll.
  return { progress, refresh: () => void read().then(setProgress, () => {}) };
}

function LivePlot({ plot, label }: { plot: LatencyPlot; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) drawLatencyPlot(ref.current, plot);
  }, [plot]);
  return <div ref={ref} className="experiment-plot" role="img" aria-label={label} />;
}

function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="experiment-field" title={hint}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

function NumberField(props: {
  label: string;
  hint: string;
  value: string;
  min: number;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <input
          id={id}
          type="number"
          min={props.min}
          inputMode="numeric"
          value={props.value}
          disabled={props.disabled}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function Experiments({
  tabs,
  close,
  viewId,
  tabId,
}: {
  tabs: ReactNode;
  close: ReactNode;
  viewId: string;
  tabId: string;
}) {
  const client = useBrowserClient();
  const { progress, refresh } = useExperimentProgress();
  const [form, setForm] = useState<ExperimentForm>(() => defaultForm());
  const [failure, setFailure] = useState<{ message: string; code: string | undefined } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const hypothesisId = useId();

  const experiment = progress?.experiment;
  const runner = progress?.runner ?? true;
  const active = isActive(experiment?.state);
  const checked = requestFromForm(form);
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const latency = plottedLatency(experiment?.latencies ?? [], asked);
  const points = plotPoints(experiment?.trials ?? [], latency);
  const set = (changes: Partial<ExperimentForm>) => {
    setForm((current) => ({ ...current, ...changes }));
    setFailure(undefined);
  };
  /** A number field's value, bounds and change for one of the form's numeric fields. */
  const numberProps = (key: 'trials' | 'tabs' | 'faults' | 'seed', min: number) => ({
    value: form[key],
    min,
    disabled: active,
    onChange: (value: string) => set({ [key]: value }),
  });

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
    } catch (error) {
      setFailure({ message: errorMessage(error), code: errorCode(error) });
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const run = () => {
    if (checked.ok) void act(() => client.call('startExperiment', checked.request));
  };
  const stop = () => {
    if (experiment) void act(() => client.call('stopExperiment', { id: experiment.id }));
  };
  const openReport = () => {
    if (experiment?.report) void client.perform('openTab', { url: experiment.report.url });
  };

  return (
    <>
      <header className="panel-header">
        {tabs}
        <span className="panel-note">
          Fault-injection experiments against this browser: each trial injects the fault, a control arm runs the same
          steps without it.
        </span>
        {close}
      </header>
      <div className="panel-body experiments" role="tabpanel" id={viewId} aria-labelledby={tabId}>
        <form
          className="experiment-form"
          aria-label="Experiment"
          onSubmit={(event) => {
            event.preventDefault();
            run();
          }}
        >
          <Field label="Scenario">
            {(id) => (
              <select
                id={id}
                value={form.scenario}
                aria-describedby={hypothesisId}
                disabled={active}
                onChange={(event) => set({ scenario: event.target.value as ExperimentForm['scenario'] })}
              >
                {SCENARIO_NAMES.map((name) => (
                  <option key={name} value={name}>
                    {SCENARIOS[name].label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <p className="experiment-hypothesis" id={hypothesisId}>
            {SCENARIOS[form.scenario].hypothesis}
          </p>
          <div className="experiment-options">
            <NumberField label="Trials" hint="Trials per arm" {...numberProps('trials', 1)} />
            <NumberField
              label="Tabs"
              hint="Tabs open during each trial: the target and the others"
              {...numberProps('tabs', 1)}
            />
            {form.scenario === 'chaos' && (
              <NumberField label="Faults" hint="How many faults chaos injects" {...numberProps('faults', 1)} />
            )}
            <NumberField
              label="Seed"
              hint="Every random choice of the run comes from it: the same seed repeats a run"
              {...numberProps('seed', 0)}
            />
            <label className="experiment-check">
              <input
                type="checkbox"
                checked={form.control}
                disabled={active}
                onChange={(event) => set({ control: event.target.checked })}
              />
              Control arm
            </label>
          </div>
          <div className="experiment-actions">
            {active ? (
              <button
                type="button"
                className="button"
                disabled={busy || experiment?.state !== 'running'}
                onClick={stop}
              >
                Stop
              </button>
            ) : (
              <button type="submit" className="button primary" disabled={busy || !runner || !checked.ok}>
                Run
              </button>
            )}
            {experiment?.report && !active && (
              <button type="button" className="button" onClick={openReport}>
                Open report
              </button>
            )}
          </div>
          {!checked.ok && !active && (
            <p className="experiment-problem" role="alert">
              {checked.errors.join('; ')}
            </p>
          )}
          {failure && (
            <p className="experiment-problem" role="alert">
              <Icon name="error" size={16} />
              {failure.message}
              {failure.code && <code>{failure.code}</code>}
            </p>
          )}
        </form>
        <section className="experiment-results" aria-label="Experiment results">
          <p
            className={`experiment-status state-${experiment?.state ?? 'idle'}`}
            role="status"
            aria-label="Experiment status"
            data-state={experiment?.state ?? 'idle'}
            data-runner={progress === undefined ? undefined : progress.runner ? 'yes' : 'no'}
          >
            {statusLine(experiment, runner)}
          </p>
          {experiment?.hypothesis && <p className="experiment-hypothesis">{experiment.hypothesis}</p>}
          {experiment?.verdict && !experiment.verdict.holds && experiment.verdict.reasons.length > 0 && (
            <ul className="experiment-reasons" aria-label="Why the hypothesis did not hold">
              {experiment.verdict.reasons.map((reason, i) => (
                <li key={i}>{reason}</li>
              ))}
            </ul>
          )}
          {experiment?.report && <p className="experiment-file">Report: {experiment.report.file}</p>}
          {latency && experiment && experiment.latencies.length > 1 && (
            <Field label="Plotted latency">
              {(id) => (
                <select id={id} value={latency.name} onChange={(event) => setAsked(event.target.value)}>
                  {experiment.latencies.map((entry) => (
                    <option key={entry.name} value={entry.name} title={entry.description}>
                      {entry.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {latency && (
            <LivePlot
              plot={{ name: latency.name, points }}
              label={`${latency.name} per trial: ${points.length} measured, experiment and control arms`}
            />
          )}
          {experiment && (
            // A latency per column: the table alone scrolls sideways when they outgrow the pane.
            <div className="experiment-trials-scroll">
              <table className="process-table experiment-trials" aria-label="Trials">
                <thead>
                  <tr>
                    <th scope="col">Trial</th>
                    <th scope="col">Arm</th>
                    <th scope="col">Scenario</th>
                    {experiment.latencies.map((entry) => (
                      <th key={entry.name} scope="col" className="numeric" title={entry.description}>
                        {entry.name}
                      </th>
                    ))}
                    <th scope="col">Exit</th>
                    <th scope="col">Blast radius</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {experiment.trials.map((trial) => (
                    <tr key={`${trial.arm}-${trial.index}`} data-trial={trial.index} data-arm={trial.arm}>
                      <th scope="row">{trial.index}</th>
                      <td>{trial.arm}</td>
                      <td>{trial.scenario}</td>
                      {experiment.latencies.map((entry) => (
                        <td key={entry.name} className="numeric">
                          {formatMs(latencyOf(trial, entry))}
                        </td>
                      ))}
                      <td>{exitLabel(trial)}</td>
                      <td>{blastRadius(trial)}</td>
                      <td className={trial.ok ? 'trial-ok' : 'trial-not-ok'} title={trial.note}>
                        {trial.ok ? 'ok' : `not ok${trial.note ? `: ${trial.note}` : ''}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
