// `npm run experiment` as a user runs it: a real child process running the real Chromium shell.
// Ctrl-C after the first trial: exit 130, the report written with interrupted: true and what was
// measured, and no process of the run left (every process it started carries a marker in its
// environment, which /proc/<pid>/environ shows). Bad flags: one line, exit 2; Electron without its
// binary: one line, exit 1.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReport } from '../protocol/experiments/stats.ts';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const script = path.join(root, 'scripts/experiment.ts');

function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

describe('npm run experiment', () => {
  it('refuses a bad flag with one line and exit 2', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, 'tab-crash', '--trials', 'many'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--trials needs a whole number/);
  });

  it.runIf(findElectronBinary(root) === null)('says in one line that there is no Electron binary, exit 1', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, 'tab-crash', '--shell', 'electron'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/No Electron binary/);
  });

  it.runIf(process.platform === 'linux')(
    'stops cleanly on Ctrl-C: the report is written with what was measured, nothing is left running',
    async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-experiment-'));
      const marker = `LAB_EXPERIMENT_TEST=${randomUUID()}`;
      const [key, value] = marker.split('=') as [string, string];
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', script, 'tab-crash', '--trials', '20', '--tabs', '2', '--seed', '3', '--out', out],
        {
          cwd: root,
          env: { ...process.env, [key]: value },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no trial landed:\n${output}`)), 60_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/\b2\/40\b/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
      });
      // What the run started, seen while it runs: Chromium and its renderers, the GPU process, the plugin host.
      expect(processesWithMarker(marker).length).toBeGreaterThan(3);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const files = fs.readdirSync(out).filter((name) => name.endsWith('.json'));
      expect(files).toHaveLength(1);
      const report = JSON.parse(fs.readFileSync(path.join(out, files[0]!), 'utf8')) as unknown;
      const checked = checkReport(report);
      expect(checked.ok ? [] : checked.errors).toEqual([]);
      if (checked.ok) {
        expect(checked.report.interrupted).toBe(true);
        expect(checked.report.trials.length).toBeGreaterThanOrEqual(2);
        expect(checked.report.trials.length).toBeLessThan(40);
      }
      // Chromium's process group is killed on close; give the kernel a moment to reap it.
      const deadline = Date.now() + 5000;
      while (processesWithMarker(marker).length > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(processesWithMarker(marker)).toEqual([]);
      fs.rmSync(out, { recursive: true, force: true });
    },
    120_000,
  );
});
