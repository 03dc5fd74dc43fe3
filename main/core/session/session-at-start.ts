/**
 * What the browser does with the saved session when it starts, decided before anything else starts
 * (the shells need the saved window size and process model to launch): after a clean exit it
 * restores silently (Chrome's "Continue where you left off", this app's default), after an unclean
 * one it offers "Restore tabs?", `--fresh` skips both, and a file it cannot read gives one line and a
 * fresh session. URLs a page could not load (file:, javascript:, an unknown lab:// page) are dropped
 * with one line, never opened.
 */
import type { SavedTab, SessionState } from '../../../protocol/session/session-state.ts';
import { resolveUrl } from '../urls.ts';
import type { SessionStore } from './session-store.ts';

export type SessionAtStart =
  /** `--fresh`: the saved session is not read; this one replaces it once saved. */
  | { readonly kind: 'fresh' }
  /** Nothing saved yet (the first start). */
  | { readonly kind: 'none' }
  /** The last run exited cleanly: its tabs come back without asking. */
  | { readonly kind: 'restore'; readonly state: SessionState }
  /** The last run ended in a crash or a kill: "Restore tabs?". */
  | { readonly kind: 'offer'; readonly state: SessionState }
  /** The file could not be read: kept aside (`problem` says where), the session starts fresh. */
  | { readonly kind: 'unreadable'; readonly problem: string };

export interface ReadSessionOptions {
  readonly fresh: boolean;
  /** Where the one-line messages go (the shell's console). */
  readonly report: (line: string) => void;
}

export async function readSession(store: SessionStore, { fresh, report }: ReadSessionOptions): Promise<SessionAtStart> {
  if (fresh) {
    report(`--fresh: the saved session (${store.location}) is not restored; this session replaces it.`);
    return { kind: 'fresh' };
  }
  let loaded;
  try {
    loaded = await store.load();
  } catch (error) {
    // SessionFile answers what it can as `corrupt`; anything else is still one line, not a failed start.
    const problem = `The saved session ${store.location} could not be read (${(error as Error).message}): starting with a fresh session.`;
    report(problem);
    return { kind: 'unreadable', problem };
  }
  switch (loaded.kind) {
    case 'none':
      return { kind: 'none' };
    case 'corrupt':
      report(loaded.problem);
      return { kind: 'unreadable', problem: loaded.problem };
    case 'session': {
      const state = dropUnsafeUrls(loaded.state, report);
      if (state.tabs.length === 0) return { kind: 'none' };
      return { kind: loaded.state.cleanExit ? 'restore' : 'offer', state };
    }
  }
}

/** Whether a page may load `url` (the rule navigation applies); why not, if not. */
function refusal(url: string): string | undefined {
  try {
    return resolveUrl(url, { typed: false }).kind === 'page' ? undefined : 'a debug URL';
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The session without the URLs a page may not load: a tab keeps its other entries (shown at the
 * nearest one before the dropped current entry), a tab left with none is dropped. One line says
 * how many were dropped and the first of them, however many there were.
 */
export function dropUnsafeUrls(state: SessionState, report: (line: string) => void): SessionState {
  let dropped = 0;
  let first: string | undefined;
  const kept: { tab: SavedTab; wasSelected: boolean }[] = [];
  for (const [at, tab] of state.tabs.entries()) {
    const entries: string[] = [];
    let index = 0;
    for (const [entryAt, url] of tab.history.entries.entries()) {
      const why = refusal(url);
      if (why === undefined) {
        if (entryAt <= tab.history.index) index = entries.length;
        entries.push(url);
        continue;
      }
      dropped++;
      first ??= `${JSON.stringify(url.slice(0, 200))} (${why})`;
    }
    if (entries.length === 0) continue;
    kept.push({
      tab: { url: entries[index]!, title: tab.title, history: { entries, index } },
      wasSelected: at === state.selected,
    });
  }
  if (dropped > 0)
    report(`The saved session had ${dropped} URL${dropped === 1 ? '' : 's'} no page may load, dropped: ${first}.`);
  const selected = kept.findIndex((entry) => entry.wasSelected);
  const { selected: _old, ...rest } = state;
  return {
    ...rest,
    tabs: kept.map((entry) => entry.tab),
    ...(kept.length === 0 ? {} : { selected: Math.max(selected, 0) }),
  };
}
