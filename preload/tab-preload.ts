// Preload of a tab's page (sandboxed renderer; built to dist-electron/tab-preload.cjs, CommonJS).
// Gives the page exactly its channel to the browser process: `__labTabSend(text)` and delivery into
// the page's `__labTabReceive`, as the Chromium shell's CDP binding does; and passes on the ports of
// the direct channels the browser brokers for it (GPU process, plugin host). Never raw ipcRenderer.
import { ipcRenderer } from 'electron';
import { deliveredPort, isPortDeliveryFor, newDocumentToken } from '../protocol/transport/brokered-ports.ts';
import { IPC } from '../protocol/transport/electron-ipc-channels.ts';
import { TAB_CHANNEL_NAMES } from '../protocol/transport/string-channel.ts';
import { exposeStringChannel } from './string-channel-preload.ts';

// This preload runs once per document: the token names this document, and goes with its messages.
const documentToken = newDocumentToken();
exposeStringChannel(IPC.tab, TAB_CHANNEL_NAMES, documentToken);

// A direct channel's port, sent by the browser process (`webContents.postMessage`; only the main
// process can send on ipcRenderer) for the document whose token it names: the document that was
// speaking on the tab's channel when the browser sent it. Another document (the tab navigated
// meanwhile, even to the same origin) never receives it: its ports are closed here. contextBridge
// cannot carry a MessagePort, so it goes into the page's world as a window message to the page's
// own origin; the page takes it by `portId` (protocol/transport/brokered-ports.ts, DeliveredPorts),
// accepting only messages whose source is its own window. A malformed delivery's ports are closed.
ipcRenderer.on(IPC.tabPort, (event, message: unknown) => {
  const ports = event.ports;
  const [port] = ports;
  const origin = window.location.origin;
  if (ports.length !== 1 || !port || !isPortDeliveryFor(message, documentToken) || origin === 'null') {
    for (const extra of ports) extra.close();
    return;
  }
  window.postMessage(deliveredPort(message.portId), origin, [port]);
});
