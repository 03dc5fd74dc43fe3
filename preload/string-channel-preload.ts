/**
 * What both preloads share: a page's string channel to the browser process over ipcRenderer, as
 * the two globals the page side already uses in the Chromium shell (protocol/transport/
 * string-channel.ts): `<send>(text)` exposed read-only through contextBridge, and `<receive>`, a
 * function the page assigns itself and the preload calls in the main world with
 * `contextBridge.executeInMainWorld`. Only strings cross; never raw ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';

/** The page's messages are small control messages (the browser refuses longer ones too). */
const MAX_TEXT = 1024 * 1024;
/** Messages for the page held until it has assigned its receiver. */
const MAX_PENDING = 256;

/**
 * `documentToken`, where given, goes with every message: the browser tells this document's messages
 * from those of the document before it (main/electron/string-ipc.ts) and addresses ports to it.
 */
export function exposeStringChannel(
  ipcChannel: string,
  names: { readonly send: string; readonly receive: string },
  documentToken?: string,
): void {
  contextBridge.exposeInMainWorld(names.send, (text: unknown) => {
    if (typeof text !== 'string' || text.length > MAX_TEXT) return;
    if (documentToken === undefined) ipcRenderer.send(ipcChannel, text);
    else ipcRenderer.send(ipcChannel, text, documentToken);
  });

  const pending: string[] = [];
  let retry: ReturnType<typeof setTimeout> | undefined;
  const deliver = () => {
    retry = undefined;
    while (pending.length > 0) {
      const delivered: unknown = contextBridge.executeInMainWorld({
        func: (receiveName: string, text: string) => {
          const receive = (globalThis as Record<string, unknown>)[receiveName];
          if (typeof receive !== 'function') return false;
          try {
            (receive as (text: string) => void)(text);
          } catch (error) {
            // The page's own error: report it there, and go on with the next message.
            queueMicrotask(() => {
              throw error;
            });
          }
          return true;
        },
        args: [names.receive, pending[0]],
      });
      if (delivered !== true) {
        retry = setTimeout(deliver, 20);
        return;
      }
      pending.shift();
    }
  };
  ipcRenderer.on(ipcChannel, (_event, text: unknown) => {
    if (typeof text !== 'string' || pending.length >= MAX_PENDING) return;
    pending.push(text);
    if (retry === undefined) deliver();
  });
}
