// Preload of a tab's page (sandboxed renderer; built to dist-electron/tab-preload.cjs, CommonJS).
// Gives the page exactly its channel to the browser process: `__labTabSend(text)` and delivery into
// the page's `__labTabReceive`, as the Chromium shell's CDP binding does. Never raw ipcRenderer.
import { TAB_CHANNEL_NAMES } from '../protocol/transport/string-channel.ts';
import { exposeStringChannel } from './string-channel-preload.ts';

/** Same name as main/electron/ipc-channels.ts (checked by its test). */
const IPC_TAB = 'lab:tab';

exposeStringChannel(IPC_TAB, TAB_CHANNEL_NAMES);
