// The self-contained HTML report's one script (bundled by vite.report.config.ts, inlined by
// main/node/experiment-report-file.ts and lab-host/ipc/report-file.ts): reads the data embedded in
// the page, an experiment report or an IPC lab result, checks it, draws it. The report's CSP has no
// 'unsafe-eval': TypeBox checks by its interpreter (eval-free.ts first).
import '../../protocol/rpc/eval-free.ts';
import type { Report } from '../../protocol/experiments/report.ts';
import type { IpcLabResult } from '../../protocol/labs/ipc-result.ts';
import { REPORT_DATA_ID, REPORT_ROOT_ID } from '../../protocol/experiments/report-page.ts';
import { checkReport } from '../../protocol/experiments/stats.ts';
import reportCss from './report.css?inline';
import { checkIpcLabResult, isIpcLabData, renderIpcLabReport } from './ipc-lab-report.ts';
import { renderErrors, renderReport } from './report-view.ts';

type Embedded = { ok: true; report: Report } | { ok: true; ipcLab: IpcLabResult } | { ok: false; errors: string[] };

function embeddedReport(): Embedded {
  const text = document.getElementById(REPORT_DATA_ID)?.textContent;
  if (!text) return { ok: false, errors: [`no report embedded in this page (#${REPORT_DATA_ID})`] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`the embedded report is not JSON: ${String(error)}`] };
  }
  if (isIpcLabData(value)) {
    const checked = checkIpcLabResult(value);
    return checked.ok ? { ok: true, ipcLab: checked.result } : checked;
  }
  return checkReport(value);
}

const style = document.createElement('style');
style.textContent = reportCss;
document.head.append(style);

const root = document.getElementById(REPORT_ROOT_ID) ?? document.body;
const loaded = embeddedReport();
if (!loaded.ok) renderErrors(root, loaded.errors);
else if ('ipcLab' in loaded) void renderIpcLabReport(root, loaded.ipcLab);
else renderReport(root, loaded.report);
