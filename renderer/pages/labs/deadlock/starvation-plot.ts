/**
 * The wait-time histogram, aging off beside aging on (Observable Plot, as the IPC lab's charts).
 * Counts on a square-root scale: nearly every high-priority request waits 0 ticks, and the low ones
 * that starve are a few hundred among twenty thousand.
 */
import * as Plot from '@observablehq/plot';
import type { HistogramBar } from './deadlock-view-model.ts';

export interface HistogramTexts {
  readonly x: string;
  readonly y: string;
  readonly aging: (aging: 'off' | 'on') => string;
  readonly label: string;
}

export function waitHistogram(bars: readonly HistogramBar[], texts: HistogramTexts, width: number): Element {
  const buckets = [...new Map(bars.map((bar) => [bar.order, bar.bucket])).entries()]
    .sort(([a], [b]) => a - b)
    .map(([, bucket]) => bucket);
  const chart = Plot.plot({
    width,
    height: 260,
    marginLeft: 56,
    marginBottom: 48,
    x: { domain: buckets, label: texts.x, tickRotate: -30 },
    y: { type: 'sqrt', label: texts.y, grid: true },
    fx: { label: null, tickFormat: (aging: 'off' | 'on') => texts.aging(aging) },
    color: {
      type: 'categorical',
      domain: ['off', 'on'],
      range: ['#c5221f', '#188038'],
      legend: true,
      tickFormat: (aging: 'off' | 'on') => texts.aging(aging),
    },
    marks: [Plot.barY(bars, { x: 'bucket', y: 'count', fill: 'aging', fx: 'aging', tip: true }), Plot.ruleY([0])],
  });
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', texts.label);
  return chart;
}
