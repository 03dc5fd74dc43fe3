/**
 * Which of Electron's webContents shows a given tab, seen from outside the app (the e2e `electron`
 * project, e2e/lab-app.ts): the one running in the renderer process whose pid the UI shows for the
 * tab, other than the UI page itself. Electron gives each tab's WebContentsView a renderer process
 * of its own (tab-host.ts), so the pid names one view; the pages themselves carry no mark of their
 * tab (nothing the shell puts into a web page's DOM).
 */
import { APP_SCHEME, UI_HOST } from './app-protocol.ts';

export interface WebContentsSeen<Page> {
  readonly page: Page;
  /** undefined when the webContents is gone or unknown to the main process. */
  readonly pid: number | undefined;
  readonly url: string | undefined;
}

/** The page of the tab whose renderer has `pid`; a clear error when none or more than one is. */
export function tabPageByPid<Page>(seen: readonly WebContentsSeen<Page>[], tabId: string, pid: number): Page {
  const uiPrefix = `${APP_SCHEME}://${UI_HOST}/`;
  const matches = seen.filter((candidate) => candidate.pid === pid && !candidate.url?.startsWith(uiPrefix));
  if (matches.length === 1) return matches[0]!.page;
  const listed = seen.map((candidate) => `pid ${candidate.pid ?? '?'} ${candidate.url ?? '?'}`).join('; ');
  throw new Error(
    `${matches.length === 0 ? 'No' : 'More than one'} window shows ${tabId} (pid ${pid}); windows: ${listed}`,
  );
}
