import { MAX_HISTORY_ENTRIES, type SavedHistory } from '../../protocol/session/session-state.ts';

export { MAX_HISTORY_ENTRIES };

/** A tab's session history, for Back and Forward: the URLs it showed, and where in them it is. */
export class TabHistory {
  private entries: string[];
  private index = 0;

  constructor(first: string) {
    this.entries = [first];
  }

  /**
   * A history saved by `snapshot()` (a restored tab keeps Back and Forward). The caller has checked
   * its URLs; an index out of range is clamped, and more than MAX_HISTORY_ENTRIES keep the newest.
   */
  static restore(saved: SavedHistory): TabHistory {
    if (saved.entries.length === 0) throw new Error('a saved history has at least one entry');
    const history = new TabHistory(saved.entries[0]!);
    const dropped = Math.max(0, saved.entries.length - MAX_HISTORY_ENTRIES);
    history.entries = saved.entries.slice(dropped);
    history.index = Math.min(Math.max(saved.index - dropped, 0), history.entries.length - 1);
    return history;
  }

  /** What the session saves: a copy, so later navigation does not change it. */
  snapshot(): SavedHistory {
    return { entries: [...this.entries], index: this.index };
  }

  /** The entry shown. */
  get current(): string {
    return this.entries[this.index]!;
  }

  /** A new page: it follows the current entry, and the entries Forward would have gone to are dropped. */
  push(url: string): void {
    this.entries = [...this.entries.slice(0, this.index + 1), url].slice(-MAX_HISTORY_ENTRIES);
    this.index = this.entries.length - 1;
  }

  /** Steps back and returns the entry to load; undefined at the first. */
  back(): string | undefined {
    if (this.index === 0) return undefined;
    return this.entries[--this.index];
  }

  /** Steps forward and returns the entry to load; undefined at the last. */
  forward(): string | undefined {
    if (this.index >= this.entries.length - 1) return undefined;
    return this.entries[++this.index];
  }
}
