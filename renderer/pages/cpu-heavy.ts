// lab://cpu-heavy: busy in 40 ms slices with a setTimeout(0) between them: loaded, never hung.
import { startTabRuntime } from '../tab-runtime/index.ts';
import { startPage } from './shared/page.ts';

const SLICE_MS = 40;

const runtime = startTabRuntime();
startPage(runtime, 100);

const button = document.getElementById('compute') as HTMLButtonElement;
const show = (id: string, text: string) => (document.getElementById(id)!.textContent = text);

let running = false;
let slices = 0;
let candidate = 2;
let primes = 0;
let largest = 0;
let busyMs = 0;
let startedAt = 0;

function isPrime(n: number): boolean {
  if (n < 4) return n >= 2;
  if (n % 2 === 0) return false;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

function slice(): void {
  if (!running) return;
  const start = performance.now();
  // Work until the slice is used up; checking the clock every 256 candidates keeps that cheap.
  while (performance.now() - start < SLICE_MS) {
    for (let i = 0; i < 256; i++, candidate++) {
      if (isPrime(candidate)) {
        primes++;
        largest = candidate;
      }
    }
  }
  busyMs += performance.now() - start;
  slices++;
  // Yield to the event loop: timers (the counter, heartbeats), input and rendering run, then more work.
  setTimeout(slice, 0);
}

function toggle(): void {
  running = !running;
  button.textContent = running ? 'Stop' : 'Compute';
  document.documentElement.dataset.computing = String(running);
  if (running) {
    startedAt = performance.now();
    busyMs = 0;
    slice();
  }
  render();
}

function render(): void {
  show('slices', slices.toLocaleString('en-US'));
  const elapsed = performance.now() - startedAt;
  show('busy', running && elapsed > 0 ? `${Math.min(100, Math.round((busyMs / elapsed) * 100))} %` : '0 %');
  show('primes', primes.toLocaleString('en-US'));
  show('largest', largest ? largest.toLocaleString('en-US') : '–');
}

document.documentElement.dataset.computing = 'false';
button.addEventListener('click', toggle);
setInterval(render, 250);
render();
