// CPU and memory of real processes: /proc for any process, CDP for a real Chromium's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CdpSession } from './cdp-connection.ts';
import { launchChromium, type RunningChromium } from './chromium-process.ts';
import { FramePids } from './frame-pids.ts';
import { openPage } from './open-page.ts';
import { cdpCpuSeconds, cpuTicks, procMemory, procMetrics, pssBytes } from './process-metrics.ts';

const children: ChildProcess[] = [];

/**
 * Busy far above idle: a spinning process against one that sleeps, measured over the same second.
 * No absolute share: on a loaded 2-core machine the busy one may get well under half a core.
 */
function farAbove(busy: number, idle: number): void {
  expect(busy).toBeGreaterThan(idle * 4 + 3);
}
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

it('parses /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
  const stat = '4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 1000 1000000 500';
  expect(cpuTicks(stat)).toBe(300);
  expect(pssBytes('Rss:  1000 kB\nPss:  512 kB\nPss_Anon: 10 kB\n')).toBe(512 * 1024);
});

it('measures a busy child far above an idle one, with its PSS', async () => {
  const busy = spawn(process.execPath, ['-e', 'for (;;) {}']);
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  children.push(busy, idle);
  const metrics = procMetrics();
  const pids = [busy.pid!, idle.pid!];
  await new Promise((resolve) => setTimeout(resolve, 300));
  const first = await metrics.sample(pids);
  expect(first.get(busy.pid!)?.cpuPercent).toBe(0); // no previous sample yet
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const second = await metrics.sample(pids);
  farAbove(second.get(busy.pid!)!.cpuPercent, second.get(idle.pid!)!.cpuPercent);
  for (const pid of pids) {
    expect(second.get(pid)!.memoryBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(second.get(pid)!.memoryBytes).toBeLessThan(500 * 1024 * 1024);
  }
});

it('leaves out processes that are gone', async () => {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  const result = await procMetrics().sample([child.pid!, process.pid]);
  expect(result.has(child.pid!)).toBe(false);
  expect(result.has(process.pid)).toBe(true);
});

describe("a real Chromium: renderers' CPU from CDP, the rest from /proc", () => {
  let chromium: RunningChromium;
  let server: http.Server;
  let busy: { session: CdpSession; pid: number };
  let idle: { session: CdpSession; pid: number };

  /** A page on its own site (`<name>.localhost`), so in its own renderer process, and that renderer's pid. */
  async function open(name: string) {
    const { port } = server.address() as AddressInfo;
    const session = await openPage(chromium.connection, `http://${name}.localhost:${port}/`);
    const { frameTree } = await session.send('Page.getFrameTree');
    const pid = (await new FramePids(session).snapshot()).get(frameTree.frame.id);
    if (pid === undefined) throw new Error(`no renderer pid for ${name}`);
    return { session, pid };
  }

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>${request.headers.host}</title><p>${request.headers.host}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    chromium = await launchChromium();
    busy = await open('busy');
    idle = await open('idle');
    expect(busy.pid).not.toBe(idle.pid);
    // The busy page spins from now on (after its pid is known); the idle one does nothing.
    await busy.session.send('Runtime.evaluate', { expression: 'setTimeout(() => { for (;;) {} }, 0); 1' });
  }, 30_000);

  afterAll(async () => {
    await chromium?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('shows a busy renderer far above an idle one, from CDP; a busy Node child far above it too, from /proc', async () => {
    const node = spawn(process.execPath, ['-e', 'for (;;) {}']);
    children.push(node);
    const metrics = procMetrics({ cdp: chromium.connection.root });
    const pids = [busy.pid, idle.pid, node.pid!, chromium.pid];
    await metrics.sample(pids);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await metrics.sample(pids);
    const idleCpu = second.get(idle.pid)!.cpuPercent;
    farAbove(second.get(busy.pid)!.cpuPercent, idleCpu);
    farAbove(second.get(node.pid!)!.cpuPercent, idleCpu);
    expect(Object.fromEntries(metrics.cpuSources)).toEqual({
      [busy.pid]: 'cdp',
      [idle.pid]: 'cdp',
      [chromium.pid]: 'cdp', // Chromium's own browser process is in CDP's list too
      [node.pid!]: 'proc',
    });
    for (const pid of [busy.pid, idle.pid]) {
      expect(second.get(pid)!.memoryBytes).toBeGreaterThan(1024 * 1024);
      expect(second.get(pid)!.memoryBytes).toBeLessThan(1024 * 1024 * 1024);
    }
  });

  it("agrees with /proc: CDP's cpuTime and utime + stime of the same pid are the same order of magnitude", async () => {
    await new Promise((resolve) => setTimeout(resolve, 500)); // the busy renderer has used a second or more
    for (const pid of [busy.pid, chromium.pid]) {
      const [cdp, stat] = await Promise.all([
        cdpCpuSeconds(chromium.connection.root),
        readFileSync(`/proc/${pid}/stat`, 'utf8'),
      ]);
      const fromCdp = cdp.get(pid)!;
      const fromProc = cpuTicks(stat) / 100;
      expect(fromProc).toBeGreaterThan(0); // something to compare
      expect(fromCdp / fromProc).toBeGreaterThan(0.5);
      expect(fromCdp / fromProc).toBeLessThan(2);
    }
  });

  it('falls back to /proc for a sample whose CDP call fails', async () => {
    // A page session does not serve the browser-level SystemInfo domain: the call really fails.
    const metrics = procMetrics({ cdp: busy.session });
    await metrics.sample([busy.pid, idle.pid]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await metrics.sample([busy.pid, idle.pid]);
    expect(metrics.cpuSources.get(busy.pid)).toBe('proc');
    expect(metrics.cpuSources.get(idle.pid)).toBe('proc');
    farAbove(second.get(busy.pid)!.cpuPercent, second.get(idle.pid)!.cpuPercent);
  });
});

describe('procMemory', () => {
  it('grows with what a real process holds, and leaves out a pid that is gone', async () => {
    // A Node child that holds 64 MiB of touched memory once it says so.
    const child = spawn(
      process.execPath,
      ['-e', 'const b = Buffer.alloc(64 * 1024 * 1024, 1); console.log("held"); setInterval(() => b[0]++, 1000);'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await new Promise((resolve) => child.stdout!.once('data', resolve));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const bytes = await procMemory().memoryBytes([child.pid!, idle.pid!, 999_999_999]);
      idle.kill('SIGKILL');
      expect([...bytes.keys()].sort()).toEqual([child.pid!, idle.pid!].sort());
      expect(bytes.get(child.pid!)! - bytes.get(idle.pid!)!).toBeGreaterThan(48 * 1024 * 1024);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
