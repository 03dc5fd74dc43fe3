// The renderer memory cap's decision and its timer, on a manual clock with the memory figures a
// shell would measure (the readers themselves are tested beside them: main/chromium/process-metrics.test.ts).
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../protocol/interfaces/browser-state.ts';
import {
  DEFAULT_MEMORY_CHECK_INTERVAL_MS,
  DEFAULT_RENDERER_MEMORY_CAP_BYTES,
  memoryCapFromSwitch,
  overMemoryCap,
  RendererMemoryCap,
  type RendererMemory,
} from './memory-cap.ts';
import { ManualClock } from './testing/manual-clock.ts';

const MIB = 1024 * 1024;
const renderer = (id: string, pid: number, state: ProcessInfo['state'] = 'running'): ProcessInfo => ({
  id,
  kind: 'renderer',
  label: id,
  pid,
  startedAt: 0,
  state,
  restarts: 0,
});
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('memoryCapFromSwitch', () => {
  it('is 1 GiB by default, MiB when given, none for off', () => {
    expect(memoryCapFromSwitch(undefined)).toBe(DEFAULT_RENDERER_MEMORY_CAP_BYTES);
    expect(memoryCapFromSwitch('')).toBe(1024 * MIB);
    expect(memoryCapFromSwitch('160')).toBe(160 * MIB);
    expect(memoryCapFromSwitch('off')).toBeUndefined();
  });

  it('refuses anything else, saying what it takes', () => {
    for (const bad of ['1.5', '-1', '8', 'lots', '1e9'])
      expect(() => memoryCapFromSwitch(bad)).toThrow(/--lab-renderer-memory-cap=.* give the cap in MiB/);
  });
});

describe('overMemoryCap', () => {
  it('is every renderer strictly over the cap', () => {
    const readings: RendererMemory[] = [
      { rendererId: 'a', pid: 1, memoryBytes: 99 },
      { rendererId: 'b', pid: 2, memoryBytes: 100 },
      { rendererId: 'c', pid: 3, memoryBytes: 101 },
    ];
    expect(overMemoryCap(readings, 100).map((reading) => reading.rendererId)).toEqual(['c']);
  });
});

describe('RendererMemoryCap', () => {
  function watch(processes: ProcessInfo[], memory: Map<number, number>) {
    const clock = new ManualClock();
    const ended: RendererMemory[] = [];
    const asked: number[][] = [];
    const cap = new RendererMemoryCap({
      clock,
      capBytes: 100 * MIB,
      renderers: () => processes,
      reader: {
        memoryBytes: async (pids) => {
          asked.push([...pids]);
          return new Map(pids.flatMap((pid) => (memory.has(pid) ? [[pid, memory.get(pid)!] as const] : [])));
        },
      },
      onOverCap: (reading) => ended.push(reading),
    });
    return { clock, cap, ended, asked };
  }

  it('ends a live renderer over the cap once per process, each interval measuring the live ones', async () => {
    const processes = [renderer('r1', 11), renderer('r2', 12), renderer('r3', 13, 'crashed')];
    const memory = new Map([
      [11, 50 * MIB],
      [12, 150 * MIB],
      [13, 500 * MIB],
    ]);
    const { clock, cap, ended, asked } = watch(processes, memory);
    cap.start();
    await settle();
    expect(asked).toEqual([]); // nothing before the first interval
    clock.advance(DEFAULT_MEMORY_CHECK_INTERVAL_MS);
    await settle();
    expect(asked).toEqual([[11, 12]]);
    expect(ended).toEqual([{ rendererId: 'r2', pid: 12, memoryBytes: 150 * MIB }]);
    // Its end takes a moment: the next sample does not end it again.
    clock.advance(DEFAULT_MEMORY_CHECK_INTERVAL_MS);
    await settle();
    expect(ended).toHaveLength(1);
    // The tab reloaded into a new process that grows over the cap too: ended again.
    processes[1] = renderer('r2', 22);
    memory.set(22, 101 * MIB);
    memory.set(11, 120 * MIB);
    clock.advance(DEFAULT_MEMORY_CHECK_INTERVAL_MS);
    await settle();
    expect(ended.slice(1).map((reading) => [reading.rendererId, reading.pid])).toEqual([
      ['r1', 11],
      ['r2', 22],
    ]);
    cap.dispose();
    clock.advance(DEFAULT_MEMORY_CHECK_INTERVAL_MS * 3);
    await settle();
    expect(asked).toHaveLength(3);
  });

  it('leaves out a renderer the reader could not measure (gone meanwhile)', async () => {
    const { cap, ended } = watch([renderer('r1', 11)], new Map());
    expect(await cap.check()).toEqual([]);
    expect(ended).toEqual([]);
  });
});
