// lab://ipc: the IPC lab (labs/ipc/). The view takes an IpcLabSource; until the page has a channel
// to the lab host, the source says the lab host is not connected (the page then says so, and never
// shows numbers it did not measure).
import { startTabRuntime } from '../tab-runtime/index.ts';
import { byId } from './labs/dom.ts';
import { NotConnectedIpcLabSource } from './labs/ipc/ipc-lab-source.ts';
import { mountIpcLab } from './labs/ipc/ipc-view.ts';
import { startLabPage } from './labs/lab-page.ts';
import { showWhere } from './shared/page.ts';
import './labs/labs.css';

const runtime = startTabRuntime();
showWhere();

const page = startLabPage(runtime, 'ipc', 'title', 'lede');
mountIpcLab(byId('ipc-lab'), new NotConnectedIpcLabSource(), page.i18n);
