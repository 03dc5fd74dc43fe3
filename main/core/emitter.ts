/** A typed event, VS Code style: `onDidX(listener)` returns the function that unsubscribes. */
export class Emitter<T> {
  private listeners: ReadonlyArray<(value: T) => void> = [];

  /** Subscribes; returns the unsubscribe. */
  readonly event = (listener: (value: T) => void): (() => void) => {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  };

  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        // One broken subscriber (a UI panel, a test) must not stop the others or the core.
        console.error('An event listener threw:', error);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  /** How many listeners are subscribed (the leak soak counts them: main/node/resource-census.ts). */
  get listenerCount(): number {
    return this.listeners.length;
  }
}
