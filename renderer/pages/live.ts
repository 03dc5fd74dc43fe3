// lab://live: a DOM counter (100 ms) and an animation composited through the GPU process (~30 fps).
import { startFrameLoop, startTabRuntime, type GpuCompositor } from '../tab-runtime/index.ts';
import { paintLiveScene } from './live-scene.ts';
import { startPage } from './shared/page.ts';

const runtime = startTabRuntime();
startPage(runtime, 100);

const canvas = document.getElementById('scene') as HTMLCanvasElement;
const compositor = runtime.compositor(canvas);
const started = performance.now();

startFrameLoop((now) => {
  const { mode, gpuPid } = compositor;
  compositor.drawFrame((ctx) =>
    paintLiveScene(ctx, { frame: compositor.framesDrawn + 1, time: now - started, mode, gpuPid }),
  );
});

// The status line: a few times a second is plenty.
const status = document.getElementById('gpu-status')!;
const showStatus = (compositor: GpuCompositor) => {
  const parts: string[] = [];
  const { mode, gpuPid, framesDrawn, lastRasterMs } = compositor;
  if (mode === 'hardware')
    parts.push(
      `GPU process <b>pid ${gpuPid}</b>`,
      `raster ${lastRasterMs === undefined ? '–' : `${lastRasterMs.toFixed(1)} ms`}`,
    );
  else if (mode === 'software')
    parts.push(
      runtime.browser ? 'the browser chose software compositing' : 'no browser: this tab rasterizes by itself',
    );
  else parts.push('no GPU channel: showing the last frame, waiting for the GPU process');
  parts.push(`${framesDrawn.toLocaleString('en-US')} frames drawn`);
  status.innerHTML = `Compositing: <b class="mode">${mode}</b> · ${parts.join(' · ')}`;
};
showStatus(compositor);
compositor.onDidChangeMode(() => showStatus(compositor));
setInterval(() => showStatus(compositor), 250);
