/**
 * The browser's keyboard shortcuts, as Chrome's: Ctrl+T, Ctrl+W, Ctrl+L (and Alt+D, F6), Ctrl+R
 * (and F5), Alt+Left/Right, Ctrl+PageUp/PageDown, Ctrl+1..8 and Ctrl+9. Cmd stands in for Ctrl on
 * macOS. Pure (no DOM): unit-tested in Node.
 *
 * Ctrl+R and F5 matter most: left to the page, they would reload the browser UI itself, and every
 * tab frame with it.
 */
export type Command =
  | { readonly type: 'new-tab' }
  | { readonly type: 'close-tab' }
  | { readonly type: 'focus-omnibox' }
  | { readonly type: 'reload' }
  | { readonly type: 'back' }
  | { readonly type: 'forward' }
  | { readonly type: 'next-tab' }
  | { readonly type: 'previous-tab' }
  /** Ctrl+1..8: that tab; Ctrl+9: the last one (index -1). */
  | { readonly type: 'tab-at'; readonly index: number };

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

export function commandFor(press: KeyPress): Command | undefined {
  const primary = press.ctrlKey || press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (primary && !press.altKey) {
    if (press.shiftKey) return undefined; // Ctrl+Shift+T (reopen) and friends: not here
    switch (key) {
      case 't':
        return { type: 'new-tab' };
      case 'w':
        return { type: 'close-tab' };
      case 'l':
        return { type: 'focus-omnibox' };
      case 'r':
        return { type: 'reload' };
      case 'PageDown':
        return { type: 'next-tab' };
      case 'PageUp':
        return { type: 'previous-tab' };
    }
    if (/^[1-8]$/.test(key)) return { type: 'tab-at', index: Number(key) - 1 };
    if (key === '9') return { type: 'tab-at', index: -1 };
    return undefined;
  }
  if (press.altKey && !primary && !press.shiftKey) {
    if (key === 'ArrowLeft') return { type: 'back' };
    if (key === 'ArrowRight') return { type: 'forward' };
    if (key === 'd') return { type: 'focus-omnibox' };
    return undefined;
  }
  if (!primary && !press.altKey && !press.shiftKey) {
    if (key === 'F5') return { type: 'reload' };
    if (key === 'F6') return { type: 'focus-omnibox' };
  }
  return undefined;
}
