// lab://ipc: the IPC lab (labs/ipc/). The view takes an IpcLabSource: the page's lab channel to the
// lab host, which the browser brokers; where it cannot (no browser channel, the lab host down), a run
// says the lab host is not connected and never shows numbers it did not measure.
import { startTabRuntime } from '../tab-runtime/index.ts';
import { byId } from './labs/dom.ts';
import { NotConnectedIpcLabSource } from './labs/ipc/ipc-lab-source.ts';
import { LabHostIpcSource } from './labs/ipc/lab-host-source.ts';
import { mountIpcLab } from './labs/ipc/ipc-view.ts';
import { startLabPage } from './labs/lab-page.ts';
import { showWhere } from './shared/page.ts';
import './labs/labs.css';

const runtime = startTabRuntime();
showWhere();

const page = startLabPage(runtime, 'ipc', 'title', 'lede');
// Without a channel to the browser (the page opened outside a shell) no lab channel can come.
mountIpcLab(byId('ipc-lab'), runtime.browser ? new LabHostIpcSource() : new NotConnectedIpcLabSource(), page.i18n);
