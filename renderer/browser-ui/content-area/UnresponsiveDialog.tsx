// Chrome's "Page unresponsive" dialog, modal to its tab only: the rest of the browser stays usable.
// Wait asks again later; Stop ends the script (or, failing that, the renderer process).
import { useEffect, useId, useRef } from 'react';
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { tabTitle } from '../connection/view-model.ts';
import { usePaintedReport } from './use-painted-report.ts';

export function UnresponsiveDialog({ tab, onWait, onStop }: { tab: TabInfo; onWait: () => void; onStop: () => void }) {
  const headingId = useId();
  const descriptionId = useId();
  const waitRef = useRef<HTMLButtonElement>(null);
  const title = tabTitle(tab);
  // Once per time the dialog appears for this tab (it unmounts when the tab answers again).
  usePaintedReport(tab.id, 'unresponsive-dialog', undefined);

  useEffect(() => {
    // Take focus, unless the user is typing somewhere else (the omnibox).
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('[data-tab-panel]')) waitRef.current?.focus();
  }, [tab.id]);

  return (
    <div className="overlay scrim">
      <div className="dialog" role="dialog" aria-labelledby={headingId} aria-describedby={descriptionId}>
        <h2 id={headingId} className="dialog-title">
          Page unresponsive
        </h2>
        <div id={descriptionId} className="dialog-body">
          <p>
            <strong>{title}</strong> isn&rsquo;t responding.
          </p>
          <p className="dialog-note">
            You can wait for it to become responsive or stop it. Its renderer process
            {tab.pid === undefined ? '' : ` (pid ${tab.pid})`} is busy; the other tabs keep running.
          </p>
        </div>
        <div className="dialog-buttons">
          <button type="button" className="button" onClick={onStop}>
            Stop
          </button>
          <button ref={waitRef} type="button" className="button primary" onClick={onWait}>
            Wait
          </button>
        </div>
      </div>
    </div>
  );
}
