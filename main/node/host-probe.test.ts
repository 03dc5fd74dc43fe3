import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeHostProbe } from './host-probe.ts';

describe('nodeHostProbe', () => {
  it('sees a blocked event loop as a larger p99 than an idle one', async () => {
    const probe = nodeHostProbe();
    try {
      probe.eventLoopDelayP99();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const idle = probe.eventLoopDelayP99();
      for (let i = 0; i < 3; i++) {
        const until = performance.now() + 120;
        while (performance.now() < until) {
          /* block the loop */
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const blocked = probe.eventLoopDelayP99();
      expect(blocked).toBeGreaterThan(100);
      expect(blocked).toBeGreaterThan(idle);
    } finally {
      probe.dispose();
    }
  });

  it('measures heap after GC: garbage dropped is not counted, live data is', async () => {
    const probe = nodeHostProbe();
    const before = await probe.heapUsedAfterGc();
    const holder: { kept?: number[][] } = {};
    holder.kept = Array.from({ length: 200 }, () => Array.from({ length: 1000 }, (_, i) => i + 0.5));
    const withData = await probe.heapUsedAfterGc();
    expect(withData - before).toBeGreaterThan(1_000_000);
    delete holder.kept;
    const after = await probe.heapUsedAfterGc();
    expect(withData - after).toBeGreaterThan(1_000_000);
    probe.dispose();
  });

  it('tells a live process from an ended one, and describes the machine', async () => {
    const probe = nodeHostProbe();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    expect(probe.isAlive(child.pid!)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(probe.isAlive(child.pid!)).toBe(false);
    const machine = probe.machine();
    expect(machine.cores).toBeGreaterThanOrEqual(1);
    expect(machine.node).toBe(process.version);
    probe.dispose();
  });

  it("says how much of the heap is V8's compiled code: some, never all", async () => {
    const probe = nodeHostProbe();
    const heap = await probe.heapUsedAfterGc();
    const code = probe.compiledCodeBytes();
    expect(code).toBeGreaterThan(0);
    expect(code).toBeLessThan(heap);
    probe.dispose();
  });
});
