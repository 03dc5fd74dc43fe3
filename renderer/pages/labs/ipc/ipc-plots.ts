/**
 * The IPC lab's charts, drawn with Observable Plot in the style of the experiment report's
 * (renderer/experiment-report/plots.ts: grid, 640-ish wide, the muted grey for "not ours"). Plot needs
 * no eval; it adds a <style> per chart, which the pages' CSP allows (style-src 'unsafe-inline').
 * Texts come in translated (`ChartTexts`); every function returns an element to insert.
 */
import * as Plot from '@observablehq/plot';
import type { IpcKind } from '../../../../protocol/labs/ipc-result.ts';
import {
  formatBytes,
  formatUs,
  LATENCY_STATS,
  type LatencyRow,
  type LatencyStat,
  type ReferenceRows,
  type ThroughputRow,
} from './ipc-view-model.ts';

export interface ChartOptions {
  readonly width: number;
  /** Every channel id in colour order (the same colour in every chart). */
  readonly channels: readonly string[];
  /** A channel's name in the legend (a stand-in says so). */
  readonly channelLabel: (id: string) => string;
  readonly document?: Document;
}

/** The grey the report gives what is not ours (its control arm). */
const OTHER = '#8a8f98';
const FLOOR = '#c2362b';
/** Ten colours told apart at a glance (Plot's observable10): a run has up to ten channels. */
const PALETTE = [
  '#4269d0',
  '#efb118',
  '#ff725c',
  '#6cc5b0',
  '#3ca951',
  '#ff8ab7',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#9498a0',
];

function colour(options: ChartOptions) {
  return {
    type: 'categorical',
    domain: [...options.channels],
    range: PALETTE,
    legend: true,
    tickFormat: options.channelLabel,
  } as const;
}

/**
 * Sizes are powers of two: a base-2 log scale, so d3's log tick format labels each of them (in base
 * 10 it blanks every label that is not near a power of ten: 64 B and 64 KiB).
 */
const sizeAxis = (label: string) =>
  ({ type: 'log', base: 2, label, tickFormat: formatBytes, ticks: [64, 1024, 65536, 1048576], grid: true }) as const;

/** A microsecond axis' labels: 0.3, 2, 20, 200, 2k, 20k (not SI's 300m, which reads as milli-µs). */
export function formatAxisUs(us: number): string {
  if (us >= 1000) return `${+(us / 1000).toPrecision(3)}k`;
  return String(+us.toPrecision(3));
}

export interface LatencyTexts {
  readonly size: string;
  readonly y: string;
  readonly stat: (stat: LatencyStat) => string;
  /** The kernel floor's label, when measured. */
  readonly floor?: { readonly us: number; readonly label: string };
}

/** Round trips per channel across sizes: a panel per percentile, both axes logarithmic, the kernel floor dashed. */
export function latencyPlot(rows: readonly LatencyRow[], texts: LatencyTexts, options: ChartOptions) {
  const floor = texts.floor;
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 320,
    marginLeft: 56,
    marginRight: 16,
    color: colour(options),
    fx: { domain: [...LATENCY_STATS], tickFormat: texts.stat, label: null, padding: 0.14 },
    x: sizeAxis(texts.size),
    y: { type: 'log', label: texts.y, grid: true, tickFormat: formatAxisUs },
    marks: [
      Plot.frame({ stroke: '#e3e6ec' }),
      ...(floor
        ? [
            Plot.ruleY([floor.us], { stroke: FLOOR, strokeDasharray: '4 3', strokeWidth: 1.5 }),
            Plot.text([floor], {
              // In the p99.9 panel, where no figure comes down to the floor to hide it.
              fx: () => 'p999',
              x: 64,
              y: 'us',
              text: 'label',
              dy: -7,
              textAnchor: 'start',
              fill: FLOOR,
              fontSize: 10,
            }),
          ]
        : []),
      Plot.line(rows, { fx: 'stat', x: 'bytes', y: 'us', stroke: 'channel', strokeWidth: 1.5 }),
      Plot.dot(rows, {
        fx: 'stat',
        x: 'bytes',
        y: 'us',
        fill: 'channel',
        r: 2.5,
        tip: true,
        title: (row: LatencyRow) =>
          `${options.channelLabel(row.channel)} · ${formatBytes(row.bytes)} · ${texts.stat(row.stat)} ${formatUs(row.us)} µs`,
      }),
    ],
  });
}

export interface ThroughputTexts {
  readonly size: string;
  readonly y: string;
}

/** Throughput per channel across sizes, both axes logarithmic. */
export function throughputPlot(rows: readonly ThroughputRow[], texts: ThroughputTexts, options: ChartOptions) {
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 300,
    marginLeft: 56,
    color: colour(options),
    x: sizeAxis(texts.size),
    y: { type: 'log', label: texts.y, grid: true },
    marks: [
      Plot.line(rows, { x: 'bytes', y: 'mibPerSecond', stroke: 'channel', strokeWidth: 1.5 }),
      Plot.dot(rows, {
        x: 'bytes',
        y: 'mibPerSecond',
        fill: 'channel',
        r: 3,
        tip: true,
        title: (row: ThroughputRow) =>
          `${options.channelLabel(row.channel)} · ${formatBytes(row.bytes)} · ${row.mibPerSecond.toFixed(1)} MiB/s`,
      }),
    ],
  });
}

export interface ReferenceTexts {
  readonly x: string;
  readonly kind: (kind: IpcKind) => string;
  readonly floor?: { readonly us: number; readonly label: string };
}

/**
 * A row per kind: our channels' small-message round trips as coloured dots, the published figure
 * (another machine) as a grey bar, the kernel floor as a dashed rule; x logarithmic.
 */
export function referencePlot(rows: ReferenceRows, texts: ReferenceTexts, options: ChartOptions) {
  const floor = texts.floor;
  const published = rows.published;
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 44 + rows.kinds.length * 34,
    marginLeft: 150,
    marginRight: 24,
    color: colour(options),
    x: { type: 'log', label: texts.x, grid: true, tickFormat: formatAxisUs },
    y: { domain: [...rows.kinds], tickFormat: texts.kind, label: null },
    marks: [
      ...(floor
        ? [
            Plot.ruleX([floor.us], { stroke: FLOOR, strokeDasharray: '4 3', strokeWidth: 1.5 }),
            Plot.text([floor], {
              x: 'us',
              frameAnchor: 'top',
              text: 'label',
              dy: 2,
              dx: 4,
              textAnchor: 'start',
              fill: FLOOR,
              fontSize: 10,
            }),
          ]
        : []),
      Plot.tickX(published, { x: 'us', y: 'kind', stroke: OTHER, strokeWidth: 4, strokeOpacity: 0.7 }),
      Plot.dot(rows.ours, {
        x: 'us',
        y: 'kind',
        fill: 'channel',
        r: 5,
        stroke: 'white',
        tip: true,
        title: (row: ReferenceRows['ours'][number]) => `${options.channelLabel(row.channel)}: ${formatUs(row.us)} µs`,
      }),
    ],
  });
}
