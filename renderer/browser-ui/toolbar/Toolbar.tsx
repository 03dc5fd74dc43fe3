// The toolbar: Back, Forward, Reload, the omnibox, and the lab's actions on the selected tab.
import { useId, useRef, useState, type ReactNode, type Ref } from 'react';
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { errorCode, errorMessage } from '../connection/browser-connection.ts';
import { useBrowserClient } from '../connection/use-browser.ts';
import { Icon, type IconName } from '../shared/icons.tsx';
import './toolbar.css';

function ToolbarButton({
  label,
  icon,
  shortcut,
  disabled,
  onClick,
}: {
  label: string;
  icon: IconName;
  shortcut: string;
  disabled: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="toolbar-button"
      aria-label={label}
      title={`${label} (${shortcut})`}
      disabled={disabled}
      onClick={onClick}
    >
      <Icon name={icon} size={20} />
    </button>
  );
}

function originIcon(url: string): { icon: IconName; label: string } {
  if (url.startsWith('lab://')) return { icon: 'flask', label: 'Built-in lab page' };
  if (url.startsWith('https://')) return { icon: 'lock', label: 'Secure connection' };
  return { icon: 'info', label: 'Not secure' };
}

interface OmniboxError {
  readonly message: string;
  readonly code: string | undefined;
}

/**
 * The omnibox. Shows the tab's URL until the user types; Enter sends the text to the browser,
 * Escape goes back to the URL. Mounted per tab (keyed by its id), so a draft belongs to its tab.
 */
function Omnibox({ tab, inputRef }: { tab: TabInfo | undefined; inputRef: Ref<HTMLInputElement> }) {
  const client = useBrowserClient();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [error, setError] = useState<OmniboxError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const clickFocusing = useRef(false);
  const errorId = useId();
  const url = tab?.url ?? '';
  const origin = originIcon(url);

  const submit = async () => {
    if (!tab) return;
    const text = (draft ?? url).trim();
    if (!text) return;
    setBusy(true);
    setError(undefined);
    try {
      await client.call('omnibox', { tabId: tab.id, text });
      setDraft(undefined);
    } catch (failure) {
      setError({ message: errorMessage(failure), code: errorCode(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`omnibox${error ? ' has-error' : ''}`}>
      <span className="omnibox-origin" title={tab ? origin.label : undefined}>
        {tab && <Icon name={origin.icon} size={16} />}
      </span>
      <input
        ref={inputRef}
        type="text"
        className="omnibox-input"
        aria-label="Address and search bar"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        placeholder={tab ? 'Type a URL: lab://live, https://example.com, chrome://crash' : 'Open a tab to navigate'}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        disabled={!tab}
        value={draft ?? url}
        onChange={(event) => {
          setDraft(event.target.value);
          setError(undefined);
        }}
        onFocus={(event) => event.target.select()}
        onMouseDown={(event) => {
          // A click that focuses the omnibox selects all of it, as Chrome's does: keep the mouseup
          // from collapsing the selection to the caret.
          clickFocusing.current = document.activeElement !== event.currentTarget;
        }}
        onMouseUp={(event) => {
          if (clickFocusing.current) event.preventDefault();
          clickFocusing.current = false;
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            setDraft(undefined);
            setError(undefined);
            event.currentTarget.select();
          }
        }}
        aria-busy={busy || undefined}
      />
      {error && (
        <div className="omnibox-error" data-popup="" id={errorId} role="alert">
          <Icon name="error" size={18} />
          <div>
            <div className="omnibox-error-message">{error.message}</div>
            {error.code && <div className="omnibox-error-code">{error.code}</div>}
          </div>
          <button type="button" className="icon-button small" aria-label="Dismiss" onClick={() => setError(undefined)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
    </div>
  );
}

function ActionButton({
  icon,
  label,
  hint,
  disabled,
  onClick,
}: {
  icon: IconName;
  label: string;
  hint: string;
  disabled: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" className="action-button" title={hint} disabled={disabled} onClick={onClick}>
      <Icon name={icon} size={16} />
      <span>{label}</span>
    </button>
  );
}

interface ToolbarProps {
  readonly tab: TabInfo | undefined;
  readonly omniboxRef: Ref<HTMLInputElement>;
  /** More buttons at the end (the Tours menu). */
  readonly children?: ReactNode;
}

export function Toolbar({ tab, omniboxRef, children }: ToolbarProps) {
  const client = useBrowserClient();
  const forTab = (method: 'goBack' | 'goForward' | 'reload' | 'crashTab' | 'hangTab' | 'killTab') => () => {
    if (tab) client.perform(method, { tabId: tab.id });
  };
  const noTab = !tab;
  const ended = tab?.state === 'crashed';
  return (
    <div className="toolbar">
      <ToolbarButton label="Back" icon="back" shortcut="Alt+Left" disabled={noTab} onClick={forTab('goBack')} />
      <ToolbarButton
        label="Forward"
        icon="forward"
        shortcut="Alt+Right"
        disabled={noTab}
        onClick={forTab('goForward')}
      />
      <ToolbarButton label="Reload" icon="reload" shortcut="Ctrl+R" disabled={noTab} onClick={forTab('reload')} />
      <Omnibox key={tab?.id ?? 'none'} tab={tab} inputRef={omniboxRef} />
      <div className="tab-actions" role="group" aria-label="Tab actions">
        <ActionButton
          icon="bolt"
          label="Crash this tab"
          hint="Make this tab's renderer process crash (chrome://crash)"
          disabled={noTab || ended}
          onClick={forTab('crashTab')}
        />
        <ActionButton
          icon="hourglass"
          label="Hang this tab"
          hint="Make this tab's page spin forever on its main thread (chrome://hang)"
          disabled={noTab || ended}
          onClick={forTab('hangTab')}
        />
        <ActionButton
          icon="power"
          label="Kill process"
          hint="End this tab's renderer process from outside, with SIGKILL (chrome://kill)"
          disabled={noTab || ended}
          onClick={forTab('killTab')}
        />
      </div>
      {children}
    </div>
  );
}
