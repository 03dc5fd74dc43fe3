// Writing a report into a real temp folder, and which file a request path may name.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Report } from '../../protocol/experiments/report.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { reportFile, saveReport } from './experiment-reports.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lab-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(id: string): Report {
  const at = 1_700_000_000_000;
  return {
    kind: 'browser-process-lab/experiment-report',
    schemaVersion: 1,
    id,
    scenario: 'tab-crash',
    hypothesis: 'Other tabs keep ticking <while> one crashes',
    seed: 1,
    options: { trials: 0, tabs: 2, control: true },
    startedAt: at,
    endedAt: at,
    interrupted: true,
    environment: {
      platform: 'linux',
      arch: 'x64',
      cpuModel: 'cpu',
      cores: 2,
      kernel: '6',
      node: 'v24',
      shell: 'chromium',
      browserVersion: 'Chromium 156',
      processModel: 'process-per-tab',
      sandbox: { enabled: false, reason: 'running as root' },
    },
    clockNote: 'n/a',
    latencies: [],
    steadyState: { before: { at, checks: [] } },
    trials: [],
    summaries: [],
    verdict: { holds: false, reasons: ['stopped'] },
  };
}

describe('experiment reports on disk', () => {
  it('writes the JSON (valid against the schema) and the HTML into a folder it makes', async () => {
    const folder = path.join(dir, 'nested/experiments');
    const written = await saveReport(report('run-7'), folder);
    expect(written).toEqual({ file: path.join(folder, 'run-7.html'), json: path.join(folder, 'run-7.json') });
    expect(compileChecker(Report).check(JSON.parse(readFileSync(written.json, 'utf8')))).toBe(true);
    // The HTML's content is the report viewer's business; here: it is a page about this report.
    const html = readFileSync(written.file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('run-7');
  });

  it('refuses an id that cannot name a file, writing nothing', async () => {
    await expect(saveReport(report('../escape'), dir)).rejects.toThrow(/cannot name a file/);
    expect(existsSync(path.join(dir, '..', 'escape.json'))).toBe(false);
  });

  it('names a file in the folder for /reports/<id> and /reports/<id>.json only', () => {
    expect(reportFile('/r', '/reports/run-7')).toEqual({
      file: path.join('/r', 'run-7.html'),
      type: 'text/html; charset=utf-8',
    });
    expect(reportFile('/r', '/reports/run-7.json')).toEqual({
      file: path.join('/r', 'run-7.json'),
      type: 'application/json',
    });
    for (const bad of ['/reports/..', '/reports/%2e%2e%2fx', '/reports/a/b', '/run-7', '/reports/x.html', '/reports/'])
      expect(reportFile('/r', bad), bad).toBeUndefined();
  });
});
