import { MAX_HISTORY_ENTRIES } from '../../protocol/session/session-state.ts';

export { MAX_HISTORY_ENTRIES };

/** A tab's session history, for Back and Forward: the URLs it showed, and where in them it is. */
export class TabHistory {
  private entries: string[];
  private index = 0;

  constructor(first: string) {
    this.entries = [first];
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
