/**
 * The browser end of a page's string channel over ipcMain (the preload's `__labUiSend` /
 * `__labTabSend`): the same StringChannel the Chromium shell builds over a CDP binding, so the page
 * side (protocol/transport/string-channel.ts) is identical in both shells. The sender check lives
 * here: only `contents`' own main frame is heard. One ipcMain listener per channel (`IpcRouter`),
 * however many tabs: Node warns from the 11th listener of one event.
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

/** What an ipcMain listener of one webContents gets: the event and what the page sent. */
export type IpcHandler = (event: IpcMainEvent, ...args: unknown[]) => void;

/**
 * One ipcMain listener per channel, dispatching by sender to the webContents that registered for
 * it: each handler hears only its own webContents' main frame (`fromMainFrameOf`).
 */
export class IpcRouter {
  private readonly routes = new Map<string, Map<WebContents, IpcHandler>>();
  private readonly listeners = new Map<string, IpcHandler>();

  constructor(private readonly ipcMain: Pick<IpcMain, 'on' | 'off'>) {}

  /** Hears `channel` from `contents`' main frame with `handler`, until the returned function is called. */
  route(channel: string, contents: WebContents, handler: IpcHandler): () => void {
    let byContents = this.routes.get(channel);
    if (!byContents) {
      const routes = new Map<WebContents, IpcHandler>();
      byContents = routes;
      this.routes.set(channel, routes);
      const listener: IpcHandler = (event, ...args) => {
        const sender = event.sender;
        const handle = routes.get(sender);
        if (handle && fromMainFrameOf(event, sender)) handle(event, ...args);
      };
      this.listeners.set(channel, listener);
      this.ipcMain.on(channel, listener);
    }
    if (byContents.has(contents)) throw new Error(`${channel} is routed to this webContents already`);
    byContents.set(contents, handler);
    return () => {
      if (byContents.get(contents) !== handler) return;
      byContents.delete(contents);
      if (byContents.size > 0) return;
      this.routes.delete(channel);
      this.ipcMain.off(channel, this.listeners.get(channel)!);
      this.listeners.delete(channel);
    };
  }
}

export interface PageChannel {
  readonly transport: Transport;
  /**
   * The document's own token, sent by its preload with every message (the tab preload makes one
   * per document; the UI preload sends none), learnt from its first message: what a port delivery
   * names (channel-broker.ts).
   */
  token: string | undefined;
  /** Delivers a string the page sent (already sender-checked). */
  receive(text: unknown): void;
  /** The document is gone: no more sending, and the transport reports closed. */
  close(): void;
}

/**
 * One document's channel: strings from the page go in through `receive`, messages to the page go
 * out through `contents.send(channel, text)`. What arrives before the first listener is held.
 */
export function pageChannel(contents: WebContents, channel: string, peer: PeerIdentity, token?: string): PageChannel {
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
    token,
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

/** A document token as the tab preload makes them (hex), or undefined for a page that sends none. */
function tokenOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{16,64}$/.test(value) ? value : undefined;
}

/**
 * A webContents' channel on `channel`, one per document: a new PageChannel (handed to `onDocument`)
 * each time the main frame commits a navigation; the previous one closes, as it does when the
 * renderer process ends. Heard through `router`, sender-checked, for as long as `contents` lives.
 *
 * Where the preload sends its document's token with each message, a message whose token is not the
 * current document's comes from a newer document whose commit (`did-navigate`) has not been seen
 * yet: it is held for that document's channel instead of reaching the old one.
 */
export function documentChannels(
  router: IpcRouter,
  contents: WebContents,
  channel: string,
  peer: () => PeerIdentity,
  onDocument: (page: PageChannel) => void,
): { current(): PageChannel | undefined; end(): void; dispose(): void } {
  let current: PageChannel | undefined;
  /** Messages of the next document, which spoke before its commit was seen. */
  let early: { token: string; texts: unknown[] } | undefined;
  const heard = (_event: IpcMainEvent, text: unknown, token?: unknown) => {
    const from = tokenOf(token);
    // A document with a token other than the current one's, or while there is none (the renderer
    // ended and the next document's commit has not been seen): the next document is speaking.
    if (from !== undefined && (current === undefined || (current.token !== undefined && from !== current.token))) {
      if (early?.token !== from) early = { token: from, texts: [] };
      if (early.texts.length < MAX_HELD) early.texts.push(text);
      return;
    }
    if (current && current.token === undefined) current.token = from;
    current?.receive(text);
  };
  const commit = () => {
    current?.close();
    const next = early;
    early = undefined;
    current = pageChannel(contents, channel, peer(), next?.token);
    onDocument(current);
    for (const text of next?.texts ?? []) current.receive(text);
  };
  const gone = () => {
    current?.close();
    current = undefined;
    early = undefined;
  };
  const unroute = router.route(channel, contents, heard);
  contents.on('did-navigate', commit);
  contents.on('render-process-gone', gone);
  const dispose = () => {
    unroute();
    contents.off('did-navigate', commit);
    contents.off('render-process-gone', gone);
    gone();
  };
  contents.once('destroyed', dispose);
  // end: the document was replaced without a commit (an error page): no channel until the next one.
  return { current: () => current, end: gone, dispose };
}
