/**
 * "No slower than before", measured side by side: runs one `npm run bench:*` script of an earlier
 * commit and of this working tree alternately (base, head, head, base, ...: drift on a shared machine
 * hits both alike), keeps every output, and prints the lines you ask for from each run together.
 *
 *   node --import tsx bench/side-by-side.ts <base commit> <bench script> [--runs N] [--grep REGEX] [-- bench args]
 *   node --import tsx bench/side-by-side.ts HEAD~3 bench:tracing --runs 4 --grep '^\| inspector \|' -- --modes closed,inspector
 *   node --import tsx bench/side-by-side.ts main bench:ipc --runs 4 --grep '^\| in-process \| (100 B|4 KB)'
 *
 * The base commit is exported with `git archive` into a temporary directory (no worktree, no change
 * to the repository), with this tree's node_modules linked in; it runs its own package.json's script
 * of that name, so a benchmark that has moved since still runs. Compare what each benchmark reports
 * as a ratio within its own run (RPC / raw, inspector / closed): those hold across runs, absolute
 * times do not.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function fail(message: string): never {
  console.error(`side-by-side: ${message}`);
  process.exit(2);
}

const dash = process.argv.indexOf('--', 2);
const own = dash < 0 ? process.argv.slice(2) : process.argv.slice(2, dash);
const benchArgs = dash < 0 ? [] : process.argv.slice(dash + 1);
const option = (name: string) => {
  const index = own.indexOf(name);
  if (index < 0) return undefined;
  const value = own[index + 1];
  if (value === undefined) fail(`${name} needs a value`);
  own.splice(index, 2);
  return value;
};
const runs = Number(option('--runs') ?? 2);
if (!Number.isInteger(runs) || runs < 1) fail('--runs takes a whole number from 1');
const grepSource = option('--grep');
const grep = grepSource === undefined ? undefined : new RegExp(grepSource);
const [baseRef, script] = own;
if (!baseRef || !script?.startsWith('bench:') || own.length !== 2) {
  fail('usage: side-by-side.ts <base commit> <bench:script> [--runs N] [--grep REGEX] [-- bench args]');
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const baseCommit = git('rev-parse', '--verify', `${baseRef}^{commit}`);
const headCommit = git('rev-parse', 'HEAD');
const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';

const work = mkdtempSync(path.join(os.tmpdir(), 'lab-side-by-side-'));
const baseDir = path.join(work, 'base');
mkdirSync(baseDir);
execFileSync('sh', ['-c', `git archive --format=tar ${baseCommit} | tar -x -C "${baseDir}"`], { cwd: root });
symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(baseDir, 'node_modules'));
const outputs = path.join(work, 'outputs');
mkdirSync(outputs);
process.once('exit', () => rmSync(baseDir, { recursive: true, force: true }));

const sides = { base: baseDir, head: root } as const;
type Side = keyof typeof sides;

/** Runs the script on one side, its output both shown and kept; resolves to the output. */
function runOnce(side: Side, run: number): Promise<string> {
  console.log(
    `\n=== run ${run + 1}/${runs}: ${side} (${side === 'base' ? baseCommit.slice(0, 7) : `${headCommit.slice(0, 7)}${dirty ? ' + changes' : ''}`})`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script!, '--', ...benchArgs], {
      cwd: sides[side],
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      process.stdout.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      writeFileSync(path.join(outputs, `${run + 1}-${side}.txt`), text);
      if (code === 0) resolve(text);
      else reject(new Error(`${script} exited with ${code} on the ${side} side (run ${run + 1})`));
    });
  });
}

const results: { run: number; side: Side; text: string }[] = [];
for (let run = 0; run < runs; run++) {
  // base, head, then head, base: each side goes first as often as the other.
  const order: Side[] = run % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
  for (const side of order) results.push({ run, side, text: await runOnce(side, run) });
}

console.log(
  `\n=== ${script} ${benchArgs.join(' ')}: base ${baseCommit.slice(0, 7)}, head ${headCommit.slice(0, 7)}${dirty ? ' + changes' : ''}`,
);
console.log(`outputs kept in ${outputs}`);
if (grep) {
  for (const { run, side, text } of results) {
    for (const line of text.split('\n').filter((candidate) => grep.test(candidate))) {
      console.log(`run ${run + 1} ${side.padEnd(4)}  ${line}`);
    }
  }
}
