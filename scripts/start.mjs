// `npm start`: build, then run the app in an installed Electron binary; where there is none (it
// cannot be fetched here), say so and run the Chromium shell instead. Never loads the `electron`
// package itself (that would try to download the binary).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const passThrough = process.argv.slice(2);

/**
 * Electron's own installer (node_modules/electron/install.js) fetches the binary from GitHub, as
 * Electron does on first use. Resolves with the last line it printed on failure, or undefined.
 * @returns {Promise<string | undefined>}
 */
function fetchElectron() {
  const installer = path.join(root, 'node_modules/electron/install.js');
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, [installer], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve(error.message));
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = output
        .trim()
        .split('\n')
        .filter((line) => line.trim());
      resolve(
        code === 0
          ? undefined
          : (lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? `exit code ${code}`).trim(),
      );
    });
  });
}

let binary = findElectronBinary(root);
if (!binary) {
  console.error('The Electron binary is not installed yet: fetching it, as Electron does on first use...');
  const failure = await fetchElectron();
  binary = findElectronBinary(root);
  if (!binary) {
    console.error(
      [
        `It could not be fetched (${failure ?? 'no binary after the download'}). Electron downloads its`,
        'binary from GitHub; with internet access `npx install-electron` fetches it, or set',
        'ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron 45 build. Starting the Chromium shell',
        'instead: the same browser core, UI and child processes, with an installed Chrome, Chromium or Edge',
        '(CHROME_PATH, else found on PATH) as the renderer processes.',
        '',
      ].join('\n'),
    );
  }
}

/**
 * Runs a command with inherited stdio.
 * @param {string} command
 * @param {string[]} args
 * @param {{ shell?: boolean }} [options]
 * @returns {Promise<number>} its exit code (1 if it was killed by a signal)
 */
function run(command, args, { shell = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const shell = process.platform === 'win32';
if (!binary) process.exit(await run('npm', ['run', 'start:chromium', '--', ...passThrough], { shell }));
const built = await run('npm', ['run', 'build'], { shell });
if (built !== 0) process.exit(built);
// Electron aborts where its OS sandbox cannot work (as root; no user namespaces and no setuid
// chrome-sandbox) unless told --no-sandbox, before any app code runs: decide here, with the same
// function the app reports with (main/node/sandbox.ts); the app prints the one line that says so.
/** @type {typeof import('../main/node/sandbox.ts')} */
const { chromeSandboxHelpers, currentUid, decideSandbox } = await tsImport('../main/node/sandbox.ts', import.meta.url);
const sandbox = decideSandbox({
  uid: currentUid(),
  noSandboxRequested: passThrough.includes('--no-sandbox'),
  helperPaths: chromeSandboxHelpers(binary),
});
const noSandbox = sandbox.enabled || passThrough.includes('--no-sandbox') ? [] : ['--no-sandbox'];
process.exit(await run(binary, [...noSandbox, '.', ...passThrough]));
