// The toolbar's "Tours" button and its menu of guided tours (this folder). Keyboard as
// useMenuButton: Enter, Space or ArrowDown opens it (on the running tour, if one is);
// ArrowUp/ArrowDown/Home/End move between tours; Enter starts one; Escape or Tab closes the menu.
import { useEffect, useRef } from 'react';
import type { Tour } from './model.ts';
import { Icon } from '../shared/icons.tsx';
import { useMenuButton } from '../shared/use-menu-button.ts';
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
  const { open, id, buttonRef, buttonProps, menuProps, close } = useMenuButton({
    preferredItem: (items) => items.find((item) => item.dataset.tourId === activeId),
  });

  // When a tour ends with the focus in its panel (now gone), the focus comes back here.
  const wasActive = useRef(activeId);
  useEffect(() => {
    const active = document.activeElement;
    if (wasActive.current && !activeId && (!active || active === document.body)) buttonRef.current?.focus();
    wasActive.current = activeId;
  }, [activeId]);

  return (
    <div className="tours">
      <button
        {...buttonProps}
        type="button"
        className={`action-button tours-button${activeId ? ' active' : ''}`}
        title="Guided tours: short walkthroughs of the architecture"
        disabled={disabled}
      >
        <Icon name="tour" size={16} />
        <span>Tours</span>
      </button>
      {open && (
        <div {...menuProps} className="menu tours-menu" data-popup="" aria-label="Guided tours">
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
