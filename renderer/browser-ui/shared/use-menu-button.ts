// A toolbar button with a menu (the Tours and Labs menus), keyboard as WAI-ARIA's menu button:
// Enter, Space or ArrowDown opens it on the first item, ArrowUp on the last; ArrowUp, ArrowDown,
// Home, End move over the items that are not aria-disabled, wrapping; Escape closes it back to the
// button; Tab closes it; a pointer down outside closes it. The caller renders the button and the
// menu and spreads `buttonProps` / `menuProps` on them; items are `[role="menuitem"]` buttons.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/** The index the keyboard moves to from `index` by `step` (+1, -1) over enabled items, wrapping; `index` if none. */
export function nextEnabled(enabled: readonly boolean[], index: number, step: 1 | -1): number {
  for (let moved = 1; moved <= enabled.length; moved++) {
    const at = (((index + step * moved) % enabled.length) + enabled.length) % enabled.length;
    if (enabled[at]) return at;
  }
  return index;
}

export interface MenuButtonOptions {
  /** The item to focus when the menu opens, before the first (or last) enabled one (the running tour). */
  readonly preferredItem?: (items: readonly HTMLButtonElement[]) => HTMLButtonElement | undefined;
}

export function useMenuButton(options: MenuButtonOptions = {}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const menuId = `${id}-menu`;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  /** Which item to focus when the menu opens: 'first' or 'last' (ArrowUp on the button). */
  const focusOnOpen = useRef<'first' | 'last'>('first');

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
  const enabledOf = (list: readonly HTMLButtonElement[]) =>
    list.map((item) => item.getAttribute('aria-disabled') !== 'true');

  useEffect(() => {
    if (!open) return;
    const list = items();
    const enabled = list.filter((_, index) => enabledOf(list)[index]);
    (options.preferredItem?.(list) ?? (focusOnOpen.current === 'last' ? enabled.at(-1) : enabled[0]))?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
    // Focus once per opening, not when what the items show changes under an open menu.
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const enabled = enabledOf(list);
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = nextEnabled(enabled, index, 1);
        break;
      case 'ArrowUp':
        next = nextEnabled(enabled, index < 0 ? 0 : index, -1);
        break;
      case 'Home':
        next = nextEnabled(enabled, -1, 1);
        break;
      case 'End':
        next = nextEnabled(enabled, list.length, -1);
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

  const buttonProps = {
    ref: buttonRef,
    'aria-haspopup': 'menu' as const,
    'aria-expanded': open,
    'aria-controls': open ? menuId : undefined,
    onClick: () => {
      focusOnOpen.current = 'first';
      setOpen((was) => !was);
    },
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        focusOnOpen.current = event.key === 'ArrowUp' ? 'last' : 'first';
        setOpen(true);
      }
    },
  };
  const menuProps = { ref: menuRef, role: 'menu' as const, id: menuId, onKeyDown: onMenuKey };
  return { open, id, buttonRef, buttonProps, menuProps, close };
}
