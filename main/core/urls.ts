/**
 * What the omnibox and navigation accept: the app's built-in pages (`lab://live`), http(s) URLs,
 * and, typed in the omnibox only, Chrome's debug URLs. Anything else gets a clear error.
 */
import { BrowserUiErrorCode } from '../../protocol/interfaces/ui-browser.ts';
import { CodedError } from '../../protocol/rpc/errors.ts';
import { isReportId, REPORTS_PAGE } from '../../protocol/experiments/report-url.ts';

/** Built-in pages served by the shell (no network needed). `site` groups pages into one site. */
export const BUILT_IN_PAGES = {
  live: { title: 'Live page', site: 'live' },
  plugins: { title: 'Plugins', site: 'plugins' },
  'cpu-heavy': { title: 'CPU-heavy page', site: 'cpu' },
  'memory-hog': { title: 'Memory hog', site: 'memory' },
  'same-site-a': { title: 'Same site A', site: 'pair' },
  'same-site-b': { title: 'Same site B', site: 'pair' },
  'bad-message': { title: 'Bad message', site: 'bad' },
  // The lab index, and the labs: a lab's own site is what lets the browser grant it a lab channel
  // (LAB_PAGE_SITES in lab-host-host.ts); the index gets none.
  labs: { title: 'Labs', site: 'labs' },
  ipc: { title: 'IPC lab', site: 'ipc' },
  threads: { title: 'Threads lab', site: 'threads' },
  deadlock: { title: 'Deadlock lab', site: 'deadlock' },
} as const satisfies Record<string, { title: string; site: string }>;

export type BuiltInPage = keyof typeof BUILT_IN_PAGES;

/** Chrome's debug URLs (chrome_debug_urls.h), honoured only when typed in the omnibox. */
export const DEBUG_URLS = {
  'chrome://crash': 'crash',
  'chrome://kill': 'kill',
  'chrome://hang': 'hang',
  'chrome://gpucrash': 'gpucrash',
  'chrome://gpuhang': 'gpuhang',
  // Not Chrome's: the lab host's as chrome://gpuhang is the GPU process's (a lab that spins).
  'chrome://labhang': 'labhang',
} as const;
export type DebugAction = (typeof DEBUG_URLS)[keyof typeof DEBUG_URLS];

export type ResolvedUrl =
  | { readonly kind: 'page'; readonly url: string; readonly site: string; readonly title: string }
  | { readonly kind: 'debug'; readonly action: DebugAction };

export class UrlError extends CodedError<typeof BrowserUiErrorCode.URL_NOT_ALLOWED> {
  constructor(message: string) {
    super(BrowserUiErrorCode.URL_NOT_ALLOWED, message);
    this.name = 'UrlError';
  }
}

/** A DNS label for a site: what the Chromium shell puts before `.localhost`. */
function label(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'site'
  );
}

/** A site as Chrome defines it, roughly: scheme plus the last two labels of the host (no public suffix list). */
function webSite(url: URL): string {
  const host = url.hostname;
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const registrable = isIp ? host : host.split('.').slice(-2).join('.');
  return label(`${url.protocol.replace(':', '')}-${registrable}`);
}

/**
 * A written experiment report, by id (`lab://reports/<id>`, its JSON `lab://reports/<id>.json`); its
 * tab's site is the reports', shared by all of them. Undefined for any other URL.
 */
function reportPage(text: string): ResolvedUrl | undefined {
  const prefix = `lab://${REPORTS_PAGE}/`;
  if (text.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
  const report = text.slice(prefix.length).replace(/\/+$/, '');
  const id = report.endsWith('.json') ? report.slice(0, -'.json'.length) : report;
  if (!isReportId(id)) throw new UrlError(`"${report}" is not an experiment report's id`);
  return { kind: 'page', url: `${prefix}${report}`, site: REPORTS_PAGE, title: 'Experiment report' };
}

/**
 * Resolves what was typed or asked for. `typed` is true only for the omnibox: a page (or a link)
 * can never reach a debug URL.
 */
export function resolveUrl(input: string, { typed }: { typed: boolean }): ResolvedUrl {
  const text = input.trim();
  const report = reportPage(text);
  if (report) return report;
  const debug = DEBUG_URLS[text.toLowerCase() as keyof typeof DEBUG_URLS];
  if (debug) {
    if (!typed) throw new UrlError(`${text} can only be typed in the omnibox`);
    return { kind: 'debug', action: debug };
  }
  if (/^lab:\/\//i.test(text)) {
    // A query is the page's own business (lab://bad-message?send=1 sends one by itself).
    const rest = text.slice('lab://'.length);
    const queryAt = rest.search(/[?#]/);
    const query = queryAt < 0 ? '' : rest.slice(queryAt);
    const name = (queryAt < 0 ? rest : rest.slice(0, queryAt)).replace(/\/+$/, '').toLowerCase();
    if (!Object.hasOwn(BUILT_IN_PAGES, name)) {
      throw new UrlError(
        `There is no built-in page "${name}"; the pages are ${Object.keys(BUILT_IN_PAGES)
          .map((page) => `lab://${page}`)
          .join(', ')}`,
      );
    }
    const page = BUILT_IN_PAGES[name as BuiltInPage];
    return { kind: 'page', url: `lab://${name}${query}`, site: label(page.site), title: page.title };
  }
  let url: URL;
  try {
    // Like the omnibox: a bare host name means https.
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    throw new UrlError(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UrlError(`${url.protocol} URLs are not allowed; use http(s):// or lab://`);
  }
  return { kind: 'page', url: url.href, site: webSite(url), title: url.hostname };
}
