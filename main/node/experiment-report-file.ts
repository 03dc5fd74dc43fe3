/**
 * Writes an experiment report as `<id>.json` (the data, the contract) and `<id>.html` (one file that
 * opens offline: the report embedded as JSON, the built viewer inlined, a CSP that allows that one
 * script by its hash and nothing else to run). The viewer is `npm run build`'s
 * dist/experiment-report/experiment-report.js (vite.report.config.ts), read at run time: no bundler is
 * needed where this runs (the packaged Electron app reads it from its app.asar).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../protocol/experiments/report.ts';
import { jsonForScriptElement, REPORT_DATA_ID, REPORT_ROOT_ID } from '../../protocol/experiments/report-page.ts';
import { checkReport } from '../../protocol/experiments/stats.ts';

/** The built viewer, relative to the app's root (the repository, or the packaged app). */
export const REPORT_VIEWER_PATH = 'dist/experiment-report/experiment-report.js';

/**
 * Where the built viewer can be: beside the bundled Electron main (dist-electron/main.js, in the
 * repository or app.asar), or from this source file (main/node/, run by tsx in the Chromium shell,
 * scripts and tests).
 */
export function viewerScriptCandidates(here: string = import.meta.dirname): string[] {
  return [path.join(here, '..', REPORT_VIEWER_PATH), path.join(here, '..', '..', REPORT_VIEWER_PATH)];
}

export class ReportViewerMissingError extends Error {
  constructor(readonly looked: readonly string[]) {
    super(`The HTML report's viewer is not built (looked for ${looked.join(', ')}): run \`npm run build\`.`);
    this.name = 'ReportViewerMissingError';
  }
}

export class InvalidReportError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`Not a valid experiment report:\n  ${errors.join('\n  ')}`);
    this.name = 'InvalidReportError';
  }
}

export interface WriteReportOptions {
  /** The viewer script to inline; default: the first of `viewerScriptCandidates()` that exists. */
  readonly viewerScript?: string;
}

/** A report id becomes a file name: letters, digits, `.`, `_`, `-`, not starting with a dot. */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The viewer as it goes inside `<script>`: a `</script` or `<!--` in it would end or bend the
 * element. Minified code has them only inside strings, regexes or templates, where `\x3C` means `<`
 * (the built viewer has none today: this keeps it so).
 */
function inlineSafe(script: string): string {
  return script.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

/** The HTML page for a report (exported for tests and for callers that serve it themselves). */
export function reportHtml(report: Report, viewerScript: string): string {
  const script = inlineSafe(viewerScript);
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  // Plot adds a <style> per plot and the viewer its stylesheet: styles inline; nothing else loads.
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    `<meta http-equiv="Content-Security-Policy" content="${csp}" />`,
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(`Experiment report: ${report.scenario} · ${report.id}`)}</title>`,
    '</head>',
    '<body>',
    `<div id="${REPORT_ROOT_ID}"><p>Loading the report…</p></div>`,
    `<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScriptElement(report)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/**
 * Writes `<dir>/<id>.json` and `<dir>/<id>.html` (dir made if missing). Refuses a report that fails
 * `checkReport` (InvalidReportError, nothing written) or whose id is not a plain file name. The JSON
 * is written first, so a missing viewer (ReportViewerMissingError: run `npm run build`) loses nothing.
 */
export async function writeReportFiles(
  report: Report,
  dir: string,
  options: WriteReportOptions = {},
): Promise<{ json: string; html: string }> {
  const checked = checkReport(report);
  if (!checked.ok) throw new InvalidReportError(checked.errors);
  if (!SAFE_ID.test(report.id)) {
    throw new InvalidReportError([`/id "${report.id}" cannot be a file name (letters, digits, . _ - only)`]);
  }
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, `${report.id}.json`);
  const html = path.join(dir, `${report.id}.html`);
  await writeAtomically(json, `${JSON.stringify(report, null, 2)}\n`);

  const candidates = options.viewerScript ? [options.viewerScript] : viewerScriptCandidates();
  const viewerFile = candidates.find((file) => existsSync(file));
  if (!viewerFile) throw new ReportViewerMissingError(candidates);
  await writeAtomically(html, reportHtml(report, await readFile(viewerFile, 'utf8')));
  return { json, html };
}
