// React's view of the browser connection: the store in browser-connection.ts, read with
// useSyncExternalStore so every component sees one consistent snapshot.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { BrowserClient, UiSnapshot } from './browser-connection.ts';

export const BrowserClientContext = createContext<BrowserClient | undefined>(undefined);

/** The connection: call the browser with `client.perform(...)` or `client.call(...)`. */
export function useBrowserClient(): BrowserClient {
  const client = useContext(BrowserClientContext);
  if (!client) throw new Error('useBrowserClient needs a BrowserClientContext provider');
  return client;
}

/** The current snapshot: connection status, the browser's state, the last failed action. */
export function useBrowserSnapshot(): UiSnapshot {
  const client = useBrowserClient();
  return useSyncExternalStore(client.subscribe, client.getSnapshot);
}
