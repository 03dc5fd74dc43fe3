// The content area: the element the shell puts each tab's <iframe data-lab-tab> in, the CSS that
// shows only the selected one, and what covers it: the sad tab, the unresponsive dialog, or a
// message while there is nothing to show.
import { memo, useEffect, useEffectEvent, useMemo, useRef, type ReactNode, type RefObject } from 'react';
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { selectedTab } from '../connection/browser-state.ts';
import type { UiSnapshot } from '../connection/browser-connection.ts';
import { useBrowserClient } from '../connection/use-browser.ts';
import { tabFrameCss, tabTitle } from '../connection/view-model.ts';
import { Icon } from '../shared/icons.tsx';
import { SadTab } from './SadTab.tsx';
import { CONTENT_PANEL_ID, tabElementId } from '../tab-strip/TabStrip.tsx';
import { UnresponsiveDialog } from './UnresponsiveDialog.tsx';
import './content-area.css';

/**
 * Rendered once and never again (no props, no children): the shell owns what is inside. React
 * must never touch those iframes: moving or re-creating one would reload its page.
 */
const TabContainer = memo(function TabContainer({ containerRef }: { containerRef: RefObject<HTMLDivElement | null> }) {
  return <div ref={containerRef} className="tab-container" data-tab-container="" />;
});

const NO_TABS: readonly TabInfo[] = [];

function labelFrames(container: HTMLElement, titles: ReadonlyMap<string, string>) {
  for (const frame of container.querySelectorAll<HTMLIFrameElement>(':scope > iframe[data-lab-tab]')) {
    const title = titles.get(frame.dataset.labTab ?? '');
    if (title !== undefined && frame.title !== title) frame.title = title;
  }
}

/** Names each tab frame after its tab (a frame needs a title for assistive technology). */
function useFrameTitles(containerRef: RefObject<HTMLDivElement | null>, tabs: readonly TabInfo[]) {
  const titles = useMemo(() => new Map(tabs.map((tab) => [tab.id, tabTitle(tab)])), [tabs]);
  useEffect(() => {
    if (containerRef.current) labelFrames(containerRef.current, titles);
  }, [containerRef, titles]);
  const onFramesChanged = useEffectEvent((container: HTMLElement) => labelFrames(container, titles));
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    // The shell adds and replaces frames at any time.
    const observer = new MutationObserver(() => onFramesChanged(container));
    observer.observe(container, { childList: true });
    return () => observer.disconnect();
  }, [containerRef]);
}

function Message({ title, children, busy }: { title: string; children?: ReactNode; busy?: boolean }) {
  return (
    <div className="overlay message-overlay">
      <div className="message">
        {busy && <span className="spinner large" aria-hidden="true" />}
        <h1 className="message-title">{title}</h1>
        {children}
      </div>
    </div>
  );
}

export function ContentArea({ snapshot, onNewTab }: { snapshot: UiSnapshot; onNewTab: () => void }) {
  const client = useBrowserClient();
  const containerRef = useRef<HTMLDivElement>(null);
  const view = snapshot.browser;
  const tab = view && selectedTab(view);
  useFrameTitles(containerRef, view?.tabs ?? NO_TABS);

  let overlay: ReactNode = null;
  if (!view) {
    overlay =
      snapshot.status === 'failed' ? (
        <Message title="The browser process does not answer">
          <p className="message-text">{snapshot.problem}</p>
          <button type="button" className="button primary" onClick={() => client.retry()}>
            Try again
          </button>
        </Message>
      ) : (
        <Message title="Connecting to the browser process…" busy />
      );
  } else if (view.tabs.length === 0) {
    overlay = (
      <Message title="No open tabs">
        <p className="message-text">Every tab runs in its own renderer process: opening one starts one.</p>
        <button type="button" className="button primary" onClick={onNewTab}>
          <Icon name="add" size={18} /> Open a new tab
        </button>
      </Message>
    );
  } else if (tab?.state === 'crashed') {
    overlay = <SadTab tab={tab} view={view} onReload={() => client.perform('reload', { tabId: tab.id })} />;
  } else if (tab?.state === 'unresponsive') {
    overlay = (
      <UnresponsiveDialog
        tab={tab}
        onWait={() => client.perform('waitTab', { tabId: tab.id })}
        onStop={() => client.perform('stopTab', { tabId: tab.id })}
      />
    );
  }

  return (
    <div
      className="content"
      id={CONTENT_PANEL_ID}
      role="tabpanel"
      data-tab-panel=""
      aria-labelledby={tab ? `${tabElementId(tab.id)}-title` : undefined}
      aria-label={tab ? undefined : 'Tab content'}
    >
      <style>{tabFrameCss(view?.selectedTabId)}</style>
      <TabContainer containerRef={containerRef} />
      {overlay}
    </div>
  );
}
