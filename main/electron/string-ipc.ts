/**
 * The browser end of a page's string channel over ipcMain (the preload's `__labUiSend` /
 * `__labTabSend`): the same StringChannel the Chromium shell builds over a CDP binding, so the page
 * side (protocol/transport/string-channel.ts) is identical in both shells. The sender check lives
 * here: only `contents`' own main frame is heard.
 */
import type { IpcMain, IpcMainEvent, WebContents } from 'electron';
import { stringChannelTransport } from '../../protocol/transport/string-channel.ts';
import type { MessageListener, PeerIdentity, Transport } from '../../protocol/transport/transport.ts';

/** Messages a page may send before the core listens, as in the Chromium shell. */
export const MAX_HELD = 256;

/** True when an IPC message comes from `contents`' main frame (not a subframe, not another page). */
export function fromMainFrameOf(event: IpcMainEvent, contents: WebContents): boolean {
  return !contents.isDestroyed() && event.sender === contents && event.senderFrame === contents.mainFrame;
}

export interface PageChannel {
  readonly transport: Transport;
  /** Delivers a string the page sent (already sender-checked). */
  receive(text: unknown): void;
  /** The document is gone: no more sending, and the transport reports closed. */
  close(): void;
}

/**
 * One document's channel: strings from the page go in through `receive`, messages to the page go
 * out through `contents.send(channel, text)`. What arrives before the first listener is held.
 */
export function pageChannel(contents: WebContents, channel: string, peer: PeerIdentity): PageChannel {
  let receiver: (text: string) => void = () => {};
  let closed = false;
  const closeListeners = new Set<() => void>();
  const inner = stringChannelTransport(
    {
      send: (text) => {
        if (!closed && !contents.isDestroyed()) contents.send(channel, text);
      },
      setReceiver: (receive) => (receiver = receive),
    },
    peer,
  );
  let held: [message: unknown, wireBytes: number | undefined][] | undefined = [];
  const transport: Transport = {
    ...inner,
    on(listener: MessageListener) {
      inner.on(listener);
      const waiting = held;
      held = undefined;
      if (waiting) for (const [message, wireBytes] of waiting) listener(message, wireBytes);
    },
    onDidClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
  inner.on((message, wireBytes) => {
    if (held && held.length < MAX_HELD) held.push([message, wireBytes]);
  });
  return {
    transport,
    receive: (text) => {
      if (!closed) receiver(text as string);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const listener of closeListeners) listener();
      closeListeners.clear();
    },
  };
}

/**
 * A webContents' channel on `channel`, one per document: a new PageChannel (handed to `onDocument`)
 * each time the main frame commits a navigation; the previous one closes, as it does when the
 * renderer process ends. One ipcMain listener, sender-checked, for as long as `contents` lives.
 */
export function documentChannels(
  ipcMain: IpcMain,
  contents: WebContents,
  channel: string,
  peer: () => PeerIdentity,
  onDocument: (page: PageChannel) => void,
): { current(): PageChannel | undefined; dispose(): void } {
  let current: PageChannel | undefined;
  const listener = (event: IpcMainEvent, text: unknown) => {
    if (fromMainFrameOf(event, contents)) current?.receive(text);
  };
  const commit = () => {
    current?.close();
    current = pageChannel(contents, channel, peer());
    onDocument(current);
  };
  const gone = () => {
    current?.close();
    current = undefined;
  };
  ipcMain.on(channel, listener);
  contents.on('did-navigate', commit);
  contents.on('render-process-gone', gone);
  const dispose = () => {
    ipcMain.off(channel, listener);
    contents.off('did-navigate', commit);
    contents.off('render-process-gone', gone);
    gone();
  };
  contents.once('destroyed', dispose);
  return { current: () => current, dispose };
}
