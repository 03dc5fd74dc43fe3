/**
 * How long rasterization takes, in the GPU process and end to end from a tab:
 *   node --import tsx bench/raster.bench.ts [ops=500] [rounds=60]
 * An 800 x 600 display list of every kind of op. `rasterMs` is the GPU process's own measure
 * (replay + pixel read-back); the round trip adds encoding the list, validating it, and sending
 * the 1.9 MB frame back over the tab's WebSocket channel.
 */
import { busyList } from '../gpu-worker/testing/display-lists.ts';
import { openTabChannel, startGpuProcess } from '../gpu-worker/testing/gpu-process.ts';
import { Rasterizer } from '../gpu-worker/rasterizer.ts';

const ops = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 60);
const list = busyList(ops);

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, min ${sorted[0]!.toFixed(2)} ms`;
}

// In this process: the rasterizer alone.
const rasterizer = new Rasterizer(process.pid);
for (let i = 0; i < 10; i++) rasterizer.rasterize(list);
const local = Array.from({ length: rounds }, () => rasterizer.rasterize(list).rasterMs);

// The real GPU process, reached as a tab reaches it.
const gpu = startGpuProcess();
try {
  const { url } = await gpu.connection.remote.establishChannel({ clientId: 'bench' });
  const tab = await openTabChannel(url, 'bench');
  const remote: number[] = [];
  const roundTrips: number[] = [];
  for (let i = 0; i < rounds + 10; i++) {
    const start = performance.now();
    const frame = await tab.connection.remote.rasterize(list);
    const roundTrip = performance.now() - start;
    if (i < 10) continue; // warm-up
    remote.push(frame.rasterMs);
    roundTrips.push(roundTrip);
  }
  tab.socket.close();
  console.log(`${list.width} x ${list.height}, ${list.ops.length} ops, ${rounds} rounds`);
  console.log(`  rasterMs, in process:            ${summary(local)}`);
  console.log(`  rasterMs, in the GPU process:    ${summary(remote)}`);
  console.log(`  rasterize round trip from a tab: ${summary(roundTrips)}`);
} finally {
  gpu.child.kill('SIGKILL');
}
