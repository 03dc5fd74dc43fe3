// A machine without Chrome, Chromium or Edge, as a new user's may be: each real entry (`npm start`,
// `npm run start:chromium`'s shell, `npm test`'s first step) ends with the one install paragraph on
// stderr and a non-zero exit, no stack trace. PATH holds only node, npm and sh (links in a temp
// folder; npm runs scripts with sh) and CHROME_PATH is unset, so no browser can be found whatever
// the machine has installed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserMissingMessage, findOnPath } from '../main/node/find-browser.ts';

const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'no-browser-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const bin = path.join(work, 'bin');
fs.mkdirSync(bin);
fs.symlinkSync(process.execPath, path.join(bin, 'node'));
const npm = findOnPath('npm');
const sh = findOnPath('sh');
if (npm) fs.symlinkSync(npm, path.join(bin, 'npm'));
if (sh) fs.symlinkSync(sh, path.join(bin, 'sh'));

const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(CHROME_PATH|PATH|npm_.*)$/i.test(name)),
);
env.PATH = bin;

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an entry to its end. Should it start an app after all (the regression this file is about),
 * its whole process group is killed after 20 s, so nothing outlives the test.
 */
function run(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...env, ...extraEnv },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // ESRCH: the group has ended meanwhile.
      }
    }, 20_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectTheParagraph({ code, stdout, stderr }: Ended): void {
  const output = `${stdout}\n${stderr}`;
  expect(code, output).not.toBe(0);
  expect(typeof code, 'an exit code, not a kill').toBe('number');
  // The paragraph is the last thing said.
  expect(stderr.trimEnd().endsWith(browserMissingMessage('linux')), output).toBe(true);
  expect(output, 'no stack trace').not.toMatch(/^\s+at /m);
  expect(output, 'the browser was never spawned').not.toMatch(/spawn \S+ ENOENT/);
}

describe.skipIf(process.platform !== 'linux')('without a browser', () => {
  it('the Chromium shell says what to install and exits non-zero', { timeout: 30_000 }, async () => {
    expectTheParagraph(await run(process.execPath, ['--import', 'tsx', 'main/chromium/main.ts', '--headless']));
  });

  it('npm test’s first step does, within seconds', { timeout: 30_000 }, async () => {
    const started = performance.now();
    const ended = await run(process.execPath, ['--import', 'tsx', 'scripts/require-browser.ts', '--tests']);
    expectTheParagraph(ended);
    // Seconds, not the minutes a typecheck, build and suite take before the first browser test.
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it.skipIf(!npm || !sh)('npm start, after Electron cannot be had, ends with it too', { timeout: 90_000 }, async () => {
    // No Electron either, whatever node_modules holds: an empty override folder, and a download that
    // fails at once (a mirror nothing listens on, an empty cache), as it does offline.
    const noElectron = path.join(work, 'no-electron');
    fs.mkdirSync(path.join(noElectron, 'cache'), { recursive: true });
    const ended = await run(process.execPath, ['scripts/start.mjs', '--headless'], {
      ELECTRON_OVERRIDE_DIST_PATH: noElectron,
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: path.join(noElectron, 'cache'),
    });
    expect(ended.stderr).toMatch(/Starting the Chromium shell/);
    expectTheParagraph(ended);
  });
});
