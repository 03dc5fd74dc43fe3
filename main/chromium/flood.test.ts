// A tab posting as fast as it can, once the browser listens to it, on the real Chromium and core
// (testing/flood-run.ts): it is ended as a bad message for going over its per-tab message budget
// (FLOOD, TAB_MESSAGE_BUDGET), the other tabs stay live, and the UI's (the core's answer, and a round
// trip to its page over CDP) and the other tabs' p50 and p90 latency during the flood stay within a
// small factor of the quiet phases around it (the worse of before and after, as the machine's other
// load comes and goes). What a flood still costs is one stall while Chromium forwards what the
// flooder queued before it was caught (50-600 ms measured, 1.5 s once with the machine loaded ~9x
// over its 2 cores): the flood phase is long enough that the stall stays under a tenth of it, so p90
// holds. Without the budget the flooder is never ended and the ratios reach the hundreds (measured).
import { expect, it } from 'vitest';
import { BadMessageReason } from '../../protocol/rpc/bad-message.ts';
import { quantile, ratios, runFlood } from './testing/flood-run.ts';

const QUIET_MS = 5000;
const FLOOD_MS = 15_000;
const FACTOR = 5;

it('a flooding tab is ended and starves neither the UI nor the other tabs', { timeout: 120_000 }, async () => {
  const result = await runFlood({ quietMs: QUIET_MS, floodMs: FLOOD_MS });
  const r = ratios(result);
  const ms = (values: number[], q: number) => quantile(values, q).toFixed(1);
  console.log(
    `[flood] ended after ${result.floodLastedMs?.toFixed(0)} ms; flood/quiet: ` +
      `UI answer p50 ${r.uiP50.toFixed(2)}, p90 ${r.uiP90.toFixed(2)}; UI page p50 ${r.uiPageP50.toFixed(2)}, p90 ${r.uiPageP90.toFixed(2)}; ` +
      `other tabs p50 ${r.probeP50.toFixed(2)}, p90 ${r.probeP90.toFixed(2)} ` +
      `(p90 ${ms(result.probes.quiet, 0.9)} -> ${ms(result.probes.flood, 0.9)} ms, max ${ms(result.probes.flood, 1)} ms)`,
  );
  expect(result.floodTab?.crash).toMatchObject({ reason: 'bad-message' });
  expect(result.floodReports).toMatchObject([{ type: 'bad-message', code: BadMessageReason.FLOOD }]);
  expect(result.probeTabs.map((tab) => tab?.state)).toEqual(['live', 'live', 'live']);
  expect(result.probes.flood.length).toBeGreaterThan(100);
  for (const [measure, value] of Object.entries(r)) expect(value, `${measure} flood/quiet`).toBeLessThan(FACTOR);
});
