/**
 * Experiment reports on disk, for both shells: where they go (a folder per shell), writing one, and
 * which file a `lab://reports/<id>` request may be served (by id only: protocol/experiments/report-url.ts).
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../protocol/experiments/report.ts';
import { isReportId, reportRequest } from '../../protocol/experiments/report-url.ts';
import { writeReportFiles } from './experiment-report-file.ts';
import { resolveInside } from './static-paths.ts';

/**
 * A report's own page: its inline script and styles (it is one self-contained file), nothing from the
 * network, no frames, no forms. The report carries its own CSP meta as well; a page gets the stricter of both.
 */
export const REPORT_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; " +
  "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The Chromium shell's reports: a folder under the OS's temp folder, kept across runs until the OS clears it. */
export function chromiumReportsDir(): string {
  return path.join(tmpdir(), 'browser-process-lab', 'experiments');
}

/** Writes report `report` into `dir` (made if missing); refuses an id that cannot name a file. */
export async function saveReport(report: Report, dir: string): Promise<{ file: string; json: string }> {
  if (!isReportId(report.id)) throw new Error(`The report's id "${report.id}" cannot name a file`);
  await mkdir(dir, { recursive: true });
  const { json, html } = await writeReportFiles(report, dir);
  return { file: html, json };
}

/**
 * The file a request path names in the reports folder, with its content type; undefined for any path
 * that is not `/reports/<id>` or `/reports/<id>.json` (the caller answers 404, never looks elsewhere).
 */
export function reportFile(reportsDir: string, pathname: string): { file: string; type: string } | undefined {
  const wanted = reportRequest(pathname);
  if (!wanted) return undefined;
  const file = resolveInside(reportsDir, `/${wanted.id}.${wanted.format}`);
  if (!file) return undefined;
  return { file, type: wanted.format === 'json' ? 'application/json' : 'text/html; charset=utf-8' };
}
