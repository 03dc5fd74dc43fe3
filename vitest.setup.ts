// Suite-wide rule (issue 19): a MaxListenersExceededWarning or an unhandled promise rejection anywhere in a
// test file's process fails the test it happened in (afterEach) or, if it came after the last one, the file
// (afterAll). Vitest reports a stray rejection only as a run-level error; Node prints the warning and goes on.
// Runs before each test file (vitest.config.ts setupFiles); the process listeners are added once per
// process, so files sharing a worker do not stack them.
import { afterAll, afterEach } from 'vitest';

interface SuiteProblems {
  readonly found: string[];
}

const KEY = Symbol.for('browser-process-lab.suite-problems');
const holder = globalThis as { [KEY]?: SuiteProblems };

function problems(): SuiteProblems {
  const existing = holder[KEY];
  if (existing) return existing;
  const created: SuiteProblems = { found: [] };
  holder[KEY] = created;
  process.on('warning', (warning) => {
    if (warning.name === 'MaxListenersExceededWarning')
      created.found.push(`MaxListenersExceededWarning: ${warning.message}`);
  });
  process.on('unhandledRejection', (reason) => {
    created.found.push(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });
  return created;
}

const suite = problems();

function throwIfAny(where: string): void {
  if (suite.found.length === 0) return;
  const found = suite.found.splice(0);
  throw new Error(`${found.length} suite-wide failure(s) ${where}:\n${found.join('\n')}`);
}

afterEach(() => throwIfAny('during this test'));
afterAll(async () => {
  // Warnings are emitted on the next tick: let the last test's arrive.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfAny('in this file after its last test');
});
