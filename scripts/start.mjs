// `npm start`: build, then run the app in an installed Electron binary. Never loads the
// `electron` package itself (that would try to download the binary).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const binary = findElectronBinary(root);

if (!binary) {
  console.error(
    [
      'Cannot start: the Electron binary is not installed (node_modules/electron/dist/ is missing),',
      'and it could not be fetched: it comes from GitHub, and this machine has no internet beyond the',
      'npm registry. With internet access, `npx install-electron` fetches it; or set',
      'ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron 45 build. The Chromium shell',
      '(`npm run start:chromium`) will take its place once it exists.',
    ].join('\n'),
  );
  process.exit(1);
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

const built = await run('npm', ['run', 'build'], { shell: process.platform === 'win32' });
if (built !== 0) process.exit(built);
process.exit(await run(binary, ['.']));
