/**
 * A run's trial journal on disk (the core's TrialJournal port, main/core/experiments/trial-log.ts):
 * one JSON line per trial, appended in order off the event loop, read back whole for the final
 * report, removed afterwards. Keeps a long soak's records out of the browser process's heap.
 */
import fs from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Trial } from '../../protocol/experiments/report.ts';

/** Where journals go unless told: the system's temp folder. */
export const defaultJournalDir = () => path.join(os.tmpdir(), 'browser-process-lab', 'journals');

export function fileTrialJournal(id: string, dir = defaultJournalDir()) {
  const file = path.join(dir, `${id.replace(/[^A-Za-z0-9._-]/g, '_')}-${process.pid}.ndjson`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, '');
  let writes: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  return {
    file,
    append(trial: Trial): void {
      const line = `${JSON.stringify(trial)}\n`;
      writes = writes.then(() =>
        appendFile(file, line).catch((error: Error) => {
          failure ??= error;
        }),
      );
    },
    async readAll(): Promise<Trial[]> {
      await writes;
      if (failure) throw new Error(`the journal ${file} lost a trial: ${failure.message}`);
      const text = await readFile(file, 'utf8');
      return text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Trial);
    },
    async dispose(): Promise<void> {
      await writes;
      await rm(file, { force: true });
    },
  };
}
