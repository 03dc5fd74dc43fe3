/**
 * The HTML report's page: every part of a checked report, as DOM. Plots come from plots.ts; what the
 * tables say from report-data.ts. Sections carry `data-section` (tests count each one's plots).
 */
import type { Report, SteadyState } from '../../protocol/experiments/report.ts';
import { ecdfPlot, histogramPlot, timelinePlot } from './plots.ts';
import { blastRows, drawnLatencies, formatEstimate, formatMs, timelineRows } from './report-data.ts';

type Child = Node | string | number | null | undefined | false;

/** A DOM element with text or children; attributes as strings. */
function h(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

function table(head: readonly string[], rows: readonly Child[][]): HTMLElement {
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, ...head.map((cell) => h('th', {}, cell)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
  );
}

function section(name: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { 'data-section': name }, h('h2', {}, title), ...children);
}

const when = (epochMs: number) =>
  new Date(epochMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
const yesNo = (ok: boolean) => h('span', { class: ok ? 'ok' : 'bad' }, ok ? 'ok' : 'failed');

function steadyStateTable(state: SteadyState | undefined): HTMLElement {
  if (!state) return h('p', { class: 'muted' }, 'Not checked (the run ended before it could be).');
  return h(
    'div',
    {},
    h('p', { class: 'muted' }, `at ${when(state.at)}`),
    table(
      ['check', 'value', 'tolerance', 'result'],
      state.checks.map((check) => [
        check.name,
        `${check.value} ${check.unit}`,
        `${check.tolerance} ${check.unit}`,
        yesNo(check.ok),
      ]),
    ),
  );
}

/** Draws the whole report into `root` (emptied first). */
export function renderReport(root: HTMLElement, report: Report): void {
  const env = report.environment;
  const width = Math.max(360, Math.min(760, root.clientWidth || 760));
  root.replaceChildren();
  root.append(
    h(
      'header',
      {},
      h('h1', {}, `Experiment: ${report.scenario}`),
      h('p', { class: 'muted' }, `${report.id} · ${when(report.startedAt)} – ${when(report.endedAt)}`),
      report.interrupted &&
        h(
          'p',
          { class: 'banner', 'data-interrupted': '' },
          'Interrupted: stopped before every trial ran. What was measured is shown.',
        ),
    ),
    section(
      'verdict',
      'Hypothesis and verdict',
      h('p', { class: 'hypothesis' }, report.hypothesis),
      h(
        'p',
        { class: report.verdict.holds ? 'verdict ok' : 'verdict bad' },
        report.verdict.holds ? 'The hypothesis held.' : 'The hypothesis did not hold.',
      ),
      report.verdict.reasons.length > 0 && h('ul', {}, ...report.verdict.reasons.map((reason) => h('li', {}, reason))),
    ),
    section(
      'environment',
      'Environment',
      table(
        ['', ''],
        [
          ['shell', `${env.shell} · ${env.browserVersion}`],
          ['process model', env.processModel],
          ['sandbox', env.sandbox.enabled ? 'on' : `off (${env.sandbox.reason ?? 'no reason given'})`],
          ['machine', `${env.cpuModel} × ${env.cores} · ${env.platform} ${env.arch} · kernel ${env.kernel}`],
          ['Node', env.node],
          ['load average', env.loadAverage ? env.loadAverage.map((load) => load.toFixed(2)).join(' ') : '–'],
          ['seed', String(report.seed)],
          [
            'trials',
            `${report.options.trials} on ${report.options.tabs} tabs` +
              (report.options.faults !== undefined ? ` · ${report.options.faults} faults` : '') +
              (report.options.control ? ' · with a control arm' : ' · no control arm'),
          ],
          ['clock', report.clockNote],
        ],
      ),
    ),
    section(
      'steady-state',
      'Steady state',
      h('h3', {}, 'Before'),
      steadyStateTable(report.steadyState.before),
      h('h3', {}, 'After'),
      steadyStateTable(report.steadyState.after),
    ),
    section(
      'summaries',
      'Latencies: p50, p90, p99 (95% bootstrap interval)',
      table(
        ['latency', 'arm', 'n', 'p50', 'p90', 'p99'],
        report.summaries.map((summary) => [
          summary.name,
          summary.arm,
          summary.n,
          formatEstimate(summary.p50),
          formatEstimate(summary.p90),
          formatEstimate(summary.p99),
        ]),
      ),
      h(
        'p',
        { class: 'muted' },
        'Percentiles by linear interpolation; intervals: percentile bootstrap, 2000 resamples.',
      ),
    ),
    ...drawnLatencies(report).map(({ latency, points }) =>
      section(
        `latency-${latency.name}`,
        latency.name,
        h('p', { class: 'muted' }, `${latency.description} (${latency.from} → ${latency.to})`),
        h(
          'div',
          { class: 'plots' },
          h('figure', {}, ecdfPlot(points, { width: width / 2 - 8 }), h('figcaption', {}, 'ECDF')),
          h('figure', {}, histogramPlot(points, { width: width / 2 - 8 }), h('figcaption', {}, 'Histogram')),
        ),
      ),
    ),
    timelineSection(report, width),
    blastSection(report),
    ...(report.soak ? [soakSection(report.soak)] : []),
    trialsSection(report),
  );
}

function timelineSection(report: Report, width: number): HTMLElement {
  const { shown, total } = timelineRows(report.trials);
  return section(
    'timeline',
    'Timeline of each trial',
    h(
      'p',
      { class: 'muted' },
      'A lane per trial: ms since it started; grey lanes are the control arm, red ones failed.',
    ),
    total > 0 ? timelinePlot(report.trials, { width }) : h('p', {}, 'No trials.'),
    shown < total && h('p', { class: 'muted' }, `The first ${shown} of ${total} trials are drawn; the JSON holds all.`),
  );
}

function blastSection(report: Report): HTMLElement {
  const rows = blastRows(report.trials);
  const deaths = rows.flatMap((row) => row.unexpectedDeaths.map((death) => ({ ...death, arm: row.arm })));
  return section(
    'blast-radius',
    'Blast radius',
    table(
      ['arm', 'trials', 'trials where other tabs missed ticks', 'ticks missed', 'unexpected process deaths'],
      rows.map((row) => [row.arm, row.trials, row.trialsWithMissedTicks, row.ticksMissed, row.unexpectedDeaths.length]),
    ),
    deaths.length > 0 &&
      table(
        ['trial', 'arm', 'process', 'kind', 'reason'],
        deaths.slice(0, 200).map((death) => [death.trial, death.arm, death.id, death.kind, death.reason]),
      ),
  );
}

function soakSection(soak: NonNullable<Report['soak']>): HTMLElement {
  return section(
    'soak',
    'Chaos soak',
    table(
      ['', '', ''],
      [
        ['faults', soak.faults, ''],
        ['detected and named right', soak.detectedAndNamed, yesNo(soak.detectedAndNamed === soak.faults)],
        ['tabs recovered on reload', soak.recovered, ''],
        ['tabs lost', soak.tabsLost, yesNo(soak.tabsLost === 0)],
        [
          'orphan processes',
          soak.orphanPids.length ? soak.orphanPids.join(', ') : 'none',
          yesNo(soak.orphanPids.length === 0),
        ],
        ['browser process alive', soak.browserAlive ? 'yes' : 'no', yesNo(soak.browserAlive)],
        ['heap after GC, end / start', soak.heapGrowth.toFixed(3), yesNo(soak.heapGrowth < 1.05)],
      ],
    ),
  );
}

/** At most this many trials are listed in the table (the timeline and JSON have them all). */
const MAX_TRIAL_ROWS = 500;

function trialsSection(report: Report): HTMLElement {
  const rows = report.trials
    .slice(0, MAX_TRIAL_ROWS)
    .map((trial) => [
      trial.index,
      trial.arm,
      trial.scenario,
      trial.exit ? `${trial.exit.reason}${trial.exit.code ? ` (${trial.exit.code})` : ''}` : '–',
      trial.marks.ended !== undefined ? formatMs(trial.marks.ended) : '–',
      yesNo(trial.ok),
      trial.notes.join('; '),
    ]);
  return section(
    'trials',
    'Trials',
    table(['#', 'arm', 'scenario', 'exit', 'ended at', 'result', 'notes'], rows),
    report.trials.length > MAX_TRIAL_ROWS &&
      h('p', { class: 'muted' }, `The first ${MAX_TRIAL_ROWS} of ${report.trials.length} trials are listed.`),
  );
}

/** Shown instead of a report that failed checkReport: what is wrong, line by line. */
export function renderErrors(root: HTMLElement, errors: readonly string[]): void {
  root.replaceChildren(
    h(
      'section',
      { 'data-section': 'errors', class: 'errors' },
      h('h1', {}, 'This file is not a report this viewer can show'),
      h('ul', {}, ...errors.map((error) => h('li', {}, error))),
    ),
  );
}
