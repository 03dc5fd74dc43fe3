// `npm run lab:deadlock` end to end: the CLI runs every scene on real threads and processes, writes
// JSON that its schema accepts, and the relations the lab teaches hold in it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadlockLabResult, type DeadlockLabResult as Result } from '../../protocol/labs/deadlock-result.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';

const CLI = path.join(import.meta.dirname, 'cli.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-deadlock-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const checker = compileChecker(DeadlockLabResult);

describe('npm run lab:deadlock', () => {
  it('writes a result its schema accepts, with the relations the lab teaches', () => {
    const out = path.join(dir, 'quick.json');
    // Two runs per case: this test checks the CLI's output and its relations end to end; the counts
    // over more runs are runner.test.ts's (6 per case).
    execFileSync(
      process.execPath,
      ['--import', 'tsx', CLI, '--quick', '--runs', '2', '--philosophers', '4', '--out', out],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        timeout: 600_000,
      },
    );
    const result = JSON.parse(readFileSync(out, 'utf8')) as Result;
    expect(checker.check(result), checker.check(result) ? '' : checker.explain(result)).toBe(true);

    // Prevention and avoidance: above zero without, zero with each switch and with the banker.
    for (const row of result.strategies) {
      if (!row.applicable) {
        expect(row.strategy).toBe('shareable');
        continue;
      }
      expect(row.errors).toEqual([]);
      if (row.strategy === 'none') {
        expect(row.deadlocks, `${row.scene} without prevention`).toBeGreaterThan(0);
        expect(row.example!.detection.conditions.circularWait.holds).toBe(true);
      } else {
        expect(row.deadlocks, `${row.scene} ${row.strategy}`).toBe(0);
        expect(row.finished).toBe(row.runs);
      }
    }
    expect(
      result.strategies.filter((row) => row.applicable && row.strategy === 'shareable').map((r) => r.scene),
    ).toEqual(['audit']);
    // The exhaustive model agrees: deadlocked states only without prevention, and the real ones among them.
    for (const model of result.models) {
      if (model.strategy === 'none') {
        expect(model.deadlockedStates).toBeGreaterThan(0);
        expect(model.realMatchesModel).toBe(true);
      } else expect(model.deadlockedStates).toBe(0);
    }
    // Detection and recovery.
    for (const row of result.recovery) {
      expect(row.deadlocks).toBeGreaterThan(0);
      expect(row.recovered).toBe(row.deadlocks);
    }
    // Banker on the textbook instance.
    expect(result.banker.sequence).toEqual(['P1', 'P3', 'P4', 'P0', 'P2']);
    expect(result.banker.requests.map((request) => request.verdict)).toEqual(['granted', 'must-wait', 'unsafe']);
    // Ignoring it.
    expect(result.ignoring.bothSync).toMatchObject({ deadlocked: true, detectedByWatchdog: true, bothEnded: true });
    expect(result.ignoring.oneWay).toMatchObject({ deadlocked: false, bothEnded: true });
    // Starvation: aging lowers the p99 wait.
    expect(result.starvation.on.all.p99).toBeLessThan(result.starvation.off.all.p99);
  }, 600_000);

  it('refuses a bad argument with a clear error', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--runs', '0'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--runs must be a whole number from 1 to 1000 (got 0)');
  });

  it('the schema rejects unknown keys and unbounded arrays', () => {
    const result = JSON.parse(readFileSync(path.join(dir, 'quick.json'), 'utf8')) as Result;
    expect(checker.check({ ...result, extra: 1 })).toBe(false);
    expect(checker.check({ ...result, strategies: Array(65).fill(result.strategies[0]) })).toBe(false);
    expect(checker.check({ ...result, schema: 'lab-deadlock/0' })).toBe(false);
  });
});
