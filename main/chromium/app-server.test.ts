// The shell's web server over real loopback HTTP, with a real folder of files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside, startAppServer, type AppServer } from './app-server.ts';

let dir: string;
let server: AppServer;

/** GET with an explicit Host header (the server tells the UI from tab sites by it). */
function get(
  host: string,
  requestPath: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: server.port, path: requestPath, headers: { host: `${host}:${server.port}` } },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lab-app-server-'));
  mkdirSync(path.join(dir, 'ui/assets'), { recursive: true });
  mkdirSync(path.join(dir, 'pages/assets'), { recursive: true });
  writeFileSync(path.join(dir, 'ui/index.html'), '<title>UI</title>');
  writeFileSync(path.join(dir, 'ui/assets/app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'pages/live.html'), '<title>Live</title>');
  writeFileSync(path.join(dir, 'pages/assets/live.js'), 'x');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  writeFileSync(path.join(dir, 'secret.html'), 'secret');
  mkdirSync(path.join(dir, 'reports'));
  writeFileSync(path.join(dir, 'reports/run-1.html'), '<title>Report</title><script>1</script>');
  writeFileSync(path.join(dir, 'reports/run-1.json'), '{"id":"run-1"}');
  writeFileSync(path.join(dir, 'reports/notes.txt'), 'not a report');
  server = await startAppServer({
    uiRoot: path.join(dir, 'ui'),
    pagesRoot: path.join(dir, 'pages'),
    reportsRoot: path.join(dir, 'reports'),
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('app server', () => {
  it('serves the UI on 127.0.0.1 and pages on *.localhost, each with its CSP', async () => {
    const ui = await get('127.0.0.1', '/');
    expect(ui).toMatchObject({ status: 200, body: '<title>UI</title>' });
    expect(ui.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get('127.0.0.1', '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    const page = await get('tab-3.localhost', '/live');
    expect(page).toMatchObject({ status: 200, body: '<title>Live</title>' });
    expect(page.headers['content-security-policy']).toContain('connect-src ws://127.0.0.1:*');
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect((await get('site-pair.localhost', '/assets/live.js')).status).toBe(200);
  });

  it("serves a spare renderer's blank document on any tab host, with no script, and hashed assets cacheable for good", async () => {
    const spare = await get('spare-1.localhost', '/__spare-renderer');
    expect(spare.status).toBe(200);
    expect(spare.body).toContain('<title>Spare renderer</title>');
    expect(spare.body).not.toContain('<script');
    expect(spare.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get('127.0.0.1', '/__spare-renderer')).status).toBe(404); // not on the UI's host
    expect((await get('tab-3.localhost', '/live')).headers['cache-control']).toBe('no-store');
    expect((await get('tab-3.localhost', '/assets/live.js')).headers['cache-control']).toBe('no-store');
  });

  it("preloads in the spare's document what the live page links (tab runtime, stylesheet), cached for good", async () => {
    const pages = path.join(dir, 'built-pages');
    mkdirSync(path.join(pages, 'pages-assets'), { recursive: true });
    writeFileSync(
      path.join(pages, 'live.html'),
      '<script type="module" crossorigin src="/pages-assets/live-1.js"></script>' +
        '<link rel="modulepreload" crossorigin href="/pages-assets/tab-runtime-1.js">' +
        '<link rel="stylesheet" crossorigin href="/pages-assets/page-1.css">',
    );
    writeFileSync(path.join(pages, 'pages-assets/tab-runtime-1.js'), 'export {}');
    const built = await startAppServer({ uiRoot: path.join(dir, 'ui'), pagesRoot: pages });
    const own = server;
    server = built;
    try {
      const spare = await get('spare-2.localhost', '/__spare-renderer');
      expect(spare.body).toContain('<link rel="modulepreload" crossorigin href="/pages-assets/tab-runtime-1.js">');
      expect(spare.body).toContain('<link rel="preload" as="style" crossorigin href="/pages-assets/page-1.css">');
      expect(spare.body).not.toContain('live-1.js'); // the page's own script would run
      const asset = await get('spare-2.localhost', '/pages-assets/tab-runtime-1.js');
      expect(asset.headers['cache-control']).toBe('max-age=31536000, immutable');
    } finally {
      server = own;
      await built.close();
    }
  });

  it('refuses unknown hosts, unknown pages and anything outside its folders', async () => {
    expect((await get('evil.example', '/')).status).toBe(421);
    expect((await get('tab-1.localhost', '/nope')).status).toBe(404);
    expect((await get('tab-1.localhost', '/')).status).toBe(404);
    expect((await get('127.0.0.1', '/../secret.txt')).status).toBe(404);
    expect((await get('127.0.0.1', '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('127.0.0.1', '/..%2fsecret.txt')).status).toBe(404);
    expect((await get('127.0.0.1', '/%00')).status).toBe(404);
  });

  it('serves a written report by id to tabs, its HTML with a CSP that lets its inline script run', async () => {
    const html = await get('reports.localhost', '/reports/run-1');
    expect(html).toMatchObject({ status: 200, body: '<title>Report</title><script>1</script>' });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toContain("script-src 'unsafe-inline'");
    expect(html.headers['content-security-policy']).toContain("connect-src 'none'");
    const json = await get('reports.localhost', '/reports/run-1.json');
    expect(json).toMatchObject({ status: 200, body: '{"id":"run-1"}' });
    expect(json.headers['content-type']).toBe('application/json');
    // Not to the UI's origin: a report runs script, and the UI's page holds the browser's channel.
    expect((await get('127.0.0.1', '/reports/run-1')).status).toBe(404);
  });

  it('serves nothing but report files from the reports folder: no path leaves it', async () => {
    for (const bad of [
      '/reports/../secret',
      '/reports/%2e%2e/secret',
      '/reports/..%2fsecret',
      '/reports/%2e%2e%2fsecret',
      '/reports/..%5csecret',
      '/reports/%2e%2e',
      '/reports/notes.txt',
      '/reports/notes',
      '/reports/.run-1',
      '/reports/',
      '/reports/run-1%00',
      '/reports/run-2',
    ]) {
      const answer = await get('reports.localhost', bad);
      expect(answer.status, bad).toBe(404);
      expect(answer.body, bad).toMatch(/^Not found: /);
    }
  });

  it('resolveInside keeps every path inside its root', () => {
    expect(resolveInside('/srv/ui', '/a/b.js')).toBe('/srv/ui/a/b.js');
    expect(resolveInside('/srv/ui', '/../x')).toBeUndefined();
    expect(resolveInside('/srv/ui', '/%2e%2e/x')).toBeUndefined();
    expect(resolveInside('/srv/ui', '/')).toBeUndefined();
    expect(resolveInside('/srv/ui', '/%E0%A4%A')).toBeUndefined();
  });
});
