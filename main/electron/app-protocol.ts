/**
 * Built-in pages over a privileged custom scheme instead of file:// (Electron security checklist
 * item 18): `lab-app://ui/` serves dist/renderer (the browser UI), `lab-app://pages/<page>` serves
 * dist/pages (the `lab://` tab pages), and `lab-app://pages/reports/<id>` a written experiment report by id
 * (main/node/experiment-reports.ts). Every response carries a Content-Security-Policy. Type-only
 * Electron imports: the caller passes `protocol` and `net`, so the path guard is testable in Node.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Net, Protocol } from 'electron';
import { resolveInside } from '../node/static-paths.ts';
import { REPORT_CSP, reportFile } from '../node/experiment-reports.ts';
import { REPORTS_PAGE } from '../../protocol/experiments/report-url.ts';

export const APP_SCHEME = 'lab-app';
export const UI_HOST = 'ui';
export const PAGES_HOST = 'pages';
export const UI_URL = `${APP_SCHEME}://${UI_HOST}/index.html`;

/** The UI: its own scripts only; no frames (tabs are WebContentsViews, not iframes). */
export const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";
/**
 * Tab pages: their own scripts only; sockets only to loopback, where the GPU process and the plugin
 * host listen for the direct channels the browser brokers (renderer/tab-runtime/direct-channel.ts).
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Options for `protocol.registerSchemesAsPrivileged`, called once before `ready`. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

export { resolveInside };

/** What a spare renderer shows until a tab takes it (main/electron/tab-host.ts): an empty page of the tab origin. */
export const SPARE_DOCUMENT_URL = `${APP_SCHEME}://${PAGES_HOST}/__spare-renderer`;
const SPARE_DOCUMENT = '<!doctype html><meta charset="utf-8"><title>Spare renderer</title>';

/** `lab://<page>` as the URL a tab loads, and back. Other URLs (http, https) load as they are. */
export function labToAppUrl(url: string): string {
  const page = /^lab:\/\/(.*)$/i.exec(url);
  return page ? `${APP_SCHEME}://${PAGES_HOST}/${page[1]}` : url;
}
export function appToLabUrl(url: string): string {
  const prefix = `${APP_SCHEME}://${PAGES_HOST}/`;
  return url.startsWith(prefix) ? `lab://${url.slice(prefix.length)}` : url;
}

export interface AppRoots {
  /** dist/renderer */
  readonly ui: string;
  /** dist/pages */
  readonly pages: string;
  /** Written experiment reports (`lab://reports/<id>` is `lab-app://pages/reports/<id>`); none served without it. */
  readonly reports?: string;
}

/** Which file a `lab-app:` URL names, with the CSP to send; undefined for anything else. */
export function appFile(url: string, roots: AppRoots): { file: string; csp: string } | undefined {
  const parsed = URL.parse(url);
  if (!parsed || parsed.protocol !== `${APP_SCHEME}:`) return undefined;
  const { hostname, pathname } = parsed;
  if (hostname === UI_HOST) {
    const file = resolveInside(roots.ui, pathname === '/' ? '/index.html' : pathname);
    return file ? { file, csp: UI_CSP } : undefined;
  }
  if (hostname === PAGES_HOST && pathname.startsWith(`/${REPORTS_PAGE}/`)) {
    // A report by id from its own folder; any other /reports/ path names nothing.
    const report = roots.reports === undefined ? undefined : reportFile(roots.reports, pathname);
    return report ? { file: report.file, csp: REPORT_CSP } : undefined;
  }
  if (hostname === PAGES_HOST) {
    // A tab page is `/<page>` -> `<page>.html`, as in the Chromium shell's app server.
    const file = resolveInside(roots.pages, path.extname(pathname) ? pathname : `${pathname}.html`);
    return file ? { file, csp: PAGE_CSP } : undefined;
  }
  return undefined;
}

function textResponse(status: number, text: string, csp: string): Response {
  return new Response(text, {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
    },
  });
}

/**
 * The answer to one `lab-app:` request, always a Response: a missing file is a 404 page (which
 * commits like any page, so the tab is live and says so), never a rejected promise (which Chromium
 * turns into an error page). `fetchFile` is `net.fetch` of a file: URL.
 */
export async function appResponse(
  request: Pick<Request, 'method' | 'url'>,
  roots: AppRoots,
  fetchFile: (url: string) => Promise<Response>,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed', PAGE_CSP);
  if (request.url === SPARE_DOCUMENT_URL) {
    return new Response(SPARE_DOCUMENT, {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PAGE_CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  }
  const target = appFile(request.url, roots);
  const notFound = () => textResponse(404, `There is no page ${appToLabUrl(request.url)}`, target?.csp ?? PAGE_CSP);
  if (!target) return notFound();
  try {
    if (!(await stat(target.file)).isFile()) return notFound();
  } catch {
    return notFound(); // ENOENT, ENOTDIR
  }
  let response: Response;
  try {
    response = await fetchFile(pathToFileURL(target.file).href);
  } catch (error) {
    return textResponse(500, `Could not read ${appToLabUrl(request.url)}: ${(error as Error).message}`, target.csp);
  }
  const headers = new Headers(response.headers);
  headers.set('content-security-policy', target.csp);
  headers.set('x-content-type-options', 'nosniff');
  return new Response(response.body, { status: response.status, headers });
}

/** Serves `lab-app:` (after `ready`). */
export function handleAppProtocol(protocol: Protocol, net: Net, roots: AppRoots): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(request, roots, (url) => net.fetch(url)));
}
