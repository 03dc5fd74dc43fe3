/**
 * For tests of the core with real renderer processes: a loopback server with a fixture browser UI
 * and tab pages that speak the browser<->tab protocol by hand (JSON envelopes, protocol/rpc/wire.ts)
 * through the tab channel: heartbeats every 250 ms, the title once, a counter in the DOM. `/bad-message`
 * also sends one heartbeat whose payload breaks its schema. `/bad-message?fuzz=<key>` instead sends the texts the
 * test gave for `<key>` (`fuzzTexts`), each through the raw binding, as fast as it can, once the test
 * released them (`releaseFuzz`: after the browser listens, as it holds only 256 messages sent before). Any other path is such a page.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SPARE_DOCUMENT_PATH } from '../tab-host.ts';

const TAB_CHANNEL_JS = fs.readFileSync(new URL('./tab-channel.js', import.meta.url), 'utf8');

const UI = `<!doctype html><title>UI</title>
<style>[data-tab-container] { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4px } iframe { width: 100%; height: 160px; border: 1px solid #ccc }</style>
<main data-tab-container></main>`;

function page(title: string, extra: string): string {
  return `<!doctype html><title>${title}</title><div id="count">0</div>
<script src="/tab-channel.js"></script>
<script>
const channel = labTabChannel();
channel.setReceiver(() => {});
const event = (name, payload) => channel.send(JSON.stringify([3, name, payload]));
let seq = 0;
let count = 0;
setInterval(() => event('heartbeat', { seq: seq++ }), 250);
setInterval(() => { document.getElementById('count').textContent = ++count; }, 50);
event('titleChanged', { title: document.title });
${extra}
</script>`;
}

const BAD = `setTimeout(() => event('heartbeat', { seq: 'not a number' }), 300);`;

// Heartbeats every 50 ms whose seq is the page's clock in microseconds since the epoch, so the
// browser can tell how long each took to arrive (the flood benchmark's other tabs).
const PROBE = `setInterval(() => event('heartbeat', { seq: Math.round((performance.timeOrigin + performance.now()) * 1000) }), 50);`;

// A tab posting valid heartbeats as fast as it can (500 per task, a new task at once), from when the
// test released `?flood=<key>` (after the browser listens: flooding before that only meets the
// 256-message pre-connect cap, main/chromium/tab-page-channel.ts, never the message budget).
const FLOOD = `let flooded = 0;
const flood = () => { for (let i = 0; i < 500; i++) event('heartbeat', { seq: flooded++ }); setTimeout(flood, 0); };
fetch('/fuzz-batch/' + encodeURIComponent(new URLSearchParams(location.search).get('flood'))).then(() => flood());`;

// Every text, raw, in one go, once the server answers (when the test released them).
const FUZZ = `setTimeout(async () => {
  const key = new URLSearchParams(location.search).get('fuzz');
  const texts = await (await fetch('/fuzz-batch/' + encodeURIComponent(key))).json();
  for (const text of texts) globalThis.__labTabSend(text);
  document.documentElement.dataset.fuzzSent = String(texts.length);
}, 0);`;

export interface ProtocolPages {
  readonly port: number;
  readonly uiUrl: string;
  /** Lets the page `/bad-message?fuzz=<key>` have its texts (it waits for them until then). */
  releaseFuzz(key: string): void;
  close(): Promise<void>;
}

export interface ProtocolPagesOptions {
  /** Texts the page `/fuzz/<key>` sends through its binding, by key. */
  readonly fuzzTexts?: ReadonlyMap<string, readonly string[]>;
}

export async function serveProtocolPages(options: ProtocolPagesOptions = {}): Promise<ProtocolPages> {
  const released = new Set<string>();
  const waitingForRelease = new Map<string, () => void>();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const path = url.pathname;
    const send = (type: string, body: string) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/ui') return send('text/html', UI);
    if (path === '/tab-channel.js') return send('text/javascript', TAB_CHANNEL_JS);
    if (path === '/bad-message' && url.searchParams.has('fuzz')) return send('text/html', page('Fuzz', FUZZ));
    if (path === '/bad-message') return send('text/html', page('Bad message', BAD));
    if (url.searchParams.has('probe')) return send('text/html', page('Probe', PROBE));
    if (url.searchParams.has('flood')) return send('text/html', page('Flood', FLOOD));
    if (path.startsWith('/fuzz-batch/')) {
      const key = decodeURIComponent(path.slice('/fuzz-batch/'.length));
      const answer = () => send('application/json', JSON.stringify(options.fuzzTexts?.get(key) ?? []));
      return released.has(key) ? answer() : void waitingForRelease.set(key, answer);
    }
    // A spare renderer's blank document, as the app server serves it (main/chromium/app-server.ts).
    if (path === SPARE_DOCUMENT_PATH) return send('text/html', '<!doctype html><title>Spare renderer</title>');
    return send('text/html', page(`Page ${path.slice(1)}`, ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    uiUrl: `http://127.0.0.1:${port}/ui`,
    releaseFuzz(key) {
      released.add(key);
      waitingForRelease.get(key)?.();
      waitingForRelease.delete(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
