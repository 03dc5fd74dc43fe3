/**
 * Where a written report is found: `lab://reports/<id>` opens its HTML in a tab, `lab://reports/<id>.json`
 * its JSON. The shells serve that path from their reports folder by id only (main/node/experiment-reports.ts),
 * so an id is a file name and never a path: letters, digits, `.`, `_`, `-`, not starting with a dot.
 */

/** The built-in page path reports live under (also the site their tabs share). */
export const REPORTS_PAGE = 'reports';

const REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Whether `id` can name a report file (no separators, no `..`, no leading dot, no `.json` / `.html` ending). */
export function isReportId(id: string): boolean {
  // A trailing .json or .html would read as the other file of a shorter id.
  return REPORT_ID.test(id) && !id.includes('..') && !/\.(json|html)$/i.test(id);
}

/** The URL a tab opens to show report `id`. */
export function reportUrl(id: string): string {
  if (!isReportId(id)) throw new Error(`"${id}" cannot name a report`);
  return `lab://${REPORTS_PAGE}/${id}`;
}

/**
 * Which report file a request path names: `/reports/<id>` is the HTML report, `/reports/<id>.json` the JSON.
 * Undefined for anything else (another path, an id that is not one, an encoded separator).
 */
export function reportRequest(pathname: string): { readonly id: string; readonly format: 'html' | 'json' } | undefined {
  const prefix = `/${REPORTS_PAGE}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  // Not decoded on purpose: an id has no character that needs escaping, so `%2F` or `%2e%2e` is refused.
  const name = pathname.slice(prefix.length);
  const json = name.endsWith('.json');
  const id = json ? name.slice(0, -'.json'.length) : name;
  return isReportId(id) ? { id, format: json ? 'json' : 'html' } : undefined;
}
