// Electron security linting in `npm test`: @doyensec/electronegativity over the Electron shell's
// sources (main/electron, preload) and the pages it serves, offline, with the Electron version
// given. No HIGH or MEDIUM finding; a LOW one only when electronegativity.config.json justifies it.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const config = JSON.parse(readFileSync(path.join(import.meta.dirname, 'electronegativity.config.json'), 'utf8')) as {
  electronVersion: string;
  input: string[];
  justifiedLow: Record<string, { files: string[]; why: string }>;
};
const bin = path.join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
const work = mkdtempSync(path.join(tmpdir(), 'lab-electronegativity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Finding {
  readonly issue: string;
  readonly severity: string;
  readonly file: string;
  readonly location: string;
}

/** electronegativity's CSV: quoted fields that may hold commas. */
function parseCsv(text: string): Finding[] {
  const rows = text.trim().split('\n').slice(1);
  return rows.map((row) => {
    const fields = [...row.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => (m[1] ?? '').replace(/^"|"$/g, ''));
    return { issue: fields[0] ?? '', severity: fields[1] ?? '', file: fields[3] ?? '', location: fields[4] ?? '' };
  });
}

function matches(file: string, pattern: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return regex.test(file);
}

describe('electronegativity', () => {
  it('finds no high or medium issue, and only justified low ones', { timeout: 120_000 }, async () => {
    const input = path.join(work, 'input');
    for (const entry of config.input) {
      const from = path.join(root, entry);
      const to = path.join(input, entry.replace(/^renderer\//, ''));
      cpSync(from, to, { recursive: true, filter: (source) => !source.endsWith('.test.ts') });
    }
    const output = path.join(work, 'result.csv');
    // electronegativity writes the CSV header and the rows with two concurrent fs.writeFile calls
    // (flags 'w' and 'a'): now and then the header lands over the first row, or truncates the rows
    // away. Preloaded, this makes its writes happen in call order.
    const inOrder = path.join(work, 'writes-in-order.cjs');
    writeFileSync(
      inOrder,
      `const fs = require('fs');
fs.writeFile = (file, data, options, callback) => {
  if (typeof options === 'function') [callback, options] = [options, undefined];
  try { fs.writeFileSync(file, data, options); } catch (error) { return callback && callback(error); }
  if (callback) callback(null);
};
`,
    );
    await promisify(execFile)(
      process.execPath,
      ['--require', inOrder, bin, '-i', input, '-e', config.electronVersion, '-r', '-v', 'false', '-o', output],
      { timeout: 110_000 },
    );
    expect(readFileSync(output, 'utf8')).toMatch(/^issue, severity,/);
    const findings = parseCsv(readFileSync(output, 'utf8'));
    // The rows arrived: the pages' CSP is always reported (a justified LOW finding, below).
    expect(findings.map((finding) => finding.issue)).toContain('CSP_GLOBAL_CHECK');
    const unjustified = findings.filter((finding) => {
      if (finding.severity === 'INFORMATIONAL') return false;
      if (finding.severity !== 'LOW') return true;
      const justified = config.justifiedLow[finding.issue];
      return !justified || !justified.files.some((pattern) => matches(finding.file, pattern));
    });
    expect(unjustified).toEqual([]);
  });
});
