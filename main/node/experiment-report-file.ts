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
import { REPORT_VIEWER_PATH, reportPageHtml } from '../../protocol/experiments/report-page.ts';
import { checkReport } from '../../protocol/experiments/stats.ts';

/** The built viewer, relative to the app's root (the repository, or the packaged app). */
export { REPORT_VIEWER_PATH };

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

/** The HTML page for a report (exported for tests and for callers that serve it themselves). */
export function reportHtml(report: Report, viewerScript: string): string {
  return reportPageHtml({
    title: `Experiment report: ${report.scenario} · ${report.id}`,
    language: 'en',
    data: report,
    viewerScript,
    sha256Base64: (text) => createHash('sha256').update(text, 'utf8').digest('base64'),
  });
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
