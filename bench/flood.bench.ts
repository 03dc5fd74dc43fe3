/**
 * `npm run bench:flood`: a tab posting as fast as it can must not starve the UI or the other tabs
 * (main/chromium/testing/flood-run.ts: a quiet phase, then one tab flooding). Ratio targets, flood
 * against quiet: UI getState p50 < 5, the other tabs' heartbeat queueing p50 < 5 and p90 < 5 (1 ms
 * added to both sides, so a sub-ms quiet figure does not make a ratio of noise). Writes
 * bench/results/flood.md. FLOOD_PHASE_MS sets each phase (8 s).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROBES, quantile, ratios, runFlood } from '../main/chromium/testing/flood-run.ts';

const PHASE_MS = Number(process.env.FLOOD_PHASE_MS ?? 8000);
const TARGETS = { uiP50: 5, probeP50: 5, probeP90: 5 } as const;

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runFlood(PHASE_MS);
  const r = ratios(result);
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  const ms = (values: number[], q: number) => quantile(values, q).toFixed(2);
  const lines = [
    '# Flood: one tab posting as fast as it can (`npm run bench:flood`)',
    '',
    `Machine: ${process.env.HOSTNAME ?? 'this one'}, ${new Date().toISOString()}; each phase ${PHASE_MS} ms; ${PROBES} probe tabs.`,
    `The flooding tab's heartbeats that reached the core: ${result.floodMessages} (${Math.round(result.floodMessages / (PHASE_MS / 1000))}/s); at the end: ${result.floodTab?.state ?? 'closed'}${result.floodTab?.crash ? ` (${result.floodTab.crash.reason})` : ''}; the probe tabs: ${result.probeTabs.map((tab) => tab?.state).join(', ')}.`,
    '',
    '| measure | quiet p50 | quiet p90 | flood p50 | flood p90 | ratios (target) |',
    '|---|---|---|---|---|---|',
    `| UI getState answer (ms) | ${ms(result.ui.quiet, 0.5)} | ${ms(result.ui.quiet, 0.9)} | ${ms(result.ui.flood, 0.5)} | ${ms(result.ui.flood, 0.9)} | p50 ${r.uiP50.toFixed(2)} (< ${TARGETS.uiP50}) ${mark(r.uiP50 < TARGETS.uiP50)} |`,
    `| other tabs' heartbeat queueing (ms) | ${ms(result.probes.quiet, 0.5)} | ${ms(result.probes.quiet, 0.9)} | ${ms(result.probes.flood, 0.5)} | ${ms(result.probes.flood, 0.9)} | p50 ${r.probeP50.toFixed(2)} (< ${TARGETS.probeP50}) ${mark(r.probeP50 < TARGETS.probeP50)}, p90 ${r.probeP90.toFixed(2)} (< ${TARGETS.probeP90}) ${mark(r.probeP90 < TARGETS.probeP90)} |`,
    '',
    'Ratios add 1 ms to both sides. Heartbeat queueing: arrival minus the page clock, less the quickest arrival of that tab in the quiet run.',
  ];
  console.log(lines.join('\n'));
  writeFileSync(path.join(import.meta.dirname, 'results/flood.md'), lines.join('\n') + '\n');
}
