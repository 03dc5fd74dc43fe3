import { describe, expect, it } from 'vitest';
import { commandFor } from './shortcuts.ts';

const press = (key: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean; shift?: boolean } = {}) => ({
  key,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  altKey: !!mods.alt,
  shiftKey: !!mods.shift,
});

describe('commandFor', () => {
  it("maps Chrome's tab and omnibox shortcuts", () => {
    expect(commandFor(press('t', { ctrl: true }))).toEqual({ type: 'new-tab' });
    expect(commandFor(press('T', { ctrl: true }))).toEqual({ type: 'new-tab' }); // caps lock
    expect(commandFor(press('t', { meta: true }))).toEqual({ type: 'new-tab' });
    expect(commandFor(press('w', { ctrl: true }))).toEqual({ type: 'close-tab' });
    expect(commandFor(press('l', { ctrl: true }))).toEqual({ type: 'focus-omnibox' });
    expect(commandFor(press('d', { alt: true }))).toEqual({ type: 'focus-omnibox' });
    expect(commandFor(press('F6'))).toEqual({ type: 'focus-omnibox' });
  });

  it('keeps reload for the tab, never the UI page', () => {
    expect(commandFor(press('r', { ctrl: true }))).toEqual({ type: 'reload' });
    expect(commandFor(press('F5'))).toEqual({ type: 'reload' });
  });

  it('navigates and switches tabs', () => {
    expect(commandFor(press('ArrowLeft', { alt: true }))).toEqual({ type: 'back' });
    expect(commandFor(press('ArrowRight', { alt: true }))).toEqual({ type: 'forward' });
    expect(commandFor(press('PageDown', { ctrl: true }))).toEqual({ type: 'next-tab' });
    expect(commandFor(press('PageUp', { ctrl: true }))).toEqual({ type: 'previous-tab' });
    expect(commandFor(press('1', { ctrl: true }))).toEqual({ type: 'tab-at', index: 0 });
    expect(commandFor(press('9', { ctrl: true }))).toEqual({ type: 'tab-at', index: -1 });
  });

  it('leaves everything else alone', () => {
    expect(commandFor(press('t'))).toBeUndefined();
    expect(commandFor(press('ArrowLeft'))).toBeUndefined();
    expect(commandFor(press('t', { ctrl: true, shift: true }))).toBeUndefined();
    expect(commandFor(press('c', { ctrl: true }))).toBeUndefined();
    expect(commandFor(press('a', { ctrl: true }))).toBeUndefined();
  });
});
