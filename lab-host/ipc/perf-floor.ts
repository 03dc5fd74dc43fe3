/**
 * The kernel's own floor for a pipe round trip between two processes, `perf bench sched pipe`
 * (Debian: linux-perf), measured in the same run as the lab's channels: what C pays for the trip
 * Node's anonymous pipe makes, without an event loop or Buffers.
 */
import type { KernelFloor } from '../../protocol/labs/ipc-result.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export type { KernelFloor };

const TOOL = 'perf bench sched pipe';

/** Parses perf's "usecs/op" and "ops/sec" lines; undefined when either is missing. */
export function parsePerfSchedPipe(
  output: string,
): { usPerRoundTrip: number; roundTripsPerSecond: number } | undefined {
  const us = /([\d.]+)\s+usecs\/op/.exec(output);
  const ops = /([\d.]+)\s+ops\/sec/.exec(output);
  if (!us || !ops) return undefined;
  return { usPerRoundTrip: Number(us[1]), roundTripsPerSecond: Number(ops[1]) };
}

export async function measureKernelFloor(loops = 20_000): Promise<KernelFloor> {
  try {
    const { stdout, stderr } = await promisify(execFile)('perf', ['bench', 'sched', 'pipe', '-l', String(loops)], {
      timeout: 60_000,
    });
    const parsed = parsePerfSchedPipe(`${stdout}\n${stderr}`);
    if (!parsed) return { available: false, tool: TOOL, reason: `unrecognized output: ${stdout.trim().slice(0, 200)}` };
    return { available: true, tool: TOOL, loops, ...parsed };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      failure.code === 'ENOENT'
        ? 'perf is not installed (Debian: linux-perf)'
        : (failure.stderr || failure.message).trim().slice(0, 200);
    return { available: false, tool: TOOL, reason };
  }
}
