/**
 * `npm run lab:deadlock`: the deadlock lab headless; writes the result as JSON, checked against its
 * schema (protocol/labs/deadlock-result.ts) before it is written.
 *
 *   npm run lab:deadlock -- [--out FILE] [--runs N] [--seed N] [--philosophers N] [--quick]
 *
 * Default output: lab-results/deadlock-<timestamp>.json. --quick: 3 runs per scene and strategy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeadlockLabResult } from '../../protocol/labs/deadlock-result.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { runDeadlockLab } from './deadlock-lab.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    philosophers: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});

const whole = (name: string, text: string | undefined, fallback: number, min: number, max: number) => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got ${text})`);
    process.exit(2);
  }
  return value;
};

const result = await runDeadlockLab({
  runs: whole('runs', values.runs, values.quick ? 3 : 10, 1, 1000),
  seed: whole('seed', values.seed, 1, 0, 2 ** 31 - 1),
  philosophers: whole('philosophers', values.philosophers, 5, 2, 16),
  onProgress: ({ line }) => console.log(line),
});

const checker = compileChecker(DeadlockLabResult);
if (!checker.check(result)) {
  console.error(`the result does not match its schema: ${checker.explain(result)}`);
  process.exitCode = 1;
}
const out =
  values.out ?? path.join('lab-results', `deadlock-${result.startedAt.replaceAll(':', '-').replace(/\..*/, '')}.json`);
mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
