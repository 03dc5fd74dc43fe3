// The toolbar's "Experiments" button: opens the Processes drawer on the Experiments view, or closes it
// when that view is already shown (as the status bar's Processes button toggles the drawer).
import { PROCESS_PANEL_ID } from '../process-drawer/panel-views.ts';
import { Icon } from '../shared/icons.tsx';
import './experiments.css';

export function ExperimentsButton({
  shown,
  disabled,
  onToggle,
}: {
  /** The drawer shows the Experiments view now. */
  shown: boolean;
  disabled: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      className={`action-button experiments-button${shown ? ' active' : ''}`}
      title="Run a fault-injection experiment against this browser and see its report"
      aria-expanded={shown}
      aria-controls={shown ? PROCESS_PANEL_ID : undefined}
      disabled={disabled}
      onClick={onToggle}
    >
      <Icon name="flask" size={16} />
      <span>Experiments</span>
    </button>
  );
}
