import { expect, it } from 'vitest';
import { noticeText, tabsSummary } from './session-restore-text.ts';

it('counts the tabs and lists the titles the notice carries, the rest as "more"', () => {
  expect(tabsSummary(1, ['Live page'])).toBe('1 tab: Live page');
  expect(tabsSummary(7, ['A', '', 'C'])).toBe('7 tabs: A, Untitled, C and 4 more');
});

it('asks "Restore tabs?" after an unclean exit, and gives the one line when the file was unreadable', () => {
  expect(noticeText({ kind: 'offer', tabs: 2, titles: ['Live page', 'Plugins'], savedAt: 0 })).toEqual({
    title: 'Restore tabs?',
    detail: "The browser didn't shut down correctly. 2 tabs: Live page, Plugins.",
  });
  const problem = 'The saved session /x/session.json is not JSON; kept as /x/session.json.corrupt-1.';
  expect(noticeText({ kind: 'unreadable', problem })).toEqual({
    title: 'Saved tabs could not be read',
    detail: problem,
  });
});
