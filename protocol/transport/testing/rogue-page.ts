// A hostile frame of browser-transports.test.ts, loaded next to the service frame: when the top
// page says 'go', it posts well-formed RPC messages at the top page and at the service frame, as
// a compromised frame could. windowTransport must drop them all (wrong source, or wrong origin).
import '../../rpc/eval-free.ts';
import { Kind } from '../../rpc/wire.ts';
import { FORGED } from './browser-checks.ts';
import type { PageWindow } from './page-dom.ts';

declare const window: PageWindow;

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || event.data !== 'go') return;
  const top = window.parent;
  // Answers for every call id the top page may have pending (its `wait` call among them).
  for (let i = 0; i <= 64; i++) top.postMessage([Kind.Response, i, { waited: FORGED }], '*');
  top.postMessage([Kind.Event, 'ticked', { n: FORGED }], '*');
  top.postMessage({ forged: FORGED }, '*'); // not an envelope: a bad message, if it got through
  const service = top.frames[0]!; // the service frame, appended first
  service.postMessage([Kind.Request, 1, 'echo', { text: 'forged' }], '*');
  service.postMessage({ forged: FORGED }, '*');
  // Same source, same target: these arrive after the forged messages above.
  service.postMessage('rogue-done', '*');
  top.postMessage('rogue-done', '*');
});
window.parent.postMessage('rogue-ready', '*');
