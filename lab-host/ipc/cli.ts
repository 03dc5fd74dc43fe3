/**
 * `npm run lab:ipc`: the IPC lab's measurement headless; writes the result as JSON.
 *
 *   npm run lab:ipc -- [--out FILE] [--quick] [--only id,id] [--no-perf]
 *
 * Default output: lab-results/ipc-<timestamp>.json. The HTML report (issue 15's report helper,
 * `writeReportFiles(report, dir)` in main/node/experiment-report-file.ts) joins here: map
 * IpcLabResult to its Report and write both files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runIpcLab } from './ipc-lab.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-perf': { type: 'boolean', default: false },
  },
});

const result = await runIpcLab({
  ...(values.quick
    ? {
        roundTrips: (size: number) => (size <= 65536 ? 300 : 30),
        streamFrames: (size: number) => (size <= 65536 ? 300 : 20),
        tearRuns: 3,
      }
    : {}),
  ...(values.only ? { only: values.only.split(',') } : {}),
  kernelFloor: !values['no-perf'],
  onProgress: ({ line }) => console.log(line),
});

const out =
  values.out ?? path.join('lab-results', `ipc-${result.startedAt.replaceAll(':', '-').replace(/\..*/, '')}.json`);
mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
for (const check of result.checks)
  console.log(`${check.holds === null ? 'n/a ' : check.holds ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
const failed = result.channels.filter((channel) => channel.error);
for (const channel of failed) console.log(`error ${channel.id}: ${channel.error}`);
console.log(`wrote ${out}`);
process.exitCode = failed.length ? 1 : 0;
