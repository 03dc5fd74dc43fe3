// Runs once before the e2e suite: checks the build the shells serve exists and a browser is installed
// (the one every Chromium-shell app under test then uses), and says once, clearly, when the Electron
// project will skip.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { requireBrowser } from '../main/node/find-browser.ts';
import { findElectronBinary } from '../scripts/electron-binary.mjs';

export default function globalSetup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  for (const built of ['dist/renderer/index.html', 'dist/pages/live.html']) {
    if (!existsSync(path.join(root, built)))
      throw new Error(`${built} is missing: run \`npm run build\` before the e2e suite`);
  }
  // Workers inherit this process's environment: every shell the specs start drives this browser.
  process.env.CHROME_PATH = requireBrowser();
  if (!findElectronBinary(root)) {
    console.log(
      '[e2e] The electron project is skipped: the Electron binary is not installed (node_modules/electron/dist is missing and ELECTRON_OVERRIDE_DIST_PATH is unset).',
    );
  }
}
