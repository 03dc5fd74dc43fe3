import { describe, expect, it } from 'vitest';
import { tabPageByPid } from './tab-identity.ts';

describe("finding a tab's window from outside", () => {
  const seen = [
    { page: 'ui', pid: 100, url: 'lab-app://ui/index.html' },
    { page: 'tab-1', pid: 201, url: 'lab-app://pages/live' },
    { page: 'tab-2', pid: 202, url: 'lab-app://pages/live' }, // the same URL in another tab
    { page: 'devtools', pid: undefined, url: undefined },
  ];

  it('is the one window in the renderer the UI shows for the tab, whatever its URL', () => {
    expect(tabPageByPid(seen, 'tab-2', 202)).toBe('tab-2');
    expect(tabPageByPid(seen, 'tab-1', 201)).toBe('tab-1');
  });

  it('never the UI page, and says so when no window or several match', () => {
    expect(() => tabPageByPid(seen, 'tab-9', 100)).toThrow(
      'No window shows tab-9 (pid 100); windows: pid 100 lab-app://ui/index.html; pid 201',
    );
    expect(() => tabPageByPid([...seen, { page: 'x', pid: 202, url: 'https://example.com/' }], 'tab-2', 202)).toThrow(
      /More than one window shows tab-2/,
    );
  });
});
