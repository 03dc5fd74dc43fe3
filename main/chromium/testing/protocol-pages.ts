/**
 * For tests of the core with real renderer processes: a loopback server with a fixture browser UI
 * and tab pages that speak the browser<->tab protocol by hand (JSON envelopes, protocol/rpc/wire.ts)
 * through the tab channel: heartbeats every 250 ms, the title once, a counter in the DOM. `/bad-message`
 * also sends one heartbeat whose payload breaks its schema. Any other path is such a page.
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

export interface ProtocolPages {
  readonly port: number;
  readonly uiUrl: string;
  close(): Promise<void>;
}

export async function serveProtocolPages(): Promise<ProtocolPages> {
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const send = (type: string, body: string) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/ui') return send('text/html', UI);
    if (path === '/tab-channel.js') return send('text/javascript', TAB_CHANNEL_JS);
    if (path === '/bad-message') return send('text/html', page('Bad message', BAD));
    // A spare renderer's blank document, as the app server serves it (main/chromium/app-server.ts).
    if (path === SPARE_DOCUMENT_PATH) return send('text/html', '<!doctype html><title>Spare renderer</title>');
    return send('text/html', page(`Page ${path.slice(1)}`, ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    uiUrl: `http://127.0.0.1:${port}/ui`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
