/**
 * Subscriptions the core makes, kept so they can be ended, in VS Code's DisposableStore shape: what
 * a subscription returns (an unsubscribe function, or anything with `dispose()`) goes in with `add`,
 * and the owner's `dispose()` ends them all.
 */

/** An unsubscribe function (what `onDidX(listener)` returns) or an object that ends itself. */
export type Disposable = (() => void) | { dispose(): void };

export class DisposableStore {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  /** Keeps `item` until `clear()` or `dispose()`; once disposed, ends it at once. Returns it. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) end(item);
    else this.items.add(item);
    return item;
  }

  /** Ends everything added so far; the store takes more afterwards. */
  clear(): void {
    const items = [...this.items];
    this.items.clear();
    for (const item of items) end(item);
  }

  /** Ends everything added, and anything added later at once. */
  dispose(): void {
    this.disposed = true;
    this.clear();
  }
}

function end(item: Disposable): void {
  try {
    if (typeof item === 'function') item();
    else item.dispose();
  } catch (error) {
    // One failing unsubscribe must not keep the others alive.
    console.error('Disposing a subscription threw:', error);
  }
}
