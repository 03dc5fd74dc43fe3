// experiment:compare on report files written to disk (synthetic reports: made-up numbers), run as the
// real command, and its comparison on its own.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticReport } from '../protocol/experiments/testing/synthetic-report.ts';
import { compareReports } from './experiment-compare.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
let temp: string;

/** Runs `npm run experiment:compare`'s command; resolves with its exit code and output. */
async function compare(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/experiment-compare.ts', ...args],
      {
        cwd: root,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const write = (name: string, value: unknown) => {
  const file = path.join(temp, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

beforeAll(() => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'experiment-compare-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('compareReports', () => {
  it('finds a report whose latencies are twice as long slower, by about 2x, for every latency and arm', () => {
    const a = syntheticReport({ seed: 1, trials: 40 });
    const b = syntheticReport({ seed: 2, trials: 40, scale: 2 });
    const { rows, notes } = compareReports(a, b);
    expect(notes).toEqual([]);
    // Four latencies in the experiment arm; the control arm has values for the reload only.
    expect(rows.map((row) => `${row.latency}/${row.arm}`)).toEqual([
      'crash-to-observed/experiment',
      'crash-to-core/experiment',
      'crash-to-sad-tab/experiment',
      'reload-to-first-tick/experiment',
      'reload-to-first-tick/control',
    ]);
    for (const row of rows) {
      for (const q of row.quantiles) {
        expect(q.difference.value).toBe(q.b - q.a);
        expect(q.difference.low, `${row.latency} ${q.quantile}`).toBeGreaterThan(0);
        expect(q.ratio!.value).toBeGreaterThan(1.4);
        expect(q.ratio!.value).toBeLessThan(2.8);
        expect(q.ratio!.low).toBeLessThanOrEqual(q.ratio!.high);
      }
    }
  });

  it('finds no change between a report and itself: differences 0, every interval around 0', () => {
    const a = syntheticReport({ seed: 3, trials: 25 });
    for (const row of compareReports(a, a).rows) {
      for (const q of row.quantiles) {
        expect(q.difference.value).toBe(0);
        expect(q.difference.low).toBeLessThanOrEqual(0);
        expect(q.difference.high).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('compares only latencies both define the same way, and says which it left out', () => {
    const a = syntheticReport({ seed: 1, trials: 5 });
    const original = syntheticReport({ seed: 1, trials: 5 });
    const b = {
      ...original,
      latencies: [{ ...original.latencies[0]!, to: 'coreKnew' as const }, ...original.latencies.slice(1, 3)],
    };
    const { rows, notes } = compareReports(a, b);
    expect(rows.some((row) => row.latency === 'crash-to-observed')).toBe(false);
    expect(notes).toEqual([
      'crash-to-observed: measured differently (a: injected -> observed, b: injected -> coreKnew)',
      'reload-to-first-tick: only in a',
    ]);
  });
});

describe('npm run experiment:compare', () => {
  it('prints a row per latency, arm and quantile with the difference, its interval and the ratio', async () => {
    const a = write('per-tab.json', syntheticReport({ seed: 1, trials: 30 }));
    const b = write('per-site.json', syntheticReport({ seed: 2, trials: 30, scale: 1.5 }));
    const { code, stdout } = await compare(a, b);
    expect(code).toBe(0);
    expect(stdout).toContain('a: per-tab.json: tab-crash');
    expect(stdout).toContain('b - a ms [95% CI]');
    const rows = stdout.split('\n').filter((line) => /^(crash|reload)-/.test(line));
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row).toMatch(/ p(50|90) +\d+\/\d+ .* \+[\d.]+ \[[-+][\d.]+, \+[\d.]+\] +[\d.]+x \[/);
  });

  it('refuses an invalid report with checkReport errors, a non-JSON file, and a wrong call', async () => {
    const good = write('good.json', syntheticReport({ seed: 1, trials: 3 }));
    const newer = write('newer.json', { ...syntheticReport({ seed: 1, trials: 3 }), schemaVersion: 2 });
    const refused = await compare(good, newer);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${newer}: not a valid experiment report:`);
    expect(refused.stderr).toContain('schema version 2, this reader knows 1');
    expect(refused.stdout).toBe('');

    const broken = await compare(write('broken.json', '{"kind": '), good);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json: not JSON/);

    const usage = await compare(good);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run experiment:compare -- a.json b.json');
  });
});
