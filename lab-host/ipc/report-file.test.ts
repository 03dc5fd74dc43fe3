// The IPC lab's HTML report file: the result embedded so the viewer reads back the same value, the
// viewer inlined with a CSP that names its hash, the file written beside the JSON, and a clear error
// with nothing half-written when the viewer is not built. (Opened in Chromium: the IPC case of
// main/node/experiment-report-file.test.ts, and e2e/lab-host.spec.ts through the page's export.)
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_DATA_ID } from '../../protocol/experiments/report-page.ts';
import { IpcLabResult } from '../../protocol/labs/ipc-result.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import {
  ipcReportHtml,
  readReportViewer,
  REPORT_VIEWER_ENV,
  reportViewerCandidates,
  ReportViewerMissingError,
  writeIpcReportHtml,
} from './report-file.ts';

// A real quick run (the page's fixture), read as data.
const recorded = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../renderer/pages/labs/ipc/testing/quick-result.json'), 'utf8'),
) as IpcLabResult;
// Has what a minified viewer may hold: the characters the page must not let end its element.
const VIEWER = 'document.title="</script><!-- x";console.log(1)';

let temp: string | undefined;
afterEach(() => temp && rmSync(temp, { recursive: true, force: true }));

describe('ipcReportHtml', () => {
  it('embeds the result so it reads back equal, and allows only the inlined viewer by its hash', () => {
    expect(compileChecker(IpcLabResult).check(recorded)).toBe(true);
    const html = ipcReportHtml(recorded, VIEWER, 'ko');
    expect(html).toContain('<html lang="ko">');
    const data = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">(.*?)</script>`, 's').exec(html);
    expect(JSON.parse(data![1]!)).toEqual(recorded);
    const script = /<script>(.*)<\/script>\n<\/body>/s.exec(html)![1]!;
    expect(script).not.toMatch(/<\/script|<!--/i);
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
  });

  it('is written beside the JSON, same name', async () => {
    temp = mkdtempSync(path.join(os.tmpdir(), 'ipc-report-'));
    const viewer = path.join(temp, 'viewer.js');
    writeFileSync(viewer, VIEWER);
    const json = path.join(temp, 'ipc-run.json');
    const previous = process.env[REPORT_VIEWER_ENV];
    process.env[REPORT_VIEWER_ENV] = viewer;
    try {
      const html = await writeIpcReportHtml(recorded, json);
      expect(html).toBe(path.join(temp, 'ipc-run.html'));
      expect(readFileSync(html, 'utf8')).toContain(recorded.startedAt);
      expect(readdirSync(temp).sort()).toEqual(['ipc-run.html', 'viewer.js']);
    } finally {
      if (previous === undefined) delete process.env[REPORT_VIEWER_ENV];
      else process.env[REPORT_VIEWER_ENV] = previous;
    }
  });

  it('says to build when the viewer is missing', async () => {
    temp = mkdtempSync(path.join(os.tmpdir(), 'ipc-report-'));
    const nowhere = reportViewerCandidates(path.join(temp, 'a', 'b'), {});
    expect(nowhere.every((file) => !existsSync(file))).toBe(true);
    await expect(readReportViewer(nowhere)).rejects.toThrow(ReportViewerMissingError);
    await expect(readReportViewer(nowhere)).rejects.toThrow(/npm run build/);
  });

  it('looks where the shell says first, then beside a bundled lab host, then from the sources', () => {
    const here = '/app/lab-host/ipc';
    expect(reportViewerCandidates(here, { [REPORT_VIEWER_ENV]: '/x/viewer.js' })).toEqual([
      '/x/viewer.js',
      '/app/lab-host/dist/experiment-report/experiment-report.js',
      '/app/dist/experiment-report/experiment-report.js',
    ]);
  });
});
