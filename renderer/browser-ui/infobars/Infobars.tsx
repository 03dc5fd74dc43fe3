// Bars between the toolbar and the page, as Chrome's infobars: the plugin host crashed (with
// "Restart plugins"), and an action the browser refused.
import { useId } from 'react';
import type { ActionError } from '../connection/browser-connection.ts';
import { Icon } from '../shared/icons.tsx';
import './infobars.css';

export function PluginHostInfobar({ recentCrashes, onRestart }: { recentCrashes: number; onRestart: () => void }) {
  const titleId = useId();
  return (
    <div className="infobar" role="status" aria-labelledby={titleId}>
      <Icon name="puzzle" size={18} className="infobar-icon warning" />
      <div className="infobar-text">
        <strong id={titleId}>Plugin host crashed</strong>
        <span className="infobar-detail">
          Plugins in every tab stopped; the tabs themselves keep running.
          {recentCrashes > 1 ? ` It crashed ${recentCrashes} times recently.` : ''}
        </span>
      </div>
      <button type="button" className="button" onClick={onRestart}>
        Restart plugins
      </button>
    </div>
  );
}

const ACTION_NAMES: Record<string, string> = {
  openTab: 'Opening a tab',
  closeTab: 'Closing the tab',
  selectTab: 'Selecting the tab',
  reload: 'Reload',
  goBack: 'Back',
  goForward: 'Forward',
  crashTab: 'Crash this tab',
  hangTab: 'Hang this tab',
  killTab: 'Kill process',
  waitTab: 'Wait',
  stopTab: 'Stop',
  restartPluginHost: 'Restart plugins',
};

export function ActionErrorInfobar({ error, onDismiss }: { error: ActionError; onDismiss: () => void }) {
  const titleId = useId();
  return (
    <div className="infobar error" role="alert" aria-labelledby={titleId}>
      <Icon name="error" size={18} className="infobar-icon error" />
      <div className="infobar-text">
        <strong id={titleId}>{ACTION_NAMES[error.method] ?? error.method} failed</strong>
        <span className="infobar-detail">
          {error.message}
          {error.code ? ` (${error.code})` : ''}
        </span>
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="close" size={18} />
      </button>
    </div>
  );
}
