/**
 * The hot-standby GPU process against a cold restart: GPU process crash (SIGKILL) to the next frame
 * delivered to a tab (gpu-next-frame.ts, as `bench:processes` measures it), with the standby on and
 * off, measured in one run on real processes (the GPU process as the Chromium shell starts it,
 * bundled as the app's build bundles it). Two GpuProcessHosts live side by side, one with a standby
 * and one without, and the rounds alternate between them (on, off, off, on, ...), so both arms see
 * the same machine. Before each crash the arm's processes are settled (its standby started and
 * warmed up) and the machine is left alone for a moment; the new standby that starts after a
 * promotion does so inside the measured time, as it would in the app.
 * Also the standby's memory: its PSS and RSS (/proc/<pid>/smaps_rollup) once warmed up, beside the
 * active GPU process's after it has drawn.
 *
 * Target: on at most 100 ms at p50, and below off. Flags: `--rounds N` (per arm, default 10),
 * `--quick` (4 rounds). `measureGpuStandby(options)` returns the numbers for bench:recovery.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleChildren } from '../../main/chromium/child-bundles.ts';
import { pssBytes } from '../../main/chromium/process-metrics.ts';
import { childProcessLauncher } from '../../main/chromium/utility-launcher.ts';
import { systemClock } from '../../main/core/clock.ts';
import { EventLog } from '../../main/core/event-log.ts';
import { GpuProcessHost } from '../../main/core/gpu-process-host.ts';
import { ProcessRegistry } from '../../main/core/process-registry.ts';
import { busyList, gpuCrashToNextFrame, openChannel, type NextFrame } from './gpu-next-frame.ts';

export const GPU_STANDBY_TARGET_MS = 100;

export interface GpuStandbyOptions {
  /** Crashes per arm (default 10). */
  readonly rounds?: number;
  /** Quiet time before each crash, ms (default 300). */
  readonly settleMs?: number;
  /** Called after each measured crash. */
  readonly onRound?: (arm: 'on' | 'off', frame: NextFrame) => void;
}

export interface ArmResult {
  /** Crash to next frame, ms, in the order measured. */
  readonly samples: readonly number[];
  readonly p50: number;
  readonly p90: number;
}

export interface Memory {
  readonly pssBytes: number;
  readonly rssBytes: number;
}

export interface GpuStandbyResult {
  readonly on: ArmResult;
  readonly off: ArmResult;
  /** on p50 / off p50. */
  readonly ratio: number;
  /** Every crash in the on arm was answered by the former standby (its pid drew the next frame). */
  readonly promoted: number;
  /** The standby, warmed up and idle. */
  readonly standbyMemory: Memory;
  /** The active GPU process after drawing frames, for scale. */
  readonly activeMemory: Memory;
  /** Whether on p50 met GPU_STANDBY_TARGET_MS and was below off. */
  readonly met: boolean;
}

/** The value at quantile q of sorted values (nearest rank). */
function quantileOf(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? Number.NaN;
}

function arm(samples: number[]): ArmResult {
  return { samples, p50: quantileOf(samples, 0.5), p90: quantileOf(samples, 0.9) };
}

async function memoryOf(pid: number): Promise<Memory> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const rss = /^Rss:\s+(\d+) kB$/m.exec(rollup);
  if (!rss) throw new Error('no Rss line in smaps_rollup');
  return { pssBytes: pssBytes(rollup), rssBytes: Number(rss[1]) * 1024 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A frame drawn through `gpu`, so the process measured for memory has drawn like a tab's would. */
async function drawOnce(gpu: GpuProcessHost): Promise<void> {
  const grant = await gpu.establishChannel('memory');
  if (grant.mode !== 'hardware') throw new Error('no GPU process');
  const channel = await openChannel(grant.channel, 'memory');
  await channel.connection.remote.rasterize(busyList(1));
  channel.close();
}

export async function measureGpuStandby(options: GpuStandbyOptions = {}): Promise<GpuStandbyResult> {
  const rounds = options.rounds ?? 10;
  const settleMs = options.settleMs ?? 300;
  const root = path.resolve(import.meta.dirname, '../..');
  const children = await bundleChildren(root);
  const launcher = childProcessLauncher({ entries: children.entries, stdio: 'ignore' });
  const host = (standby: boolean) => {
    const log = new EventLog();
    // A long crash limit: the benchmark crashes on purpose more than three times.
    return new GpuProcessHost({
      launcher,
      log,
      registry: new ProcessRegistry(log),
      clock: systemClock(),
      crashLimit: 10_000,
      standby,
    });
  };
  const on = host(true);
  const off = host(false);
  try {
    await Promise.all([on.start(), off.start()]);
    await on.whenStandbyReady();

    await drawOnce(on);
    const standbyMemory = await memoryOf(on.standbyPid!);
    const activeMemory = await memoryOf(on.pid!);

    const measured = { on: [] as number[], off: [] as number[] };
    let promoted = 0;
    // One unmeasured crash per arm first: the bench's own first channel and validation are cold.
    const order: Array<'on' | 'off'> = ['on', 'off'];
    for (let round = 0; round < rounds; round++)
      order.push(...(round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)));
    for (const [index, which] of order.entries()) {
      const gpu = which === 'on' ? on : off;
      if (which === 'on') await gpu.whenStandbyReady();
      else await gpu.start();
      await sleep(settleMs);
      const standbyPid = gpu.standbyPid;
      const frame = await gpuCrashToNextFrame(gpu);
      if (index < 2) continue;
      measured[which].push(frame.elapsedMs);
      if (which === 'on' && frame.gpuPid === standbyPid) promoted++;
      options.onRound?.(which, frame);
    }
    const result = { on: arm(measured.on), off: arm(measured.off) };
    return {
      ...result,
      ratio: result.on.p50 / result.off.p50,
      promoted,
      standbyMemory,
      activeMemory,
      met: result.on.p50 <= GPU_STANDBY_TARGET_MS && result.on.p50 < result.off.p50,
    };
  } finally {
    on.dispose();
    off.dispose();
    children.remove();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The result as a Markdown table, with the verdict. */
export function formatGpuStandby(result: GpuStandbyResult): string {
  const rows = [
    '| GPU crash to the next frame | p50 | p90 | rounds |',
    '|---|---:|---:|---:|',
    `| standby on (promoted) | ${ms(result.on.p50)} | ${ms(result.on.p90)} | ${result.on.samples.length} |`,
    `| standby off (cold restart) | ${ms(result.off.p50)} | ${ms(result.off.p90)} | ${result.off.samples.length} |`,
    '',
    `on / off at p50: ${result.ratio.toFixed(2)}x; ${result.promoted} of ${result.on.samples.length} crashes answered by the former standby.`,
    `Standby's memory (warmed up, idle): PSS ${mb(result.standbyMemory.pssBytes)}, RSS ${mb(result.standbyMemory.rssBytes)}` +
      ` (the active GPU process after drawing: PSS ${mb(result.activeMemory.pssBytes)}, RSS ${mb(result.activeMemory.rssBytes)}).`,
    `Target: standby on at most ${GPU_STANDBY_TARGET_MS} ms at p50 and below off: ${result.met ? 'met' : 'NOT met'}.`,
  ];
  return rows.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : args.includes('--quick') ? 4 : 10;
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error('--rounds takes a whole number of rounds per arm, at least 1');
    process.exit(2);
  }
  console.log(
    `# Hot-standby GPU process: crash to the next frame\n\nNode ${process.version}, ${rounds} rounds per arm.\n`,
  );
  const result = await measureGpuStandby({
    rounds,
    onRound: (which, { elapsedMs, phases }) =>
      console.error(
        `  ${which.padEnd(3)} ${ms(elapsedMs)} (ready ${ms(phases.readyMs)}, granted ${ms(phases.grantedMs)}, opened ${ms(phases.openedMs)})`,
      ),
  });
  console.log(formatGpuStandby(result));
  process.exitCode = result.met ? 0 : 1;
}
