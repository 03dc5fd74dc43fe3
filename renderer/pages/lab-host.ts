// lab://lab-host: this page's channel to the lab host (connectLabChannel), connected at load and again
// whenever the browser says a new lab host is ready, and a quick IPC run over it. A small page of the
// IPC lab's site, so the browser grants it a lab channel; the IPC lab's own page is lab://ipc.
// State for tests on <html>: data-lab-channel (connecting | connected | down | refused),
// data-lab-host-pid, data-lab-run (running | done | failed).
import { connectLabChannel, onLabHostChanged, startTabRuntime, type LabChannelClient } from '../tab-runtime/index.ts';
import { startPage } from './shared/page.ts';

const runtime = startTabRuntime();
startPage(runtime, 100);

const root = document.documentElement;
const status = document.getElementById('lab-status')!;
const button = document.getElementById('run') as HTMLButtonElement;
const log = document.getElementById('lab-log')!;
let channel: LabChannelClient | undefined;

function show(state: 'connecting' | 'connected' | 'down' | 'refused', text: string, pid?: number): void {
  root.dataset.labChannel = state;
  if (pid === undefined) delete root.dataset.labHostPid;
  else root.dataset.labHostPid = String(pid);
  status.textContent = `Lab host: ${text}`;
  button.disabled = state !== 'connected' || root.dataset.labRun === 'running';
}

async function connect(): Promise<void> {
  channel?.close();
  channel = undefined;
  show('connecting', 'connecting…');
  try {
    const opened = await connectLabChannel();
    channel = opened;
    show('connected', `connected, pid ${opened.hostPid}`, opened.hostPid);
    opened.onDidClose(() => {
      if (channel === opened) show('down', 'gone; the browser starts another');
    });
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    show(code === 'LAB_NOT_ALLOWED' ? 'refused' : 'down', message ?? String(error));
  }
}

button.addEventListener('click', () => {
  const running = channel;
  if (!running) return;
  root.dataset.labRun = 'running';
  button.disabled = true;
  log.textContent = '';
  running
    .runIpc(
      { quick: true, only: ['unix-socket', 'tcp-loopback', 'shared-memory/threads'], sizes: [64], tearRuns: 1 },
      ({ line }) => {
        log.textContent += `${line}\n`;
      },
    )
    .then(
      (result) => {
        log.textContent += `done: ${result.channels.length} channels measured, ${result.checks.length} checks\n`;
        root.dataset.labRun = 'done';
      },
      (error: unknown) => {
        log.textContent += `failed: ${(error as Error).message}\n`;
        root.dataset.labRun = 'failed';
      },
    )
    .finally(() => {
      button.disabled = channel === undefined || channel.closed;
    });
});

onLabHostChanged((running) => {
  if (running) void connect();
});
void connect();
