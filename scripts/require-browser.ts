// The first step of `npm test` and `npm run start:chromium`: fails within a second, with one
// paragraph saying what to install, when there is no browser to drive (rather than minutes later,
// deep in a suite or after a build). With --tests it also names Xvfb when the suite needs a display.
import { findBrowser } from '../main/node/find-browser.ts';
import { findElectronBinary } from './electron-binary.mjs';

const root = new URL('..', import.meta.url).pathname;
const forTests = process.argv.includes('--tests');

const lookup = findBrowser();
if (!lookup.found) {
  console.error(lookup.message);
  process.exit(1);
}

// Only the e2e suite's electron project opens a window (the Chromium shell's specs run headless),
// and it runs only where the Electron binary is installed.
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (forTests && noDisplay && findElectronBinary(root)) {
  console.error(
    [
      'The Electron binary is installed, so the e2e suite runs its electron project, and Electron needs a',
      'display, which this session has not (DISPLAY and WAYLAND_DISPLAY are unset). Run the tests under Xvfb:',
      '`xvfb-run -a npm test` (Debian/Ubuntu: sudo apt-get install xvfb).',
    ].join('\n'),
  );
  process.exit(1);
}
if (forTests) console.log(`Browser for the tests: ${lookup.path} (from ${lookup.via})`);
