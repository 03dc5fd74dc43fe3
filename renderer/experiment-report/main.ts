// The self-contained HTML report's one script (bundled by vite.report.config.ts, inlined by
// main/node/experiment-report-file.ts): reads the report embedded in the page, checks it, draws it.
import type { Report } from '../../protocol/experiments/report.ts';
import { REPORT_DATA_ID, REPORT_ROOT_ID } from '../../protocol/experiments/report-page.ts';
import { checkReport } from '../../protocol/experiments/stats.ts';
import reportCss from './report.css?inline';
import { renderErrors, renderReport } from './report-view.ts';

function embeddedReport(): { ok: true; report: Report } | { ok: false; errors: string[] } {
  const text = document.getElementById(REPORT_DATA_ID)?.textContent;
  if (!text) return { ok: false, errors: [`no report embedded in this page (#${REPORT_DATA_ID})`] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`the embedded report is not JSON: ${String(error)}`] };
  }
  return checkReport(value);
}

const style = document.createElement('style');
style.textContent = reportCss;
document.head.append(style);

const root = document.getElementById(REPORT_ROOT_ID) ?? document.body;
const loaded = embeddedReport();
if (loaded.ok) renderReport(root, loaded.report);
else renderErrors(root, loaded.errors);
