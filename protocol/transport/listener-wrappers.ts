import type { MessageListener } from './transport.ts';

/**
 * For channels whose events carry more than the message (a MessageEvent, an IPC event): keeps the
 * one wrapper made per listener, so `off` removes exactly what `on` added and `on` twice adds once.
 */
export function listenerWrappers<W>(wrap: (listener: MessageListener) => W) {
  const wrappers = new Map<MessageListener, W>();
  return {
    /** The new wrapper, or undefined when this listener is already registered. */
    add(listener: MessageListener): W | undefined {
      if (wrappers.has(listener)) return undefined;
      const wrapper = wrap(listener);
      wrappers.set(listener, wrapper);
      return wrapper;
    },
    /** The listener's wrapper, now forgotten, or undefined when it was not registered. */
    remove(listener: MessageListener): W | undefined {
      const wrapper = wrappers.get(listener);
      wrappers.delete(listener);
      return wrapper;
    },
  };
}
