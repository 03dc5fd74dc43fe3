// Chrome's sad tab, shown over a tab whose renderer process ended: what happened, the error code,
// and Reload (which starts a new renderer process).
import { useId } from 'react';
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import type { BrowserView } from '../connection/browser-state.ts';
import { sadTabText } from '../connection/view-model.ts';
import { SadTabPicture } from '../shared/icons.tsx';
import { usePaintedReport } from './use-painted-report.ts';

export function SadTab({ tab, view, onReload }: { tab: TabInfo; view: BrowserView; onReload: () => void }) {
  const text = sadTabText(tab, view);
  const headingId = useId();
  usePaintedReport(tab.id, 'sad-tab', tab.crash?.at);
  return (
    <div
      className="overlay sad-tab"
      role="region"
      aria-label="Sad tab"
      data-repeated={tab.crash?.repeated || undefined}
    >
      <div className="sad-tab-body">
        <SadTabPicture />
        <h1 id={headingId} className="sad-tab-heading">
          {text.heading}
        </h1>
        <p className="sad-tab-message">{text.message}</p>
        <p className="sad-tab-reason">{text.reason}</p>
        {text.detail && <p className="sad-tab-detail">{text.detail}</p>}
        <p className="sad-tab-code">{text.code}</p>
        <div className="sad-tab-actions">
          <button type="button" className="button primary" onClick={onReload}>
            Reload
          </button>
        </div>
      </div>
    </div>
  );
}
