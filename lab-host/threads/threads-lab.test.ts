/**
 * The whole lab as `npm run lab:threads` runs it (a real child process, real worker threads and
 * child processes): its JSON matches the schema, and the relations that hold on any machine hold.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadsLabProgress, ThreadsLabResult } from '../../protocol/labs/threads-result.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { runThreadsLab } from './threads-lab.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lab-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'lab-host/threads/cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 240_000,
  });

describe('runThreadsLab', () => {
  it('reports each race run as it ends (a valid progress record), and stops on its signal', async () => {
    const controller = new AbortController();
    const seen: ThreadsLabProgress[] = [];
    const lab = runThreadsLab({
      quick: true,
      raceRuns: 3,
      processVsThread: false,
      signal: controller.signal,
      onProgress: (progress) => {
        seen.push(progress);
        if (progress.race) controller.abort();
      },
    });
    await expect(lab).rejects.toThrow(/abort/i);
    expect(seen).toHaveLength(1);
    expect(compileChecker(ThreadsLabProgress).check(seen[0])).toBe(true);
    expect(seen[0]!.race).toMatchObject({ program: 'race', threads: 4, iterations: 2000 });
  }, 60_000);
});

describe('npm run lab:threads', () => {
  it('writes a result that matches its schema: lost updates without a lock, none with each primitive, replays that agree, a copy per process', () => {
    const out = path.join(dir, 'quick.json');
    const run = cli(['--quick', '--threads', '3', '--runs', '4', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as unknown;
    const checker = compileChecker(ThreadsLabResult);
    expect(checker.check(result), checker.check(result) ? '' : checker.explain(result)).toBe(true);
    const lab = result as ThreadsLabResult;
    expect(lab.errors).toEqual([]);
    expect(lab.race).toHaveLength(4);
    expect(lab.race.reduce((sum, race) => sum + race.lostUpdates, 0)).toBeGreaterThan(0);
    for (const run of lab.primitives) {
      expect(run.lostUpdates, run.program).toBe(0);
      for (const region of run.regions) expect(region.maxInside, run.program).toBeLessThanOrEqual(region.limit);
    }
    const finding = (program: string, property: RegExp) =>
      lab.model.find((f) => f.program === program && property.test(f.property))!;
    expect(finding('race', /lost update/).holds).toBe(false);
    expect(finding('peterson', /mutual exclusion/)).toMatchObject({ holds: true, complete: true });
    expect(finding('milk-1', /one milk/).holds).toBe(false);
    expect(finding('milk-3', /one milk/).holds).toBe(true);
    expect(finding('spin-lock', /bounded waiting.*3 rounds/).holds).toBe(false);
    expect(finding('ticket-lock', /bounded waiting.*3 rounds/).holds).toBe(true);
    for (const replay of lab.replays) {
      expect(replay.agree, replay.program).toBe(true);
      expect(replay.realEvents).toEqual(replay.modelEvents);
      expect(replay.realFinal).toBe(replay.modelFinal);
    }
    expect(lab.replays.find((replay) => replay.program === 'milk-1')!.realFinal).toBe(2);
    const pvt = lab.processVsThread!;
    expect(pvt.processes.childCounters).toEqual(Array(3).fill(pvt.iterations));
    expect(pvt.processes.parentCounter).toBe(0);
    expect(pvt.threads.sharedCounter).toBe(3 * pvt.iterations);
    // A whole Node process costs more resident memory than one more thread in this one.
    for (const rss of pvt.processes.childRssMiB) expect(rss).toBeGreaterThan(pvt.threads.rssPerThreadMiB);
  }, 240_000);

  it('refuses a bad option with a clear message and writes nothing', () => {
    const out = path.join(dir, 'bad.json');
    const run = cli(['--threads', 'many', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--threads must be a whole number from 2 to 16 (got "many")');
    expect(() => readFileSync(out)).toThrow();
    const gap = cli(['--gap-at', 'sideways']);
    expect(gap.status).toBe(2);
    expect(gap.stderr).toContain('--gap-at must be load-store, after-store or none');
  });
});
