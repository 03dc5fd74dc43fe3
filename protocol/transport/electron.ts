/**
 * Adapters for Electron's channels. Type-only imports: this file never loads the `electron` module,
 * the caller passes in the real objects, and `tsc` checks them against Electron's own types.
 */
import type {
  IpcMain,
  IpcMainEvent,
  IpcRenderer,
  IpcRendererEvent,
  MessageEvent as ElectronMessageEvent,
  MessagePortMain,
  ParentPort,
  UtilityProcess,
  WebContents,
} from 'electron';
import { listenerWrappers } from './listener-wrappers.ts';
import type { PeerIdentity, Transport } from './transport.ts';

/** A MessagePortMain: the browser-process end of a MessageChannelMain (e.g. a tab's GPU channel). */
export function messagePortMainTransport(port: MessagePortMain, peer: PeerIdentity): Transport {
  const cache = listenerWrappers((listener) => (event: ElectronMessageEvent) => listener(event.data));
  return {
    peer,
    post: (message, transfer) => port.postMessage(message, transfer as MessagePortMain[] | undefined),
    on(listener) {
      const wrapper = cache.add(listener);
      if (!wrapper) return;
      port.on('message', wrapper);
      port.start();
    },
    off(listener) {
      const wrapper = cache.remove(listener);
      if (wrapper) port.off('message', wrapper);
    },
    onDidClose(listener) {
      port.on('close', listener);
      return () => port.off('close', listener);
    },
  };
}

/** `process.parentPort` inside a utility process (GPU process, plugin host) under Electron. */
export function parentPortTransport(parentPort: ParentPort, peer: PeerIdentity): Transport {
  const cache = listenerWrappers((listener) => (event: ElectronMessageEvent) => listener(event.data));
  return {
    peer,
    post: (message) => parentPort.postMessage(message),
    on(listener) {
      const wrapper = cache.add(listener);
      if (wrapper) parentPort.on('message', wrapper);
    },
    off(listener) {
      const wrapper = cache.remove(listener);
      if (wrapper) parentPort.off('message', wrapper);
    },
  };
}

/** The browser-process side of a child started with `utilityProcess.fork`. */
export function utilityProcessTransport(child: UtilityProcess, peer: PeerIdentity): Transport {
  return {
    peer,
    post: (message, transfer) => child.postMessage(message, transfer as MessagePortMain[] | undefined),
    on: (listener) => child.on('message', listener),
    off: (listener) => child.off('message', listener),
    onDidClose(listener) {
      child.on('exit', listener);
      return () => child.off('exit', listener);
    },
  };
}

/** A preload's channel to the browser process. Carries no ports (Electron cannot send them here). */
export function ipcRendererTransport(ipcRenderer: IpcRenderer, channel: string, peer: PeerIdentity): Transport {
  const cache = listenerWrappers((listener) => (_event: IpcRendererEvent, message: unknown) => listener(message));
  return {
    peer,
    post: (message) => ipcRenderer.send(channel, message),
    on(listener) {
      const wrapper = cache.add(listener);
      if (wrapper) ipcRenderer.on(channel, wrapper);
    },
    off(listener) {
      const wrapper = cache.remove(listener);
      if (wrapper) ipcRenderer.off(channel, wrapper);
    },
  };
}

/**
 * The browser-process side of one webContents' IPC channel. The sender check lives here: a message
 * on `channel` is accepted only from `contents`' own main frame, so the identity a handler sees is
 * the transport's, never something the page claims.
 */
export function ipcMainTransport(
  ipcMain: IpcMain,
  channel: string,
  contents: WebContents,
  peer: PeerIdentity,
): Transport {
  const cache = listenerWrappers((listener) => (event: IpcMainEvent, message: unknown) => {
    if (event.sender !== contents || event.senderFrame !== contents.mainFrame) return;
    listener(message);
  });
  return {
    peer,
    post: (message) => {
      if (!contents.isDestroyed()) contents.send(channel, message);
    },
    on(listener) {
      const wrapper = cache.add(listener);
      if (wrapper) ipcMain.on(channel, wrapper);
    },
    off(listener) {
      const wrapper = cache.remove(listener);
      if (wrapper) ipcMain.off(channel, wrapper);
    },
    onDidClose(listener) {
      contents.once('destroyed', listener);
      return () => contents.off('destroyed', listener);
    },
  };
}
