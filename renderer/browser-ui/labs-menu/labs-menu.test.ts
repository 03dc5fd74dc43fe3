import { describe, expect, it } from 'vitest';
import { nextEnabled } from '../shared/use-menu-button.ts';
import { LABS_MENU_ITEMS } from './labs-menu.ts';

describe('the Labs menu', () => {
  it('opens the lab index first, then each available lab; coming labs have no URL', () => {
    expect(LABS_MENU_ITEMS[0]).toMatchObject({ id: 'labs', url: 'lab://labs' });
    expect(LABS_MENU_ITEMS.filter((item) => item.url).map((item) => item.url)).toEqual([
      'lab://labs',
      'lab://ipc',
      'lab://threads',
      'lab://deadlock',
    ]);
    for (const item of LABS_MENU_ITEMS.filter((candidate) => !candidate.url))
      expect(item.summary, item.id).toMatch(/^Coming: /);
    expect(new Set(LABS_MENU_ITEMS.map((item) => item.id)).size).toBe(LABS_MENU_ITEMS.length);
  });

  it('moves the keyboard focus over available items only, wrapping around', () => {
    // Every lab is available now: down from the last wraps to the index.
    const all = LABS_MENU_ITEMS.map((item) => item.url !== undefined);
    expect(nextEnabled(all, all.length - 1, 1)).toBe(0);
    // The menu marks coming labs aria-disabled; the keyboard skips them (useMenuButton).
    const enabled = [true, true, false, false];
    expect(nextEnabled(enabled, 0, 1)).toBe(1);
    expect(nextEnabled(enabled, 1, 1)).toBe(0);
    expect(nextEnabled(enabled, 0, -1)).toBe(1);
    // Home and End: from before the first, from after the last.
    expect(nextEnabled(enabled, -1, 1)).toBe(0);
    expect(nextEnabled(enabled, enabled.length, -1)).toBe(1);
    expect(nextEnabled([false], 0, 1)).toBe(0);
  });
});
