/**
 * For tests: what the Chromium shell will serve on loopback, reduced to fixtures. The browser UI
 * page (a grid that holds the tab iframes) on 127.0.0.1, and tab pages on any `<site>.localhost`
 * (Chromium resolves every *.localhost name to loopback itself):
 * - /counter: counts every 50 ms, shows the count and sends it over the tab channel; answers pings;
 * - /garbage: sends a valid message, text that is not JSON, a 2 MiB message, another valid one.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const TAB_CHANNEL_JS = fs.readFileSync(new URL('./tab-channel.js', import.meta.url), 'utf8');

export const COUNT_INTERVAL_MS = 50;

const UI_PAGE = `<!doctype html>
<title>Browser UI (fixture)</title>
<style>
  body { margin: 8px; font: 14px system-ui, sans-serif; background: #202124; color: #e8eaed; }
  [data-tab-container] { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
  iframe { width: 100%; height: 180px; border: 1px solid #5f6368; background: #fff; }
</style>
<h1>Browser UI (fixture): each tab is a cross-site iframe</h1>
<main data-tab-container></main>`;

/** A colour per hostname, so each site instance is recognisable in a screenshot. */
function hue(host: string): number {
  let hash = 0;
  for (const char of host) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

function tabPage(host: string, script: string): string {
  return `<!doctype html>
<title>${host}</title>
<style>body { margin: 0; padding: 8px; font: 16px system-ui, sans-serif; background: hsl(${hue(host)} 70% 85%); }
#count { font-size: 56px; font-weight: bold; }</style>
<div>${host}</div><div id="count">-</div>
<script src="/tab-channel.js"></script>
<script>
const channel = labTabChannel();
const send = (message) => channel.send(JSON.stringify(message));
${script}
</script>`;
}

const COUNTER = `
let count = 0;
channel.setReceiver((text) => {
  const message = JSON.parse(text);
  if (message.type === 'ping') send({ type: 'pong', id: message.id, count });
});
setInterval(() => {
  count++;
  document.getElementById('count').textContent = count;
  send({ type: 'count', count });
}, ${COUNT_INTERVAL_MS});`;

const GARBAGE = `
document.getElementById('count').textContent = 'garbage';
send({ type: 'hello' });
channel.send('this is not JSON {');
channel.send(JSON.stringify('x'.repeat(2 * 1024 * 1024)));
send({ type: 'after' });`;

export interface FixtureServer {
  readonly port: number;
  readonly uiUrl: string;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const server = http.createServer((request, response) => {
    const host = (request.headers.host ?? '').split(':')[0] ?? '';
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const send = (type: string, body: string) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/ui') return send('text/html', UI_PAGE);
    if (path === '/tab-channel.js') return send('text/javascript', TAB_CHANNEL_JS);
    if (path === '/counter') return send('text/html', tabPage(host, COUNTER));
    if (path === '/garbage') return send('text/html', tabPage(host, GARBAGE));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    uiUrl: `http://127.0.0.1:${port}/ui`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // Chromium keeps its connections alive
      }),
  };
}
