/**
 * The Chromium shell's loopback web server: the browser UI on `http://127.0.0.1:<port>/`, and the
 * built-in tab pages on `http://<site>.localhost:<port>/<page>` (Chromium resolves every *.localhost
 * name to loopback itself, and puts each site in its own renderer process). Serves only files from
 * the build output, with a Content-Security-Policy on every page, and written experiment reports by id
 * (`http://reports.localhost:<port>/reports/<id>`, as `lab://reports/<id>` maps) from the reports folder.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { resolveInside } from '../node/static-paths.ts';
import { REPORT_CSP, reportFile } from '../node/experiment-reports.ts';
import { REPORTS_PAGE } from '../../protocol/experiments/report-url.ts';
import { SPARE_DOCUMENT_PATH } from './tab-host.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The UI talks to the browser over CDP bindings only; tab pages also open loopback WebSockets. */
const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "frame-src http://*.localhost:* https: http:; connect-src 'self'";
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src ws://127.0.0.1:*";

/**
 * What a spare renderer shows until a tab takes it (main/chromium/tab-host.ts): no script runs, but
 * it preloads what every tab page loads (the tab runtime's module and the pages' stylesheet, as
 * `live.html` links them), so the taking tab's page finds them in its host's HTTP cache.
 */
function spareDocument(pagesRoot: string): string {
  let preloads = '';
  try {
    const live = readFileSync(path.join(pagesRoot, 'live.html'), 'utf8');
    for (const [, rel, href] of live.matchAll(/<link rel="(modulepreload|stylesheet)" crossorigin href="(\/[^"]+)"/g)) {
      const as = rel === 'stylesheet' ? ' as="style"' : '';
      preloads += `<link rel="${rel === 'stylesheet' ? 'preload' : rel}"${as} crossorigin href="${href}">`;
    }
  } catch {
    // No live page built: a blank spare still has its process started.
  }
  return `<!doctype html><meta charset="utf-8"><title>Spare renderer</title>${preloads}`;
}

/** Built assets carry a content hash in their name (Vite): cached for good, so a spare's preloads are reused. */
const HASHED_ASSETS = '/pages-assets/';

export interface AppServerOptions {
  /** The built browser UI (dist/renderer). */
  readonly uiRoot: string;
  /** The built tab pages (dist/pages): `<page>.html` plus their assets. */
  readonly pagesRoot: string;
  /**
   * Written experiment reports, served to tabs as `lab://reports/<id>` (`/reports/<id>`, `/reports/<id>.json`
   * on a *.localhost host) by id only. Without it, no reports are served.
   */
  readonly reportsRoot?: string;
}

export interface AppServer {
  readonly port: number;
  readonly uiUrl: string;
  close(): Promise<void>;
}

export { resolveInside };

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const spare = spareDocument(options.pagesRoot);
  // Chromium opens speculative connections (preconnects) that may never carry a request; Node keeps
  // such a socket until headersTimeout (60 s by default, checked every 30 s). A loopback client
  // sends its headers at once, so 10 s checked every second ends them soon after they go unused.
  const server = http.createServer(
    { headersTimeout: 10_000, connectionsCheckingInterval: 1000 },
    (request, response) => {
      void serve(options, spare, request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end('Internal error');
        else response.destroy();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    uiUrl: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(
  options: AppServerOptions,
  spareDocument: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  const { pathname } = new URL(request.url ?? '/', 'http://x');
  const isUi = host === '127.0.0.1';
  const isPage = host.endsWith('.localhost');
  if (!isUi && !isPage) return void response.writeHead(421).end('Unknown host');
  if (isPage && pathname === SPARE_DOCUMENT_PATH) {
    response.writeHead(200, {
      'content-type': TYPES['.html'],
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': PAGE_CSP,
    });
    return void response.end(request.method === 'HEAD' ? undefined : spareDocument);
  }

  // A report, by id from its own folder; any other /reports/ path is a 404, never a look elsewhere.
  if (isPage && pathname.startsWith(`/${REPORTS_PAGE}/`)) {
    const report = options.reportsRoot === undefined ? undefined : reportFile(options.reportsRoot, pathname);
    return sendFile(request, response, report?.file, report?.type ?? '', REPORT_CSP, pathname, false);
  }

  const root = isUi ? options.uiRoot : options.pagesRoot;
  // The UI is one page; a tab page is `/<page>` -> `<page>.html`.
  const wanted =
    pathname === '/' ? (isUi ? '/index.html' : undefined) : path.extname(pathname) ? pathname : `${pathname}.html`;
  const file = wanted ? resolveInside(root, wanted) : undefined;
  const type = file ? (TYPES[path.extname(file)] ?? 'application/octet-stream') : '';
  // Hashed page assets never change under their name: the spare renderer's preload is reused from the cache.
  const immutable = isPage && pathname.startsWith(HASHED_ASSETS);
  return sendFile(request, response, file, type, isUi ? UI_CSP : PAGE_CSP, pathname, immutable);
}

/** Sends `file` (or a 404 when it is undefined or not a file); HTML gets `csp`. */
async function sendFile(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  file: string | undefined,
  type: string,
  csp: string,
  pathname: string,
  immutable: boolean,
): Promise<void> {
  const found = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !found?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    return void response.end(`Not found: ${pathname}`);
  }
  const headers: http.OutgoingHttpHeaders = {
    'content-type': type,
    'content-length': found.size,
    'cache-control': immutable ? 'max-age=31536000, immutable' : 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (type.startsWith('text/html')) headers['content-security-policy'] = csp;
  response.writeHead(200, headers);
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}
