/**
 * `npm run bench:processes`: what process isolation costs and how fast it recovers, measured in one
 * run on real processes (the GPU process and plugin host as the Chromium shell starts them, bundled
 * as the app's build bundles them):
 *   - child spawn to first message (its `describe` answer), against a bare `node` child for scale;
 *   - crash (SIGKILL) to detection by the browser process;
 *   - GPU process crash to the next frame delivered to a tab (restart, new channel, rasterize);
 *   - frames per second and frame latency of an 800x600 display list rasterized through the GPU
 *     process (list out, pixels back) against replaying it in-process with the same Skia.
 * Printed as a table; `--quick` runs fewer rounds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { replayDisplayList, type Canvas2DLike } from '../protocol/paint/replay.ts';
import { bundleChildren } from '../main/chromium/child-bundles.ts';
import { systemClock } from '../main/core/clock.ts';
import { EventLog } from '../main/core/event-log.ts';
import { GpuProcessHost } from '../main/core/gpu-process-host.ts';
import { PluginProcessHost } from '../main/core/plugin-process-host.ts';
import { ProcessRegistry } from '../main/core/process-registry.ts';
import { childProcessLauncher } from '../main/chromium/utility-launcher.ts';
import { busyList, gpuCrashToNextFrame, openChannel } from './recovery/gpu-next-frame.ts';

const QUICK = process.argv.includes('--quick');
const SPAWNS = QUICK ? 3 : 10;
const CRASHES = QUICK ? 3 : 8;
const FRAME_SECONDS = QUICK ? 1 : 3;

const root = path.resolve(import.meta.dirname, '..');
const children = await bundleChildren(root);
const launcher = childProcessLauncher({ entries: children.entries, stdio: 'ignore' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

function world() {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  const clock = systemClock();
  return { log, registry, clock, launcher };
}

// ---- spawn to first message ---------------------------------------------------------------------

async function bareNodeSpawn(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', "process.send('hi'); process.disconnect()"], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  await new Promise((resolve) => child.once('message', resolve));
  const elapsed = performance.now() - started;
  await new Promise((resolve) => child.once('exit', resolve));
  return elapsed;
}

async function utilitySpawn(kind: 'gpu' | 'plugin-host'): Promise<number> {
  const w = world();
  const host = kind === 'gpu' ? new GpuProcessHost(w) : new PluginProcessHost(w);
  const started = performance.now();
  await host.start();
  const elapsed = performance.now() - started;
  host.dispose();
  return elapsed;
}

// ---- crash to detection -------------------------------------------------------------------------

async function crashToDetection(): Promise<number> {
  const w = world();
  const plugins = new PluginProcessHost(w);
  await plugins.start();
  const detected = new Promise<number>((resolve) => plugins.onDidCrash(() => resolve(performance.now())));
  const killedAt = performance.now();
  process.kill(plugins.pid!, 'SIGKILL');
  const elapsed = (await detected) - killedAt;
  plugins.dispose();
  return elapsed;
}

// ---- GPU crash to next frame --------------------------------------------------------------------

// ---- frames -------------------------------------------------------------------------------------

async function framesThroughGpu(gpu: GpuProcessHost): Promise<{ fps: number; latencies: number[]; raster: number[] }> {
  const grant = await gpu.establishChannel('frames');
  if (grant.mode !== 'hardware') throw new Error('no GPU process');
  const channel = await openChannel(grant.channel);
  const latencies: number[] = [];
  const raster: number[] = [];
  const end = performance.now() + FRAME_SECONDS * 1000;
  let frame = 0;
  while (performance.now() < end) {
    const list = busyList(frame++);
    const started = performance.now();
    const result = await channel.connection.remote.rasterize(list);
    latencies.push(performance.now() - started);
    raster.push(result.rasterMs);
  }
  channel.close();
  return { fps: frame / FRAME_SECONDS, latencies, raster };
}

function framesInProcess(): { fps: number; latencies: number[] } {
  const canvas = createCanvas(800, 600);
  const context = canvas.getContext('2d') as unknown as Canvas2DLike<unknown>;
  const latencies: number[] = [];
  const end = performance.now() + FRAME_SECONDS * 1000;
  let frame = 0;
  while (performance.now() < end) {
    const list = busyList(frame++);
    const started = performance.now();
    replayDisplayList(context, list, () => {
      throw new Error('no images in this list');
    });
    (context as unknown as { getImageData(x: number, y: number, w: number, h: number): unknown }).getImageData(
      0,
      0,
      800,
      600,
    );
    latencies.push(performance.now() - started);
  }
  return { fps: frame / FRAME_SECONDS, latencies };
}

// ---- run ----------------------------------------------------------------------------------------

try {
  const bare: number[] = [];
  const gpuSpawn: number[] = [];
  const pluginSpawn: number[] = [];
  for (let i = 0; i < SPAWNS; i++) {
    bare.push(await bareNodeSpawn());
    gpuSpawn.push(await utilitySpawn('gpu'));
    pluginSpawn.push(await utilitySpawn('plugin-host'));
  }
  const detection: number[] = [];
  for (let i = 0; i < CRASHES; i++) detection.push(await crashToDetection());

  const w = world();
  // A long window: the benchmark crashes it on purpose more than three times.
  const gpu = new GpuProcessHost({ ...w, crashLimit: 1000 });
  await gpu.start();
  const recovery: number[] = [];
  for (let i = 0; i < CRASHES; i++) recovery.push((await gpuCrashToNextFrame(gpu)).elapsedMs);
  const through = await framesThroughGpu(gpu);
  const local = framesInProcess();
  gpu.dispose();

  console.log(`# Process isolation: costs and recovery\n`);
  console.log(
    `Node ${process.version}, ${QUICK ? 'quick' : 'full'} run; medians of ${SPAWNS} spawns and ${CRASHES} crashes.\n`,
  );
  console.log('| measure | p50 | p95 | note |');
  console.log('|---|---:|---:|---|');
  console.log(
    `| bare \`node\` child: spawn to first message | ${ms(median(bare))} | ${ms(percentile(bare, 0.95))} | the floor |`,
  );
  console.log(
    `| GPU process: spawn to \`describe\` answered | ${ms(median(gpuSpawn))} | ${ms(percentile(gpuSpawn, 0.95))} | ${(median(gpuSpawn) / median(bare)).toFixed(1)}x the floor (loads Skia) |`,
  );
  console.log(
    `| plugin host: spawn to \`describe\` answered | ${ms(median(pluginSpawn))} | ${ms(percentile(pluginSpawn, 0.95))} | ${(median(pluginSpawn) / median(bare)).toFixed(1)}x the floor |`,
  );
  console.log(
    `| crash (SIGKILL) to detection | ${ms(median(detection))} | ${ms(percentile(detection, 0.95))} | child 'exit' seen by the browser |`,
  );
  console.log(
    `| GPU crash to the next frame delivered | ${ms(median(recovery))} | ${ms(percentile(recovery, 0.95))} | restart + new channel + an 800x600 frame |`,
  );
  console.log(
    `| frame through the GPU process (800x600, 500 ops) | ${ms(median(through.latencies))} | ${ms(percentile(through.latencies, 0.95))} | ${through.fps.toFixed(0)} fps; raster in the GPU process ${ms(median(through.raster))} |`,
  );
  console.log(
    `| same frame replayed in-process | ${ms(median(local.latencies))} | ${ms(percentile(local.latencies, 0.95))} | ${local.fps.toFixed(0)} fps |`,
  );
  console.log(
    `\nOut-of-process rasterization costs ${(median(through.latencies) / median(local.latencies)).toFixed(2)}x the in-process frame time ` +
      `(${(through.fps / local.fps).toFixed(2)}x the frame rate): the list goes out, 1.9 MB of pixels come back.`,
  );
} finally {
  children.remove();
}
