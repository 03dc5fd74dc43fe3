// CPU and memory of real processes from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { cpuTicks, procMetrics, pssBytes } from './proc-metrics.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

it('parses /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
  const stat = '4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 1000 1000000 500';
  expect(cpuTicks(stat)).toBe(300);
  expect(pssBytes('Rss:  1000 kB\nPss:  512 kB\nPss_Anon: 10 kB\n')).toBe(512 * 1024);
});

it('measures a busy child near one full core and an idle one near zero, with its PSS', async () => {
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
  // A shared 2-core machine: the busy loop gets most of a core, rarely all of it.
  expect(second.get(busy.pid!)!.cpuPercent).toBeGreaterThan(40);
  expect(second.get(idle.pid!)!.cpuPercent).toBeLessThan(10);
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
