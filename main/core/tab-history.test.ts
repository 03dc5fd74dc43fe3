import { expect, it } from 'vitest';
import { MAX_HISTORY_ENTRIES, TabHistory } from './tab-history.ts';

it('goes back and forward through the pages shown, and stops at either end', () => {
  const history = new TabHistory('lab://a');
  expect(history.back()).toBeUndefined();
  history.push('lab://b');
  history.push('lab://c');
  expect([history.back(), history.back(), history.back()]).toEqual(['lab://b', 'lab://a', undefined]);
  expect([history.forward(), history.forward(), history.forward()]).toEqual(['lab://b', 'lab://c', undefined]);
});

it('drops the entries Forward would have gone to when a new page is shown after Back', () => {
  const history = new TabHistory('lab://a');
  history.push('lab://b');
  history.push('lab://c');
  history.back();
  history.back();
  history.push('lab://d');
  expect(history.forward()).toBeUndefined();
  expect([history.back(), history.back()]).toEqual(['lab://a', undefined]);
});

it(`keeps the last ${MAX_HISTORY_ENTRIES} entries however often the tab navigates, Back still going through them`, () => {
  const history = new TabHistory('lab://live');
  // The chaos soak's bad-message fault and its recovery, over and over.
  for (let i = 0; i < 1000; i++) {
    history.push(`lab://bad-message?send=1#${i}`);
    history.push(`lab://live#${i}`);
  }
  const back: string[] = [];
  for (let url = history.back(); url !== undefined; url = history.back()) back.push(url);
  expect(back).toHaveLength(MAX_HISTORY_ENTRIES - 1);
  expect(back[0]).toBe('lab://bad-message?send=1#999');
  expect(back.at(-1)).toBe('lab://bad-message?send=1#975');
  expect(history.forward()).toBe(back.at(-2));
});

it('restores a snapshot with Back and Forward where they were, and the snapshot is a copy', () => {
  const history = new TabHistory('lab://a');
  history.push('lab://b');
  history.push('lab://c');
  history.back();
  const saved = history.snapshot();
  history.push('lab://d'); // later navigation does not change what was saved
  expect(saved).toEqual({ entries: ['lab://a', 'lab://b', 'lab://c'], index: 1 });
  const restored = TabHistory.restore(saved);
  expect(restored.current).toBe('lab://b');
  expect(restored.forward()).toBe('lab://c');
  expect([restored.back(), restored.back(), restored.back()]).toEqual(['lab://b', 'lab://a', undefined]);
});

it('restores an over-long or out-of-range snapshot bounded: the newest entries, the index clamped', () => {
  const entries = Array.from({ length: MAX_HISTORY_ENTRIES + 10 }, (_, i) => `lab://live#${i}`);
  const restored = TabHistory.restore({ entries, index: entries.length + 5 });
  expect(restored.snapshot().entries).toEqual(entries.slice(10));
  expect(restored.current).toBe(entries.at(-1));
  expect(() => TabHistory.restore({ entries: [], index: 0 })).toThrow(/at least one entry/);
});
