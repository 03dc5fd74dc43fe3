// Finds an installed Electron binary without loading the `electron` package: requiring it in plain
// Node starts a download when the binary is missing (and here that fails). Mirrors the package's
// own lookup in node_modules/electron/index.js. Used by scripts/start.mjs, later by e2e/.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where Electron's install.js puts the executable inside `dist/`, per platform (Linux: `electron`).
 * @type {Record<string, string | undefined>}
 */
const PLATFORM_PATHS = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

/**
 * @param {string} root The project folder (the one holding node_modules/).
 * @param {{ env?: Record<string, string | undefined>, platform?: string }} [options]
 * @returns {string | null} The absolute path of an existing Electron executable, or null.
 */
export function findElectronBinary(root, { env = process.env, platform = process.platform } = {}) {
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const overrideDist = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = overrideDist
    ? path.resolve(overrideDist, relative || PLATFORM_PATHS[platform] || 'electron')
    : relative
      ? path.join(packageDir, 'dist', relative)
      : null;
  return candidate && isFile(candidate) ? candidate : null;
}

/** @param {string} file */
function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
