// The toolbar's "Labs" button and its menu: the lab index and each lab, opened in a new tab through
// the browser (openTab). Keyboard as the Tours menu (useMenuButton): the coming labs are
// aria-disabled, so the arrows, Home and End move over the labs that exist; Enter opens one.
import { useBrowserClient } from '../connection/use-browser.ts';
import { useMenuButton } from '../shared/use-menu-button.ts';
import { LABS_MENU_ITEMS } from './labs-menu.ts';
import './labs-menu.css';

/** Material's "school" glyph: the flask is the Experiments button's. */
function LabsIcon() {
  return (
    <svg className="icon" width={16} height={16} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M5 13.18v4L12 21l7-3.82v-4L12 17l-7-3.82zM12 3L1 9l11 6 9-4.91V17h2V9L12 3z" fill="currentColor" />
    </svg>
  );
}

export function LabsMenu({ disabled }: { disabled: boolean }) {
  const client = useBrowserClient();
  const { open, id, buttonProps, menuProps, close } = useMenuButton();

  return (
    <div className="labs">
      <button
        {...buttonProps}
        type="button"
        className="action-button labs-button"
        title="Labs: the notes' topics as pages backed by real OS primitives"
        disabled={disabled}
      >
        <LabsIcon />
        <span>Labs</span>
      </button>
      {open && (
        <div {...menuProps} className="labs-menu" data-popup="" aria-label="Labs">
          {LABS_MENU_ITEMS.map((item, index) => (
            <button
              key={item.id}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="labs-menu-item"
              data-lab={item.id}
              aria-disabled={item.url ? undefined : true}
              aria-labelledby={`${id}-title-${index}`}
              aria-describedby={`${id}-summary-${index}`}
              onClick={() => {
                if (!item.url) return;
                close(false);
                client.perform('openTab', { url: item.url });
              }}
            >
              <span className="labs-menu-item-title" id={`${id}-title-${index}`}>
                {item.title}
              </span>
              <span className="labs-menu-item-summary" id={`${id}-summary-${index}`}>
                {item.summary}
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
