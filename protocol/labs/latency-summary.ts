/**
 * A latency sample's summary, with the experiments' quantile definition (linear between closest
 * ranks): the lab host's channels and the page's own GPU channel are summed up alike.
 */
import { quantile } from '../experiments/stats.ts';
import type { LatencySummary } from './ipc-result.ts';

export type { LatencySummary };

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return {
    samples: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    mean,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}
