/**
 * The IPC lab's HTML report: the result embedded in one file that opens offline, drawn by the
 * experiments' report viewer (renderer/experiment-report, built by `npm run build`), which knows an
 * `lab-ipc/1` result as well as an experiment report. Used by `npm run lab:ipc` (beside the JSON) and
 * by the lab channel's `ipcReport` (the page's "Export HTML report").
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPORT_VIEWER_PATH, reportPageHtml } from '../../protocol/experiments/report-page.ts';
import type { IpcLabResult } from '../../protocol/labs/ipc-result.ts';

/** Where the built viewer is, when the lab host runs bundled away from the app (the Chromium shell's tests). */
export const REPORT_VIEWER_ENV = 'LAB_REPORT_VIEWER';

/**
 * Where the built viewer can be: as the shell says, beside a bundled lab host (dist-electron/ in the
 * repository or app.asar), or from this source file (lab-host/ipc/, run by tsx).
 */
export function reportViewerCandidates(
  here: string = import.meta.dirname,
  environment: NodeJS.ProcessEnv = process.env,
): string[] {
  const named = environment[REPORT_VIEWER_ENV];
  return [
    ...(named ? [named] : []),
    path.join(here, '..', REPORT_VIEWER_PATH),
    path.join(here, '..', '..', REPORT_VIEWER_PATH),
  ];
}

export class ReportViewerMissingError extends Error {
  constructor(readonly looked: readonly string[]) {
    super(`The HTML report's viewer is not built (looked for ${looked.join(', ')}): run \`npm run build\`.`);
    this.name = 'ReportViewerMissingError';
  }
}

export async function readReportViewer(candidates: readonly string[] = reportViewerCandidates()): Promise<string> {
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new ReportViewerMissingError(candidates);
  return readFile(file, 'utf8');
}

/** The report page of `result`, in `language` (the page's texts: renderer/pages/labs/i18n). */
export function ipcReportHtml(result: IpcLabResult, viewerScript: string, language = 'en'): string {
  return reportPageHtml({
    title: `IPC lab report · ${result.startedAt}`,
    language,
    data: result,
    viewerScript,
    sha256Base64: (text) => createHash('sha256').update(text, 'utf8').digest('base64'),
  });
}

/** Writes the report beside `jsonFile` (same name, `.html`); returns its path. */
export async function writeIpcReportHtml(result: IpcLabResult, jsonFile: string): Promise<string> {
  const html = `${jsonFile.replace(/\.json$/i, '')}.html`;
  const temporary = `${html}.${process.pid}.tmp`;
  await writeFile(temporary, ipcReportHtml(result, await readReportViewer()));
  await rename(temporary, html);
  return html;
}
