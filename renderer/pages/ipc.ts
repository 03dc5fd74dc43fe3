// lab://ipc: the IPC lab (labs/ipc/). The view takes an IpcLabSource: the page's lab channel to the
// lab host, which the browser brokers; where it cannot (no browser channel, the lab host down), a run
// says the lab host is not connected and never shows numbers it did not measure. The page's own GPU
// channel is timed after each run (the browser tie-in): a compositor on a 1×1 canvas nobody sees,
// made at the first run, so the channel is asked for only by a page that measures.
import { GpuCompositor, startTabRuntime } from '../tab-runtime/index.ts';
import { byId } from './labs/dom.ts';
import { NotConnectedIpcLabSource } from './labs/ipc/ipc-lab-source.ts';
import { GPU_ROUND_TRIPS } from './labs/ipc/gpu-channel-probe.ts';
import { LabHostIpcSource } from './labs/ipc/lab-host-source.ts';
import { mountIpcLab } from './labs/ipc/ipc-view.ts';
import { startLabPage } from './labs/lab-page.ts';
import { showWhere } from './shared/page.ts';
import './labs/labs.css';

const runtime = startTabRuntime();
showWhere();

const page = startLabPage(runtime, 'ipc', 'title', 'lede');
// Without a channel to the browser (the page opened outside a shell) no lab channel can come.
const browser = runtime.browser;
let gpu: GpuCompositor | undefined;
const timeGpuChannel = () => {
  // Its data-* attributes go on a detached element: <html>'s belong to the page's own compositing.
  gpu ??= new GpuCompositor({
    canvas: document.createElement('canvas'),
    browser,
    status: document.createElement('div'),
  });
  return gpu.timeRoundTrips(GPU_ROUND_TRIPS);
};
mountIpcLab(
  byId('ipc-lab'),
  browser ? new LabHostIpcSource({ timeGpuChannel }) : new NotConnectedIpcLabSource(),
  page.i18n,
);
