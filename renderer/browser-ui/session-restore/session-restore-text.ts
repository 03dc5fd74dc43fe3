/**
 * The words of the "Restore tabs?" infobar, from the browser's notice: pure, so a unit test reads
 * them without a DOM (session-restore-text.test.ts).
 */
import type { SessionNotice } from '../../../protocol/session/session-notice.ts';

export interface NoticeText {
  readonly title: string;
  readonly detail: string;
}

/** "2 tabs: Live page, Plugins" and "… and 3 more" past the titles the notice lists. */
export function tabsSummary(tabs: number, titles: readonly string[]): string {
  const shown = titles.map((title) => title || 'Untitled').join(', ');
  const more = tabs - titles.length;
  return `${tabs} tab${tabs === 1 ? '' : 's'}: ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

export function noticeText(notice: SessionNotice): NoticeText {
  if (notice.kind === 'unreadable') return { title: 'Saved tabs could not be read', detail: notice.problem };
  return {
    // Chrome's bubble: "Restore pages? Chromium didn't shut down correctly."
    title: 'Restore tabs?',
    detail: `The browser didn't shut down correctly. ${tabsSummary(notice.tabs, notice.titles)}.`,
  };
}
