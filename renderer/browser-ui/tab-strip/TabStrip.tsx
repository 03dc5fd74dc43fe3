// The tab strip: one `role="tab"` per tab (named by its title, described by its process badge),
// a close button beside each, and "New tab". Arrow keys, Home and End move between tabs.
import { useRef, type KeyboardEvent } from 'react';
import type { TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { tabBadge, tabTitle } from '../connection/view-model.ts';
import { Icon } from '../shared/icons.tsx';
import './tab-strip.css';

/** The DOM id of a tab's strip element (the content panel is labelled by it). */
export function tabElementId(tabId: string): string {
  return `tabstrip-${tabId.replace(/[^A-Za-z0-9_-]/g, (char) => `_${char.codePointAt(0)!.toString(16)}`)}`;
}

export const CONTENT_PANEL_ID = 'tab-content';

function Favicon({ tab }: { tab: TabInfo }) {
  if (tab.state === 'loading') return <span className="tab-spinner" aria-hidden="true" />;
  if (tab.state === 'crashed') return <Icon name="sad" size={16} className="favicon favicon-crashed" />;
  if (tab.state === 'unresponsive') return <Icon name="hourglass" size={16} className="favicon favicon-warning" />;
  return <Icon name={tab.url.startsWith('lab://') ? 'flask' : 'globe'} size={16} className="favicon" />;
}

interface TabStripProps {
  readonly tabs: readonly TabInfo[];
  readonly selectedTabId: string | undefined;
  readonly onSelect: (tabId: string) => void;
  readonly onClose: (tabId: string) => void;
  readonly onNewTab: () => void;
}

export function TabStrip({ tabs, selectedTabId, onSelect, onClose, onNewTab }: TabStripProps) {
  const tabElements = useRef(new Map<string, HTMLDivElement>());
  const selectedIndex = tabs.findIndex((tab) => tab.id === selectedTabId);
  // With no tab selected the first one takes focus from the Tab key.
  const focusableId = selectedIndex === -1 ? tabs[0]?.id : selectedTabId;

  const moveTo = (index: number) => {
    const tab = tabs[index];
    if (!tab) return;
    tabElements.current.get(tab.id)?.focus();
    if (tab.id !== selectedTabId) onSelect(tab.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    const last = tabs.length - 1;
    const target = {
      ArrowLeft: index === 0 ? last : index - 1,
      ArrowRight: index === last ? 0 : index + 1,
      Home: 0,
      End: last,
    }[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(tabs[index]!.id);
    } else if (event.key === 'Delete') {
      event.preventDefault();
      onClose(tabs[index]!.id);
    }
  };

  return (
    <div className="tab-strip">
      <div className="tab-list" role="tablist" aria-label="Tabs">
        {tabs.map((tab, index) => {
          const title = tabTitle(tab);
          const badge = tabBadge(tab);
          const selected = tab.id === selectedTabId;
          const id = tabElementId(tab.id);
          // The slot is presentational: the tab and its close button are siblings, since a tab's
          // children are presentational to assistive technology (a button inside would vanish).
          return (
            <div
              key={tab.id}
              role="presentation"
              className={`tab-slot${selected ? ' selected' : ''}${index === selectedIndex - 1 ? ' before-selected' : ''}`}
              data-state={tab.state}
            >
              <div
                ref={(element) => {
                  if (element) tabElements.current.set(tab.id, element);
                  else tabElements.current.delete(tab.id);
                }}
                id={id}
                data-tab-id={tab.id}
                role="tab"
                className="tab"
                aria-selected={selected}
                aria-controls={selected ? CONTENT_PANEL_ID : undefined}
                aria-labelledby={`${id}-title`}
                aria-describedby={`${id}-badge`}
                tabIndex={tab.id === focusableId ? 0 : -1}
                title={`${title}\n${tab.url}\n${badge.description}`}
                onMouseDown={(event) => {
                  // Select on press, as Chrome does; the middle button closes.
                  if (event.button === 0 && !selected) onSelect(tab.id);
                }}
                onAuxClick={(event) => {
                  if (event.button === 1) onClose(tab.id);
                }}
                onKeyDown={(event) => onKeyDown(event, index)}
              >
                <Favicon tab={tab} />
                <span className="tab-title" id={`${id}-title`}>
                  {title}
                </span>
                <span className={`pid-badge tone-${badge.tone}`} id={`${id}-badge`}>
                  {badge.text}
                </span>
              </div>
              <button
                type="button"
                className="tab-close"
                aria-label={`Close ${title}`}
                title={`Close ${title} (Ctrl+W)`}
                tabIndex={selected ? 0 : -1}
                onClick={() => onClose(tab.id)}
              >
                <Icon name="close" size={14} />
              </button>
            </div>
          );
        })}
      </div>
      <button type="button" className="new-tab" aria-label="New tab" title="New tab (Ctrl+T)" onClick={onNewTab}>
        <Icon name="add" size={20} />
      </button>
    </div>
  );
}
