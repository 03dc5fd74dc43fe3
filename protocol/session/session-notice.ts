/**
 * What the browser UI shows about the saved session at start: Chrome's "Restore pages?" bubble after
 * an unclean exit (`offer`, answered by BrowserUiService.restoreSession or dismissSessionNotice), or
 * the one line saying a saved session could not be read and was kept aside (`unreadable`). Kept apart
 * from session-state.ts so the UI's interface imports the notice without the file's format.
 */
import { Struct, Type, Variant, type Static } from '../rpc/schema.ts';

/** How many of the offered tabs' titles the bubble lists (the rest it counts). */
export const OFFER_TITLES = 5;

export const SessionNotice = Variant('kind', [
  Struct({
    kind: Type.Literal('offer'),
    /** How many tabs Restore brings back. */
    tabs: Type.Integer({ minimum: 1 }),
    /** The first OFFER_TITLES of their titles, in tab order. */
    titles: Type.Array(Type.String({ maxLength: 512 }), { maxItems: OFFER_TITLES }),
    /** When the session was last saved before the unclean exit (epoch milliseconds). */
    savedAt: Type.Number({ minimum: 0 }),
  }),
  Struct({
    kind: Type.Literal('unreadable'),
    /** The one line: what was wrong, where the file was kept, that the session starts fresh. */
    problem: Type.String({ maxLength: 2048 }),
  }),
]);
export type SessionNotice = Static<typeof SessionNotice>;
