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
import { isConnectClient } from './brokered-ports.ts';
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

/**
 * `process.parentPort` inside a utility process (GPU process, plugin host) under Electron. A message
 * that carries ports is a client's channel from the browser (`parentPortClientPorts`), never an RPC
 * message: it is not passed on.
 */
export function parentPortTransport(parentPort: ParentPort, peer: PeerIdentity): Transport {
  const cache = listenerWrappers((listener) => (event: ElectronMessageEvent) => {
    if ((event.ports?.length ?? 0) > 0 || isConnectClient(event.data)) return;
    listener(event.data);
  });
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

/** A client's direct channel, handed to a utility process by the browser as a port. */
export interface ClientPort {
  readonly clientId: string;
  /** Over the port; its peer is `{ process: clientProcess, id: clientId }`. */
  readonly transport: Transport;
  /** Closes the port: the client sees its channel close. */
  close(): void;
}

export interface ClientPortsOptions {
  /** Who the clients are, for their transports' peer identity ('tab'). */
  readonly clientProcess: string;
  /** A port message that is not `connect-client` with exactly one port: its ports are closed. */
  readonly onRefused?: (reason: string) => void;
}

/**
 * Inside a utility process under Electron: the ports the browser sends on `parentPort` with
 * `{ type: 'connect-client', clientId }` (brokered-ports.ts), each handed to `onClient` as a
 * transport (`messagePortMainTransport`). Returns the unsubscribe.
 */
export function parentPortClientPorts(
  parentPort: ParentPort,
  onClient: (client: ClientPort) => void,
  options: ClientPortsOptions,
): () => void {
  const listener = (event: ElectronMessageEvent) => {
    const ports = event.ports ?? [];
    if (ports.length === 0) return; // an RPC message: parentPortTransport's
    const [port] = ports;
    if (ports.length !== 1 || !port || !isConnectClient(event.data)) {
      for (const extra of ports) extra.close();
      options.onRefused?.(
        `refused a port message from the browser process: expected connect-client with one port, got ${ports.length} port(s)`,
      );
      return;
    }
    const { clientId } = event.data;
    onClient({
      clientId,
      transport: messagePortMainTransport(port, { process: options.clientProcess, id: clientId }),
      close: () => port.close(),
    });
  };
  parentPort.on('message', listener);
  return () => parentPort.off('message', listener);
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
