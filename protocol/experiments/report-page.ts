/**
 * How a report travels inside its HTML page: the writer (main/node/experiment-report-file.ts) and the
 * viewer (renderer/experiment-report/main.ts) agree here on where it sits and how it is escaped.
 */

/** The `<script type="application/json">` element holding the report. */
export const REPORT_DATA_ID = 'report-data';
/** The element the viewer draws into. */
export const REPORT_ROOT_ID = 'report';

/**
 * JSON that is safe inside a `<script type="application/json">`: `<` is written `\u003c`, so no
 * `</script` (any case) or `<!--` can end or bend the element; U+2028/2029 escaped too. JSON.parse
 * of the text gives back the same value.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The built viewer (`npm run build`, vite.report.config.ts), relative to the app's root. */
export const REPORT_VIEWER_PATH = 'dist/experiment-report/experiment-report.js';

/**
 * The viewer as it goes inside `<script>`: a `</script` or `<!--` in it would end or bend the
 * element. Minified code has them only inside strings, regexes or templates, where `\x3C` means `<`
 * (the built viewer has none today: this keeps it so).
 */
export function inlineSafeScript(script: string): string {
  return script.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface ReportPage {
  readonly title: string;
  /** `<html lang>`: the viewer draws a lab's report in this language. */
  readonly language: string;
  /** What the viewer reads from `#report-data` (an experiment report, an IPC lab result). */
  readonly data: unknown;
  /** The built viewer, as read from REPORT_VIEWER_PATH. */
  readonly viewerScript: string;
  /** base64 SHA-256 of a text (the caller's crypto: Node's in the writers). */
  readonly sha256Base64: (text: string) => string;
}

/**
 * One HTML file that opens offline: the data embedded as JSON, the viewer inlined, and a CSP that
 * lets that one script run (by its hash) and nothing else load. Shared by the experiment report's
 * writer (main/node/experiment-report-file.ts) and the IPC lab's (lab-host/ipc/report-file.ts).
 */
export function reportPageHtml(page: ReportPage): string {
  const script = inlineSafeScript(page.viewerScript);
  // Plot adds a <style> per plot and the viewer its stylesheet: styles inline; nothing else loads.
  const csp = `default-src 'none'; script-src 'sha256-${page.sha256Base64(script)}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(page.language)}">`,
    '<head>',
    '<meta charset="utf-8" />',
    `<meta http-equiv="Content-Security-Policy" content="${csp}" />`,
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(page.title)}</title>`,
    '</head>',
    '<body>',
    `<div id="${REPORT_ROOT_ID}"><p>Loading the report…</p></div>`,
    `<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScriptElement(page.data)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
