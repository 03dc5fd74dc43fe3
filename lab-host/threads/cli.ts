/**
 * `npm run lab:threads`: the threads lab headless; writes the result as JSON (ThreadsLabResult,
 * checked against its schema before writing).
 *
 *   npm run lab:threads -- [--out FILE] [--quick] [--threads N] [--iterations N] [--gap SPINS]
 *                          [--gap-at load-store|after-store|none] [--runs N] [--no-processes]
 *
 * Default output: lab-results/threads-<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ThreadsLabResult } from '../../protocol/labs/threads-result.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { runThreadsLab } from './threads-lab.ts';

function wholeNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got "${text}")`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    threads: { type: 'string' },
    iterations: { type: 'string' },
    gap: { type: 'string' },
    'gap-at': { type: 'string' },
    runs: { type: 'string' },
    'no-processes': { type: 'boolean', default: false },
  },
});
const gapAt = values['gap-at'];
if (gapAt !== undefined && gapAt !== 'load-store' && gapAt !== 'after-store' && gapAt !== 'none') {
  console.error(`--gap-at must be load-store, after-store or none (got "${gapAt}")`);
  process.exit(2);
}
const threads = wholeNumber('threads', values.threads, 2, 16);
const iterations = wholeNumber('iterations', values.iterations, 1, 10_000_000);
const gapSpins = wholeNumber('gap', values.gap, 0, 1_000_000);
const raceRuns = wholeNumber('runs', values.runs, 1, 64);

const result = await runThreadsLab({
  quick: values.quick,
  ...(threads ? { threads } : {}),
  ...(iterations ? { iterations } : {}),
  ...(gapSpins !== undefined ? { gapSpins } : {}),
  ...(gapAt ? { gapAt } : {}),
  ...(raceRuns ? { raceRuns } : {}),
  processVsThread: !values['no-processes'],
  onProgress: ({ line }) => console.log(line),
});

const checker = compileChecker(ThreadsLabResult);
if (!checker.check(result)) {
  console.error(`the result does not match its schema: ${checker.explain(result)}`);
  process.exit(1);
}
const out =
  values.out ?? path.join('lab-results', `threads-${result.startedAt.replaceAll(':', '-').replace(/\..*/, '')}.json`);
mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
for (const error of result.errors) console.log(`error: ${error}`);
console.log(`wrote ${out}`);
process.exitCode = result.errors.length ? 1 : 0;
