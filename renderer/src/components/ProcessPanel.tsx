// The Processes drawer: every process the browser knows, as a table.
// ---------------------------------------------------------------------------------------------
// PLACEHOLDER for the lab's big panels: the full task manager (CPU, memory, End process), the
// IPC inspector and the architecture map will live in this drawer. Keep it a plain table until then.
// ---------------------------------------------------------------------------------------------
import { useId } from 'react';
import type { BrowserView } from '../browser-state.ts';
import { processRows } from '../view-model.ts';
import { Icon } from './icons.tsx';

export const PROCESS_PANEL_ID = 'processes-panel';

export function ProcessPanel({ view, onClose }: { view: BrowserView; onClose: () => void }) {
  const headingId = useId();
  const rows = processRows(view.processes);
  return (
    <section className="process-panel" id={PROCESS_PANEL_ID} aria-labelledby={headingId}>
      <header className="panel-header">
        <h2 id={headingId} className="panel-title">
          Processes
        </h2>
        <span className="panel-note">Task manager, IPC inspector and architecture map: coming here.</span>
        <button type="button" className="icon-button" aria-label="Close Processes" onClick={onClose}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="panel-body">
        <table className="process-table">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Label</th>
              <th scope="col" className="numeric">
                PID
              </th>
              <th scope="col">State</th>
              <th scope="col" className="numeric">
                Restarts
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className={row.ended ? 'ended' : undefined}>
                <td>{row.kind}</td>
                <th scope="row" className="process-label">
                  {row.label}
                </th>
                <td className="numeric">{row.pid}</td>
                <td>
                  <span className={`state state-${row.ended ? 'ended' : row.state.replace(/\s+/g, '-')}`}>{row.state}</span>
                </td>
                <td className="numeric">{row.restarts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
