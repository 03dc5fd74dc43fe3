// "Restore tabs?" after the browser ended uncleanly (Chrome's "Restore pages?" bubble), or the one
// line saying the saved session could not be read. An infobar rather than a floating bubble: under
// the Electron shell the tab is a view above the UI page, and would hide anything drawn over it.
import { useId } from 'react';
import type { SessionNotice } from '../../../protocol/session/session-notice.ts';
import { Icon } from '../shared/icons.tsx';
import { noticeText } from './session-restore-text.ts';
import './session-restore.css';

export function SessionRestoreInfobar({
  notice,
  onRestore,
  onDismiss,
}: {
  notice: SessionNotice;
  onRestore: () => void;
  onDismiss: () => void;
}) {
  const titleId = useId();
  const detailId = useId();
  const text = noticeText(notice);
  const offer = notice.kind === 'offer';
  return (
    <div
      className={`infobar session-restore ${offer ? 'offer' : 'unreadable'}`}
      role={offer ? 'dialog' : 'status'}
      aria-labelledby={titleId}
      aria-describedby={detailId}
    >
      <Icon name={offer ? 'reload' : 'error'} size={18} className={`infobar-icon ${offer ? 'info' : 'warning'}`} />
      <div className="infobar-text">
        <strong id={titleId}>{text.title}</strong>
        <span id={detailId} className="infobar-detail">
          {text.detail}
        </span>
      </div>
      {offer && (
        <button type="button" className="button primary" onClick={onRestore}>
          Restore
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="close" size={18} />
      </button>
    </div>
  );
}
