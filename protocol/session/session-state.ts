/**
 * What the browser saves of itself to be restored at the next start (Chrome's session restore): the
 * tabs with their history, the selected tab, the process model and the window size; and whether
 * the last run ended cleanly, so an unclean end asks "Restore tabs?" instead of restoring silently.
 * The file's format, shared by the core (what to save, what to restore) and the shells' store
 * (main/node/session-file.ts), which keeps it where each shell keeps its data.
 */
import { ProcessModel } from '../interfaces/browser-state.ts';
import { compileChecker, Struct, Type, type Static } from '../rpc/schema.ts';

/**
 * How many entries a tab keeps, as Chrome does (content's kMaxSessionHistoryEntries): the oldest go
 * first, so a tab navigated for hours holds a bounded list, and so does its saved session.
 */
export const MAX_HISTORY_ENTRIES = 50;

export const SESSION_VERSION = 1;
/** As many tabs as a session keeps; more are not written (a runaway page opening tabs cannot grow the file forever). */
export const MAX_SESSION_TABS = 500;

const Url = Type.String({ minLength: 1, maxLength: 2048 });

export const SavedHistory = Struct({
  entries: Type.Array(Url, { minItems: 1, maxItems: MAX_HISTORY_ENTRIES }),
  /** The entry shown: Back and Forward go on from here after a restore. */
  index: Type.Integer({ minimum: 0 }),
});
export type SavedHistory = Static<typeof SavedHistory>;

export const SavedTab = Struct({
  url: Url,
  title: Type.String({ maxLength: 512 }),
  history: SavedHistory,
});
export type SavedTab = Static<typeof SavedTab>;

export const SessionState = Struct({
  version: Type.Literal(SESSION_VERSION),
  /** Milliseconds since the epoch, when written. */
  savedAt: Type.Number({ minimum: 0 }),
  /** False from start until an orderly exit: a session read with `cleanExit: false` ended in a crash or kill. */
  cleanExit: Type.Boolean(),
  processModel: ProcessModel,
  window: Type.Optional(
    Struct({
      width: Type.Integer({ minimum: 1, maximum: 65535 }),
      height: Type.Integer({ minimum: 1, maximum: 65535 }),
    }),
  ),
  tabs: Type.Array(SavedTab, { maxItems: MAX_SESSION_TABS }),
  /** Index into `tabs`; absent with no tabs. */
  selected: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type SessionState = Static<typeof SessionState>;

const checker = compileChecker(SessionState);

export type ParsedSession = { ok: true; state: SessionState } | { ok: false; reason: string };

/** Reads a saved session's text; says in one line why it is not a session it can restore. */
export function parseSession(text: string): ParsedSession {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== SESSION_VERSION)
    return { ok: false, reason: `session version ${version}, this app reads ${SESSION_VERSION}` };
  if (!checker.check(value)) return { ok: false, reason: `not a session: ${checker.explain(value)}` };
  const state = value as SessionState;
  for (const [at, tab] of state.tabs.entries())
    if (tab.history.index >= tab.history.entries.length)
      return {
        ok: false,
        reason: `tab ${at}: history index ${tab.history.index} past its ${tab.history.entries.length} entries`,
      };
  if (state.selected !== undefined && state.selected >= state.tabs.length)
    return { ok: false, reason: `selected tab ${state.selected} of ${state.tabs.length}` };
  return { ok: true, state };
}

export type LoadedSession =
  | { readonly kind: 'none' }
  | { readonly kind: 'session'; readonly state: SessionState }
  /** Unreadable or not a session: moved aside to `keptAt`; `problem` is the one line to show. */
  | { readonly kind: 'corrupt'; readonly problem: string; readonly keptAt: string };
