// The page's end of a port the browser process brokers (Electron shell), in a real headless
// Chromium: DeliveredPorts takes ports posted to the page's own window the way the tab preload posts
// them and refuses what it must; a connection over such a port closes when the process holding the
// other end dies. That last part needs the port's 'close' event, which Chromium 156 has only behind
// the Blink feature MessagePortCloseEvent (off by default, so also in Electron, whose checklist says
// not to turn on Blink features): this browser runs with it, to check the transport's use of the
// event, and the app does not rely on it (a tab asks for a new channel when the browser says the
// GPU process or plugin host is back). What the tab preload itself does in Electron's isolated world
// is covered by the e2e `electron` project only. The pages are in ./testing/, bundled at test time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundlePage, launchChromium } from './testing/chromium-pages.ts';
import type { DeliveredPortsResults } from './testing/delivered-ports-checks.ts';

let browser: Browser | undefined;
let server: http.Server | undefined;
let page: Page;
let results: DeliveredPortsResults;
const pageErrors: string[] = [];

beforeAll(async () => {
  const [top, frame] = await Promise.all([bundlePage('delivered-ports-page'), bundlePage('delivered-ports-frame')]);
  const scripts: Record<string, string> = { '/top.js': top, '/frame.js': frame };
  const html = (script: string) =>
    `<!doctype html><meta charset="utf-8"><body><script type="module" src="/${script}.js"></script></body>`;
  server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://x');
    const script = scripts[pathname];
    if (script !== undefined) return response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    if (pathname === '/') return response.writeHead(200, { 'Content-Type': 'text/html' }).end(html('top'));
    if (pathname === '/frame.html') return response.writeHead(200, { 'Content-Type': 'text/html' }).end(html('frame'));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // 127.0.0.1 and localhost are different sites: the frame runs in a renderer process of its own.
  browser = await launchChromium([
    '--disable-gpu',
    '--site-per-process',
    '--no-first-run',
    '--disable-background-networking',
    '--enable-blink-features=MessagePortCloseEvent',
  ]);
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(`http://127.0.0.1:${port}/?frame=${encodeURIComponent(`http://localhost:${port}`)}`);
  const outcome = await page.evaluate(
    () => (globalThis as unknown as { results: Promise<DeliveredPortsResults | { error: string }> }).results,
  );
  if ('error' in outcome) throw new Error(`the page failed: ${outcome.error}`);
  results = outcome;
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

it('takes a port that arrived before it was asked for, and one asked for before it arrived', () => {
  expect(results.heldEarly).toBe(1);
  expect(results.earlyEcho).toEqual({ text: 'early' });
  expect(results.lateEcho).toEqual({ text: 'late' });
});

it('refuses a delivery with two ports, an unknown field or no port, closing its ports', () => {
  expect(results.refused).toEqual([
    "The channel's port did not arrive within 200 ms",
    "The channel's port did not arrive within 200 ms",
    "The channel's port did not arrive within 200 ms",
  ]);
  expect(results.refusedPortsClosed).toBe(true);
});

it('ignores a port another window posts (a cross-origin frame), though its message looks right', () => {
  expect(results.forged).toBe("The channel's port did not arrive within 200 ms");
});

it('closes a port nobody claims, and gives up a wait when the page aborts it', () => {
  expect(results.unclaimedWasClosed).toBe(true);
  expect(results.heldAtEnd).toBe(0);
  expect(results.aborted).toBe('the page gave up');
  expect(pageErrors).toEqual([]);
});

it("closes the page's connection when the process holding the port's other end crashes", async () => {
  expect(results.frameEcho).toEqual({ text: 'across processes' });
  const frame = page.frames().find((candidate) => candidate.url().includes('/frame.html'))!;
  // Playwright takes a crash of any of the page's frames for the page's own: read the top page
  // through a raw session instead.
  const top = await page.context().newCDPSession(page);
  const session = await page.context().newCDPSession(frame); // an out-of-process frame has its own target
  void session.send('Page.crash').catch(() => {}); // no answer comes: it dies with the process
  const { result } = await top.send('Runtime.evaluate', {
    expression: `Promise.race([globalThis.crashWatch, new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000))])`,
    awaitPromise: true,
    returnByValue: true,
  });
  const reason: unknown = result.value;
  expect(reason).toBe('the channel closed');
});
