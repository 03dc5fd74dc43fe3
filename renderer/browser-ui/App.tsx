// The browser UI: tab strip, toolbar (navigation, omnibox, tab actions, Experiments, Tours), infobars, the content
// area the shell puts the tab frames in and the Processes drawer under it (a guided tour's panel
// beside both), and the status bar. Everything it shows comes from the browser process (browser-connection.ts);
// every button asks the browser to act.
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { BrowserClient } from './connection/browser-connection.ts';
import { selectedTab } from './connection/browser-state.ts';
import { ContentArea } from './content-area/ContentArea.tsx';
import { ExperimentsButton } from './experiments/ExperimentsButton.tsx';
import { ActionErrorInfobar, PluginHostInfobar } from './infobars/Infobars.tsx';
import { NoShell } from './NoShell.tsx';
import { ProcessPanel } from './process-drawer/ProcessPanel.tsx';
import { SessionRestoreInfobar } from './session-restore/SessionRestoreInfobar.tsx';
import { DEFAULT_PANEL_VIEW, type PanelView } from './process-drawer/panel-views.ts';
import { StatusBar } from './status-bar/StatusBar.tsx';
import { TabStrip } from './tab-strip/TabStrip.tsx';
import { LabsMenu } from './labs-menu/LabsMenu.tsx';
import { Toolbar } from './toolbar/Toolbar.tsx';
import { TourPanel } from './tours/TourPanel.tsx';
import { ToursMenu } from './tours/ToursMenu.tsx';
import { HighlightContext } from './shared/highlight.ts';
import { commandFor, type Command } from './shortcuts/shortcuts.ts';
import { TOURS } from './tours/index.ts';
import { useTour } from './tours/use-tour.ts';
import { BrowserClientContext, useBrowserSnapshot } from './connection/use-browser.ts';
import { pluginHostNotice } from './connection/view-model.ts';

/** What "New tab" opens. */
export const NEW_TAB_URL = 'lab://live';

export function App({ client }: { client: BrowserClient }) {
  return (
    <BrowserClientContext value={client}>
      <BrowserWindow client={client} />
    </BrowserClientContext>
  );
}

function focusOmnibox(input: HTMLInputElement | null) {
  if (!input || input.disabled) return;
  input.focus();
  input.select();
}

function BrowserWindow({ client }: { client: BrowserClient }) {
  const snapshot = useBrowserSnapshot();
  // The Processes drawer: closed (undefined) or showing one of its views.
  const [panel, setPanel] = useState<PanelView | undefined>(undefined);
  const panelOpen = panel !== undefined;
  const omniboxRef = useRef<HTMLInputElement>(null);
  const view = snapshot.browser;
  const tab = view && selectedTab(view);
  // The guided tour, if one runs: it switches the drawer's view and highlights processes.
  const tour = useTour(client, view, setPanel);

  const newTab = useCallback(() => {
    void client.perform('openTab', { url: NEW_TAB_URL }).then((opened) => {
      // Chrome puts the caret in the omnibox of a new tab.
      if (opened) requestAnimationFrame(() => focusOmnibox(omniboxRef.current));
    });
  }, [client]);

  // A keyboard command, run against the latest state (an effect event: the listener is registered once).
  const run = useEffectEvent((command: Command): boolean => {
    if (!view) return command.type === 'reload'; // never let Ctrl+R reload the UI itself
    const tabs = view.tabs;
    const index = tab ? tabs.indexOf(tab) : -1;
    const select = (to: number) => {
      const target = tabs[(to + tabs.length) % tabs.length];
      if (target && target.id !== tab?.id) client.perform('selectTab', { tabId: target.id });
    };
    switch (command.type) {
      case 'new-tab':
        newTab();
        return true;
      case 'close-tab':
        if (tab) client.perform('closeTab', { tabId: tab.id });
        return true;
      case 'focus-omnibox':
        focusOmnibox(omniboxRef.current);
        return true;
      case 'reload':
        if (tab) client.perform('reload', { tabId: tab.id });
        return true;
      case 'back':
        if (tab) client.perform('goBack', { tabId: tab.id });
        return true;
      case 'forward':
        if (tab) client.perform('goForward', { tabId: tab.id });
        return true;
      case 'next-tab':
        if (tabs.length) select(index + 1);
        return true;
      case 'previous-tab':
        if (tabs.length) select(index - 1);
        return true;
      case 'tab-at':
        if (tabs.length) select(command.index === -1 ? tabs.length - 1 : Math.min(command.index, tabs.length - 1));
        return true;
    }
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const command = commandFor(event);
      if (command && run(command)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);

  if (snapshot.status === 'no-shell') return <NoShell problem={snapshot.problem} />;

  const pluginNotice = view && pluginHostNotice(view);
  return (
    <HighlightContext value={tour.highlight}>
      <div className="browser">
        <TabStrip
          tabs={view?.tabs ?? []}
          selectedTabId={view?.selectedTabId}
          onSelect={(tabId) => client.perform('selectTab', { tabId })}
          onClose={(tabId) => client.perform('closeTab', { tabId })}
          onNewTab={newTab}
        />
        <Toolbar tab={tab} omniboxRef={omniboxRef}>
          <ExperimentsButton
            shown={panel === 'experiments'}
            disabled={!view}
            onToggle={() => setPanel((open) => (open === 'experiments' ? undefined : 'experiments'))}
          />
          <ToursMenu tours={TOURS} activeId={tour.run?.tour.id} disabled={!view} onStart={tour.start} />
          <LabsMenu disabled={!view} />
        </Toolbar>
        {view?.session && (
          <SessionRestoreInfobar
            notice={view.session}
            onRestore={() => client.perform('restoreSession', {})}
            onDismiss={() => client.perform('dismissSessionNotice', {})}
          />
        )}
        {pluginNotice && (
          <PluginHostInfobar
            recentCrashes={pluginNotice.recentCrashes}
            onRestart={() => client.perform('restartPluginHost', {})}
          />
        )}
        {snapshot.actionError && (
          <ActionErrorInfobar
            key={snapshot.actionError.id}
            error={snapshot.actionError}
            onDismiss={() => client.dismissActionError()}
          />
        )}
        <div className="content-row">
          <div className="content-column">
            <ContentArea snapshot={snapshot} onNewTab={newTab} />
            {panel && view && (
              <ProcessPanel view={view} shown={panel} onShow={setPanel} onClose={() => setPanel(undefined)} />
            )}
          </div>
          {tour.run && <TourPanel tour={tour} />}
        </div>
        <StatusBar
          view={view}
          panelOpen={panelOpen && !!view}
          onTogglePanel={() => setPanel((open) => (open ? undefined : DEFAULT_PANEL_VIEW))}
        />
      </div>
    </HighlightContext>
  );
}
