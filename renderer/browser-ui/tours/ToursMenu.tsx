// The toolbar's "Tours" button and its menu of guided tours (this folder). Keyboard: the
// button opens the menu on Enter, Space or ArrowDown; ArrowUp/ArrowDown/Home/End move between
// tours; Enter starts one; Escape or Tab closes the menu.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Tour } from './model.ts';
import { Icon } from '../shared/icons.tsx';
import './tours.css';

export function ToursMenu({
  tours,
  activeId,
  disabled,
  onStart,
}: {
  tours: readonly Tour[];
  /** The tour running now, if one is. */
  activeId: string | undefined;
  disabled: boolean;
  onStart: (tour: Tour) => void;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  /** Which item to focus when the menu opens: 'first' or 'last' (ArrowUp on the button). */
  const focusOnOpen = useRef<'first' | 'last'>('first');

  // When a tour ends with the focus in its panel (now gone), the focus comes back here.
  const wasActive = useRef(activeId);
  useEffect(() => {
    const active = document.activeElement;
    if (wasActive.current && !activeId && (!active || active === document.body)) buttonRef.current?.focus();
    wasActive.current = activeId;
  }, [activeId]);

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    const list = items();
    const active = list.find((item) => item.dataset.tourId === activeId);
    (active ?? (focusOnOpen.current === 'last' ? list.at(-1) : list[0]))?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
    // Focus once per opening, not when the active tour changes under an open menu.
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
        next = (index + 1) % list.length;
        break;
      case 'ArrowUp':
        next = (index - 1 + list.length) % list.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = list.length - 1;
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
    list[next]?.focus();
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      focusOnOpen.current = event.key === 'ArrowUp' ? 'last' : 'first';
      setOpen(true);
    }
  };

  return (
    <div className="tours">
      <button
        ref={buttonRef}
        type="button"
        className={`action-button tours-button${activeId ? ' active' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        title="Guided tours: short walkthroughs of the architecture"
        disabled={disabled}
        onClick={() => {
          focusOnOpen.current = 'first';
          setOpen((was) => !was);
        }}
        onKeyDown={onButtonKey}
      >
        <Icon name="tour" size={16} />
        <span>Tours</span>
      </button>
      {open && (
        <div
          ref={menuRef}
          className="menu tours-menu"
          data-popup=""
          role="menu"
          id={`${id}-menu`}
          aria-label="Guided tours"
          onKeyDown={onMenuKey}
        >
          {tours.map((tour, index) => (
            <button
              key={tour.id}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              data-tour-id={tour.id}
              aria-labelledby={`${id}-title-${index}`}
              aria-describedby={`${id}-summary-${index}`}
              aria-current={tour.id === activeId ? 'true' : undefined}
              onClick={() => {
                close(false);
                onStart(tour);
              }}
            >
              <span className="menu-item-number" aria-hidden="true">
                {index + 1}
              </span>
              <span className="menu-item-text">
                <span className="menu-item-title" id={`${id}-title-${index}`}>
                  {tour.title}
                </span>
                <span className="menu-item-summary" id={`${id}-summary-${index}`}>
                  {tour.summary} · {tour.steps.length} steps
                </span>
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
