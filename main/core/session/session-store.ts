/** Where the session is kept: a port each shell fills (main/node/session-file.ts in both today). */
import type { LoadedSession, SessionState } from '../../../protocol/session/session-state.ts';

export interface SessionStore {
  /** Where it is kept, for messages. */
  readonly location: string;
  load(): Promise<LoadedSession>;
  /** Resolves once `state` is durable (or a newer state that replaced it before it was written). */
  save(state: SessionState): Promise<void>;
}
