// lab://memory-hog: allocates and touches 10 MB every 200 ms, up to 512 MB; Stop, and Release.
import { startTabRuntime } from '../tab-runtime/index.ts';
import { startPage } from './shared/page.ts';

const MB = 1024 * 1024;
const STEP = 10 * MB;
const LIMIT = 512 * MB;
const INTERVAL_MS = 200;

const runtime = startTabRuntime();
startPage(runtime, 100);

const stopButton = document.getElementById('stop') as HTMLButtonElement;
const releaseButton = document.getElementById('release') as HTMLButtonElement;
const allocatedText = document.getElementById('allocated')!;
const meter = document.getElementById('meter')!;
const stateText = document.getElementById('memory-state')!;

const blocks: Uint8Array[] = [];
let allocated = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function allocate(): void {
  const size = Math.min(STEP, LIMIT - allocated);
  if (size <= 0) return stop('Reached 512 MB: holding it.');
  const block = new Uint8Array(size);
  // Touch every byte with something other than zero, so the memory is really committed.
  block.fill((blocks.length % 255) + 1);
  blocks.push(block);
  allocated += size;
  render();
  if (allocated >= LIMIT) stop('Reached 512 MB: holding it.');
}

function start(): void {
  if (timer !== undefined || allocated >= LIMIT) return;
  timer = setInterval(allocate, INTERVAL_MS);
  stopButton.textContent = 'Stop';
  stateText.textContent = 'Allocating 10 MB every 200 ms…';
  document.documentElement.dataset.allocating = 'true';
}

function stop(message = 'Stopped: holding what it has.'): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  stopButton.textContent = allocated >= LIMIT ? 'Stop' : 'Resume';
  stopButton.disabled = allocated >= LIMIT;
  stateText.textContent = message;
  document.documentElement.dataset.allocating = 'false';
}

function release(): void {
  blocks.length = 0;
  allocated = 0;
  stopButton.disabled = false;
  stop('Released: the garbage collector returns it in its own time.');
  render();
}

function render(): void {
  allocatedText.textContent = `${Math.round(allocated / MB)} MB`;
  allocatedText.dataset.bytes = String(allocated);
  document.documentElement.dataset.allocatedMb = String(Math.round(allocated / MB));
  meter.style.width = `${(allocated / LIMIT) * 100}%`;
}

stopButton.addEventListener('click', () => (timer === undefined ? start() : stop()));
releaseButton.addEventListener('click', release);
render();
start();
