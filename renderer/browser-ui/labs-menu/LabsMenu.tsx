// The toolbar's "Labs" button and its menu: the lab index and each lab, opened in a new tab through
// the browser (openTab). Keyboard as the Tours menu: Enter, Space or ArrowDown opens it; ArrowUp,
// ArrowDown, Home, End move over the labs that exist; Enter opens one; Escape or Tab closes.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useBrowserClient } from '../connection/use-browser.ts';
import { LABS_MENU_ITEMS, nextEnabled } from './labs-menu.ts';
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
  const [open, setOpen] = useState(false);
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const focusOnOpen = useRef<'first' | 'last'>('first');

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
  const enabledIndexes = LABS_MENU_ITEMS.flatMap((item, index) => (item.url ? [index] : []));

  useEffect(() => {
    if (!open) return;
    const list = items();
    list[focusOnOpen.current === 'last' ? enabledIndexes.at(-1)! : enabledIndexes[0]!]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
    // Focus once per opening.
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = nextEnabled(LABS_MENU_ITEMS, index, 1);
        break;
      case 'ArrowUp':
        next = nextEnabled(LABS_MENU_ITEMS, index, -1);
        break;
      case 'Home':
        next = enabledIndexes[0];
        break;
      case 'End':
        next = enabledIndexes.at(-1);
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close(true);
        return;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next !== undefined) list[next]?.focus();
  };

  return (
    <div className="labs">
      <button
        ref={buttonRef}
        type="button"
        className="action-button labs-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        title="Labs: the notes' topics as pages backed by real OS primitives"
        disabled={disabled}
        onClick={() => {
          focusOnOpen.current = 'first';
          setOpen((was) => !was);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            focusOnOpen.current = event.key === 'ArrowUp' ? 'last' : 'first';
            setOpen(true);
          }
        }}
      >
        <LabsIcon />
        <span>Labs</span>
      </button>
      {open && (
        <div
          ref={menuRef}
          className="labs-menu"
          data-popup=""
          role="menu"
          id={`${id}-menu`}
          aria-label="Labs"
          onKeyDown={onMenuKey}
        >
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
