// The suite-wide rule of vitest.setup.ts, proven on a real vitest run: a fixture file whose tests add an
// eleventh listener to one emitter, leave a rejection unhandled, and do neither. Run as the suite runs it
// (a child vitest with the same setup file), the first two fail with what happened, the third passes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = import.meta.dirname;
// Inside the repository so the fixture resolves `vitest` from its node_modules; test-results/ is ignored by git.
const dir = path.join(root, 'test-results/suite-rule');

const FIXTURE = `import { EventEmitter } from 'node:events';
import { it } from 'vitest';
it('adds an eleventh listener', async () => {
  const emitter = new EventEmitter();
  for (let i = 0; i < 11; i++) emitter.on('tick', () => {});
  await new Promise((resolve) => setTimeout(resolve, 20));
});
it('leaves a rejection unhandled', async () => {
  void Promise.reject(new Error('nobody handles this'));
  await new Promise((resolve) => setTimeout(resolve, 20));
});
it('does neither', () => {});
`;

it('fails the test that warned of too many listeners or left a rejection unhandled, and only it', () => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'rule.test.ts'), FIXTURE);
  fs.writeFileSync(
    path.join(dir, 'vitest.config.ts'),
    `export default { test: { root: ${JSON.stringify(dir)}, include: ['rule.test.ts'], setupFiles: [${JSON.stringify(path.join(root, 'vitest.setup.ts'))}] } };\n`,
  );
  const out = path.join(dir, 'result.json');
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      path.join(dir, 'vitest.config.ts'),
      '--reporter=json',
      `--outputFile=${out}`,
    ],
    { cwd: dir, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.status, run.stderr).toBe(1);
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
  };
  const tests = Object.fromEntries(result.testResults[0]!.assertionResults.map((test) => [test.title, test] as const));
  expect(tests['adds an eleventh listener']?.status).toBe('failed');
  expect(tests['adds an eleventh listener']?.failureMessages.join('\n')).toContain('MaxListenersExceededWarning');
  expect(tests['leaves a rejection unhandled']?.status).toBe('failed');
  expect(tests['leaves a rejection unhandled']?.failureMessages.join('\n')).toContain(
    'unhandled rejection: Error: nobody handles this',
  );
  expect(tests['does neither']?.status).toBe('passed');
  fs.rmSync(dir, { recursive: true, force: true });
}, 90_000);
