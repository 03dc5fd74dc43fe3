// What a guided tour points at right now: process ids (registry ids, ProcessInfo.id) that the
// architecture map and the task manager draw highlighted. Empty when no tour runs.
import { createContext, useContext } from 'react';

export interface Highlight {
  /** Processes to highlight (map nodes, task manager rows). */
  readonly processIds: ReadonlySet<string>;
}

export const NO_HIGHLIGHT: Highlight = { processIds: new Set() };

export const HighlightContext = createContext<Highlight>(NO_HIGHLIGHT);

export function useHighlight(): Highlight {
  return useContext(HighlightContext);
}
