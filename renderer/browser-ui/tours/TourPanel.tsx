// The guided tour's panel, docked beside the page (non-modal: the browser stays usable): "Step n of
// m", the step's title, what happens and why, where to look, and Do it / Back / Next / Finish /
// End tour. Next waits for the step's condition (computed from the browser's state).
import { useEffect, useId, useRef } from 'react';
import type { TourController } from './use-tour.ts';
import { Icon } from '../shared/icons.tsx';
import './tours.css';

export const TOUR_PANEL_ID = 'guided-tour';

export function TourPanel({ tour }: { tour: TourController }) {
  const { run, status } = tour;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const id = useId();
  const index = run?.index;
  const runId = run?.runId;

  // A new tour takes the focus; a new step takes it when it was in the panel (or nowhere).
  const started = useRef<number | undefined>(undefined);
  useEffect(() => {
    const active = document.activeElement;
    const inPanel = !!active && !!panelRef.current?.contains(active);
    const fresh = started.current !== runId;
    started.current = runId;
    if (fresh || inPanel || !active || active === document.body) headingRef.current?.focus({ preventScroll: true });
  }, [index, runId]);

  if (!run || !status) return null;
  const action = status.step.action;
  const waiting = !status.done;
  return (
    <section
      className="tour-panel"
      id={TOUR_PANEL_ID}
      aria-label="Guided tour"
      ref={panelRef}
      data-tour-id={run.tour.id}
      data-step={status.number}
    >
      <header className="tour-header">
        <Icon name="tour" size={18} className="tour-icon" />
        <div className="tour-heading">
          <div className="tour-name">{run.tour.title}</div>
          <div className="tour-progress" aria-hidden="true">
            {run.tour.steps.map((_, step) => (
              <span
                key={step}
                className={`tour-dot${step < run.index ? ' past' : step === run.index ? ' current' : ''}`}
              />
            ))}
          </div>
        </div>
        <button type="button" className="icon-button" aria-label="End tour" title="End tour" onClick={tour.end}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="tour-body">
        <p className="tour-count" id={`${id}-count`}>
          Step {status.number} of {status.count}
        </p>
        <h2 className="tour-title" tabIndex={-1} ref={headingRef} aria-describedby={`${id}-count`}>
          {status.title}
        </h2>
        <p className="tour-text">{status.text}</p>
        {status.look && (
          <div className="tour-look">
            <Icon name="visibility" size={16} />
            <p>
              <strong>Look at: </strong>
              {status.look}
            </p>
          </div>
        )}
        <div className="tour-status" role="status">
          {status.busy ? (
            <span className="tour-state busy">
              <span className="spinner" aria-hidden="true" />
              {action?.label ?? 'Working'}…
            </span>
          ) : waiting ? (
            <span className="tour-state waiting">
              <Icon name="hourglass" size={16} />
              Waiting for {status.step.waitingFor ?? 'this step'}
            </span>
          ) : status.achieved ? (
            <span className="tour-state done">
              <Icon name="check" size={16} />
              Done
            </span>
          ) : null}
        </div>
        {run.error && (
          <p className="tour-error" role="alert">
            <Icon name="error" size={16} />
            {run.error}
          </p>
        )}
      </div>
      <footer className="tour-footer">
        {action && (
          <button
            type="button"
            className={`button${status.achieved ? '' : ' primary'}`}
            title={action.label}
            disabled={status.busy || status.achieved}
            onClick={tour.doIt}
          >
            Do it
          </button>
        )}
        <span className="tour-footer-space" />
        <button type="button" className="button" disabled={status.first} onClick={tour.back}>
          Back
        </button>
        {status.last ? (
          <button type="button" className={`button${waiting ? '' : ' primary'}`} disabled={waiting} onClick={tour.end}>
            Finish
          </button>
        ) : (
          <button
            type="button"
            className={`button${waiting || (action && !status.achieved) ? '' : ' primary'}`}
            disabled={waiting}
            onClick={tour.next}
          >
            Next
          </button>
        )}
      </footer>
    </section>
  );
}
