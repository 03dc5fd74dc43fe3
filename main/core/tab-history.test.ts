import { expect, it } from 'vitest';
import { TabHistory } from './tab-history.ts';

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
