// Preload of a tab's page (sandboxed renderer; built to dist-electron/tab-preload.cjs, CommonJS).
// Gives the page exactly its channel to the browser process: `__labTabSend(text)` and delivery into
// the page's `__labTabReceive`, as the Chromium shell's CDP binding does; and passes on the ports of
// the direct channels the browser brokers for it (GPU process, plugin host). Never raw ipcRenderer.
import { ipcRenderer } from 'electron';
import { deliveredPort, isPortDelivery } from '../protocol/transport/brokered-ports.ts';
import { TAB_CHANNEL_NAMES } from '../protocol/transport/string-channel.ts';
import { exposeStringChannel } from './string-channel-preload.ts';

/** Same names as main/electron/ipc-channels.ts (checked by its test). */
const IPC_TAB = 'lab:tab';
const IPC_TAB_PORT = 'lab:tab-port';

exposeStringChannel(IPC_TAB, TAB_CHANNEL_NAMES);

// A direct channel's port, sent by the browser process (`webContents.postMessage`; only the main
// process can send on ipcRenderer). contextBridge cannot carry a MessagePort, so it goes into the
// page's world as a window message, addressed to the page's own origin: if the tab has navigated
// to another origin meanwhile, that document never receives it. The page takes it by `portId`
// (protocol/transport/brokered-ports.ts, DeliveredPorts), accepting only messages whose source is
// its own window. Nothing else is passed on; a malformed delivery's ports are closed.
ipcRenderer.on(IPC_TAB_PORT, (event, message: unknown) => {
  const ports = event.ports;
  const [port] = ports;
  const origin = window.location.origin;
  if (ports.length !== 1 || !port || !isPortDelivery(message) || origin === 'null') {
    for (const extra of ports) extra.close();
    return;
  }
  window.postMessage(deliveredPort(message.portId), origin, [port]);
});
