// "Ignoring it": two real processes calling each other synchronously deadlock; the watchdog sees
// their heartbeats stop and they are ended, leaving no process behind. Chrome's rule (one side only
// calls synchronously) returns.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HeartbeatWatchdog } from './heartbeat-watchdog.ts';
import { runSyncCallScene } from './sync-call.ts';

/** This process's children (pgrep exits 1 when none match). */
const children = () => {
  try {
    return execFileSync('pgrep', ['-a', '-P', String(process.pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

describe('two processes making synchronous calls to each other', () => {
  it('deadlock for real; the watchdog reports both, both are ended, none is left', async () => {
    const result = await runSyncCallScene({ mode: 'both-sync', thresholdMs: 1000 });
    console.log(
      `both-sync: deadlocked ${result.deadlocked}, watchdog after ${result.detectedAfterMs} ms, blocked in ${result.peers.map((peer) => peer.blockedIn).join(', ')}`,
    );
    expect(result.error).toBeUndefined();
    expect(result.deadlocked).toBe(true);
    expect(result.detectedByWatchdog).toBe(true);
    for (const peer of result.peers) {
      expect(peer).toMatchObject({
        callsPeer: true,
        gotAnswer: false,
        answered: 0,
        unresponsive: true,
        ended: 'SIGKILL',
      });
      expect(peer.pid).toBeGreaterThan(0);
    }
    expect(result.bothEnded).toBe(true);
    expect(children()).toBe('');
  }, 120_000);

  it("Chrome's rule, one side calling only: the call returns and both exit by themselves", async () => {
    const result = await runSyncCallScene({ mode: 'one-way', thresholdMs: 5000 });
    expect(result.error).toBeUndefined();
    expect(result.deadlocked).toBe(false);
    expect(result.detectedByWatchdog).toBe(false);
    expect(result.peers.map((peer) => [peer.gotAnswer, peer.answered, peer.ended])).toEqual([
      [true, 0, 'exit 0'],
      [false, 1, 'exit 0'],
    ]);
    expect(result.rule).toContain('never makes a synchronous call to a renderer');
    expect(children()).toBe('');
  }, 120_000);
});

/** A process's kernel state letter (R, S, Z, ...), or null once it is gone. */
const state = (pid: number) => {
  try {
    return /\) (\w)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
};
const pgrep = (...args: string[]) => {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const blockedInPipeRead = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8').includes('pipe_read');
  } catch {
    return false;
  }
};

describe('a lab host that dies mid-deadlock', () => {
  it('leaves no process blocked: each deadlocked peer ends itself once its parent is gone', async () => {
    const script = `import { runSyncCallScene } from ${JSON.stringify(new URL('./sync-call.ts', import.meta.url).href)};
      await runSyncCallScene({ mode: 'both-sync', thresholdMs: 600000, timeoutMs: 600000 });`;
    const host = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const peers = () => pgrep('-P', String(host.pid), '-f', 'sync-call-peer');
    // Both peers started and really blocked in read(2) on their answers FIFO.
    await expect
      .poll(() => peers().length === 2 && peers().every(blockedInPipeRead), { timeout: 60_000, interval: 200 })
      .toBe(true);
    const pids = peers();
    host.kill('SIGKILL');
    // Gone, or a zombie waiting for whoever reaps orphans here: either way no longer running.
    await expect
      .poll(() => pids.map(state).every((s) => s === null || s === 'Z'), { timeout: 30_000, interval: 200 })
      .toBe(true);
  }, 120_000);
});

describe('HeartbeatWatchdog', () => {
  it('reports a silent process once, not a beating one; a late check re-arms instead of blaming', () => {
    let now = 0;
    const reported: string[] = [];
    const timers: (() => void)[] = [];
    const realSetTimeout = globalThis.setTimeout;
    // Drive its timer by hand: each check runs when the test says.
    globalThis.setTimeout = ((fn: () => void) => (timers.push(fn), 0)) as unknown as typeof setTimeout;
    try {
      const watchdog = new HeartbeatWatchdog({
        thresholdMs: 100,
        onUnresponsive: (id) => reported.push(id),
        now: () => now,
      });
      watchdog.watch('beating');
      watchdog.watch('silent');
      for (let i = 0; i < 8; i++) {
        now += 25;
        watchdog.heartbeat('beating');
        timers.shift()!();
      }
      expect(reported).toEqual(['silent']);
      // The watchdog itself stalled for a long time: nobody is blamed for it.
      now += 1000;
      timers.shift()!();
      expect(reported).toEqual(['silent']);
      expect(watchdog.isUnresponsive('beating')).toBe(false);
      watchdog.dispose();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });
});
