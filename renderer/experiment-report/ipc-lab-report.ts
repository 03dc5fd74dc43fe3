/**
 * The IPC lab's result (`lab-ipc/1`) as a report page: the lab page's own sections and charts
 * (renderer/pages/labs/ipc: `showIpcLabResult`, ipc-plots.ts), in the language the page exported it
 * in (`<html lang>`), with the stylesheets the lab page has. No run controls: nothing to connect to.
 */
import { IPC_LAB_SCHEMA, IpcLabResult } from '../../protocol/labs/ipc-result.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import labsCss from '../pages/labs/labs.css?inline';
import { createLabI18n } from '../pages/labs/i18n/lab-i18n.ts';
import { LANGUAGES, type Language } from '../pages/labs/i18n/resources.ts';
import ipcCss from '../pages/labs/ipc/ipc-lab.css?inline';
import { showIpcLabResult } from '../pages/labs/ipc/ipc-view.ts';
import pageCss from '../pages/shared/page.css?inline';

/** True when `value` says it is an IPC lab result (checked in full by `checkIpcLabResult`). */
export function isIpcLabData(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { schema?: unknown }).schema === IPC_LAB_SCHEMA;
}

export function checkIpcLabResult(
  value: unknown,
): { ok: true; result: IpcLabResult } | { ok: false; errors: string[] } {
  const checker = compileChecker(IpcLabResult);
  return checker.check(value)
    ? { ok: true, result: value as IpcLabResult }
    : { ok: false, errors: [`not a valid ${IPC_LAB_SCHEMA} result: ${checker.explain(value)}`] };
}

/** The report's language: the page's `lang` when the labs speak it, else English. */
function reportLanguage(tag: string): Language {
  const primary = tag.toLowerCase().split('-')[0];
  return (LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as Language) : 'en';
}

export function renderIpcLabReport(root: HTMLElement, result: IpcLabResult): Promise<void> {
  const style = document.createElement('style');
  style.textContent = [pageCss, labsCss, ipcCss].join('\n');
  document.head.append(style);
  const i18n = createLabI18n(reportLanguage(document.documentElement.lang), 'ipc');
  const t = i18n.getFixedT(null, 'ipc');
  const sections = document.createElement('div');
  sections.id = 'ipc-lab';
  const heading = document.createElement('h1');
  heading.textContent = t('report.heading');
  const lede = document.createElement('p');
  lede.className = 'lede';
  lede.textContent = `${t('lede')} ${t('report.ran', {
    startedAt: new Date(result.startedAt).toLocaleString(i18n.language),
    finishedAt: new Date(result.finishedAt).toLocaleString(i18n.language),
    schema: result.schema,
  })}`;
  const header = document.createElement('header');
  header.append(heading, lede);
  root.replaceChildren(header, sections);
  root.dataset.report = 'ipc-lab';
  return showIpcLabResult(sections, result, i18n).rendered.then(() => {
    root.dataset.rendered = 'true';
  });
}
