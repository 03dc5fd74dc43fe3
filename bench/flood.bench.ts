/**
 * `npm run bench:flood`: a tab posting as fast as it can must not starve the UI or the other tabs
 * (main/chromium/testing/flood-run.ts: a quiet phase, one tab flooding, a quiet phase after). Ratio
 * targets, flood against the worse quiet phase, p50 and p90 each < 5: the UI's answer (getState),
 * a round trip to the UI page over CDP, the other tabs' heartbeat queueing (1 ms added to both
 * sides, so a sub-ms quiet figure does not make a ratio of noise). Writes bench/results/flood.md.
 * FLOOD_PHASE_MS sets each phase (8 s).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TAB_MESSAGE_BUDGET } from '../protocol/interfaces/browser-tab.ts';
import { PROBES, quantile, ratio, runFlood, type Phases } from '../main/chromium/testing/flood-run.ts';

const PHASE_MS = Number(process.env.FLOOD_PHASE_MS ?? 8000);
const TARGET = 5;

if (import.meta.url === `file://${process.argv[1]}`) {
  const load = os.loadavg()[0]!.toFixed(1);
  const result = await runFlood({ quietMs: PHASE_MS, floodMs: PHASE_MS });
  const ms = (values: number[], q: number) => quantile(values, q).toFixed(2);
  const row = (name: string, measure: Phases) => {
    const [p50, p90] = [ratio(measure, 0.5), ratio(measure, 0.9)];
    const met = p50 < TARGET && p90 < TARGET ? 'met' : 'NOT met';
    return `| ${name} | ${ms(measure.quiet, 0.5)} / ${ms(measure.quiet, 0.9)} | ${ms(measure.flood, 0.5)} / ${ms(measure.flood, 0.9)} / ${ms(measure.flood, 1)} | ${ms(measure.after, 0.5)} / ${ms(measure.after, 0.9)} | ${p50.toFixed(2)} | ${p90.toFixed(2)} | ${met} |`;
  };
  const reports = result.floodReports.map((event) => (event.type === 'bad-message' ? event.code : event.type));
  const lines = [
    '# Flood: one tab posting as fast as it can (`npm run bench:flood`)',
    '',
    `Machine: ${os.cpus().length} cores, load average ${load} at the start, ${new Date().toISOString()}; each phase ${PHASE_MS} ms; ${PROBES} probe tabs; the tab message budget ${TAB_MESSAGE_BUDGET.burst} at once, ${TAB_MESSAGE_BUDGET.perSecond}/s.`,
    `The flooding tab: reported as ${reports.join(', ') || 'nothing'}; from its release to its renderer gone ${result.floodLastedMs?.toFixed(0) ?? 'never'} ms; at the end ${result.floodTab?.state ?? 'closed'}${result.floodTab?.crash ? ` (${result.floodTab.crash.reason})` : ''}; the probe tabs: ${result.probeTabs.map((tab) => tab?.state).join(', ')}.`,
    '',
    `| measure (ms) | quiet before p50 / p90 | flood p50 / p90 / max | quiet after p50 / p90 | p50 ratio | p90 ratio | both < ${TARGET} |`,
    '|---|---|---|---|---|---|---|',
    row('UI: the core answers getState', result.ui),
    row('UI page: CDP round trip', result.uiPage),
    row("other tabs' heartbeat queueing", result.probes),
    '',
    'Ratios: flood over the worse quiet phase, 1 ms added to both sides. Heartbeat queueing: arrival minus the page clock, less the quickest arrival of that tab in the quiet run.',
  ];
  console.log(lines.join('\n'));
  writeFileSync(path.join(import.meta.dirname, 'results/flood.md'), lines.join('\n') + '\n');
}
