/**
 * `npm run lab:ipc`: the IPC lab's measurement headless; writes the result as JSON and, beside it,
 * the HTML report that opens offline (report-file.ts; its viewer comes from `npm run build`).
 *
 *   npm run lab:ipc -- [--out FILE] [--quick] [--only id,id] [--no-perf]
 *
 * Default output: lab-results/ipc-<timestamp>.json and .html. Without a built viewer the JSON is
 * still written and the missing HTML is said (exit code 1).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runIpcLab } from './ipc-lab.ts';
import { writeIpcReportHtml } from './report-file.ts';

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
let reportWritten = false;
try {
  console.log(`wrote ${await writeIpcReportHtml(result, out)}`);
  reportWritten = true;
} catch (error) {
  console.error(`no HTML report: ${(error as Error).message}`);
}
process.exitCode = failed.length || !reportWritten ? 1 : 0;
