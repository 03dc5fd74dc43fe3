import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { syntheticReport } from '../../protocol/experiments/testing/synthetic-report.ts';
import { fileTrialJournal } from './trial-journal-file.ts';

it('appends trials to a file in order, reads them back whole, and removes the file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-journal-'));
  // SYNTHETIC trials: the file's bookkeeping is under test.
  const { trials } = syntheticReport({ trials: 400, seed: 5 });
  const journal = fileTrialJournal('chaos-2026-12-03T10:00:00.000Z', dir);
  expect(path.dirname(journal.file)).toBe(dir);
  expect(path.basename(journal.file)).not.toContain(':');
  for (const trial of trials) journal.append(trial);
  expect(await journal.readAll()).toEqual(trials);
  expect(fs.readFileSync(journal.file, 'utf8').split('\n').filter(Boolean)).toHaveLength(trials.length);
  await journal.dispose();
  expect(fs.existsSync(journal.file)).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
});
