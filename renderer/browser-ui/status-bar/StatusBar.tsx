// The status bar: the process model, the OS sandbox (on, or off and why), compositing (GPU process or software), the plugin host, bad
// messages, and the button that opens the Processes panel.
import type { BrowserView } from '../connection/browser-state.ts';
import {
  compositingStatus,
  pluginHostNotice,
  pluginHostStatus,
  processModelLabel,
  sandboxStatus,
} from '../connection/view-model.ts';
import { Icon } from '../shared/icons.tsx';
import { PROCESS_PANEL_ID } from '../process-drawer/panel-views.ts';
import './status-bar.css';

export function StatusBar({
  view,
  panelOpen,
  onTogglePanel,
}: {
  view: BrowserView | undefined;
  panelOpen: boolean;
  onTogglePanel: () => void;
}) {
  const software = view?.gpuMode === 'software';
  const pluginCrashed = view ? pluginHostNotice(view) !== undefined : false;
  const sandbox = view ? sandboxStatus(view) : undefined;
  return (
    <footer className="status-bar">
      {view ? (
        <div className="status-items" role="status" aria-label="Browser status">
          <span className="status-item">{processModelLabel(view)}</span>
          {sandbox && (
            <span
              className={`status-item${sandbox.on ? '' : ' warning'}`}
              data-sandbox={sandbox.on ? 'on' : 'off'}
              title={
                sandbox.on
                  ? 'Tab renderers run in the OS sandbox; the task manager shows what each process measures'
                  : 'Tab renderers run without the OS sandbox'
              }
            >
              <span className={`status-dot ${sandbox.on ? 'ok' : 'warning'}`} aria-hidden="true" />
              {sandbox.text}
            </span>
          )}
          <span className={`status-item${software ? ' warning' : ''}`}>
            <span className={`status-dot ${software ? 'warning' : 'ok'}`} aria-hidden="true" />
            {compositingStatus(view)}
          </span>
          <span className={`status-item${pluginCrashed ? ' error' : ''}`}>
            <span className={`status-dot ${pluginCrashed ? 'error' : 'ok'}`} aria-hidden="true" />
            {pluginHostStatus(view)}
          </span>
          {view.badMessages > 0 && (
            <span className="status-item error">
              {view.badMessages} bad {view.badMessages === 1 ? 'message' : 'messages'}
            </span>
          )}
        </div>
      ) : (
        <div className="status-items" />
      )}
      <button
        type="button"
        className="status-toggle"
        aria-expanded={panelOpen}
        aria-controls={PROCESS_PANEL_ID}
        onClick={onTogglePanel}
        disabled={!view}
      >
        <Icon name="chip" size={14} />
        Processes{view ? ` (${view.processes.length})` : ''}
        <Icon name={panelOpen ? 'expandMore' : 'expandLess'} size={16} />
      </button>
    </footer>
  );
}
