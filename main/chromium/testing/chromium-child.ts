/**
 * For chromium-process.test.ts: a Node process that launches Chromium, opens a page (so renderer
 * processes exist), prints `{ pid, userDataDir }` as one JSON line,
 * and then ends the way argv[2] says: `exit` (process.exit), `uncaught` (an uncaught error),
 * `rejection` (an unhandled rejection), or `wait` (until the test sends it a signal).
 */
import { launchChromium } from '../chromium-process.ts';
import { openPage } from '../open-page.ts';

const mode = process.argv[2] ?? 'wait';
const chromium = await launchChromium();
await openPage(chromium.connection, 'data:text/html,<h1>child</h1>');
process.stdout.write(`${JSON.stringify({ pid: chromium.pid, userDataDir: chromium.userDataDir })}\n`);

setTimeout(() => {
  if (mode === 'exit') process.exit(0);
  if (mode === 'uncaught') throw new Error('an uncaught error, on purpose');
  if (mode === 'rejection') void Promise.reject(new Error('an unhandled rejection, on purpose'));
}, 100);
