// The Experiments view's live plot, in one module so the chart library is switched in one place.
// INTEGRATION (plots): `renderer/experiment-report/plots.ts` (the report helper's, chosen by measurement)
// replaces `drawLatencyPlot`'s body; the view only calls `drawLatencyPlot(element, plot)`. Until then a
// minimal SVG: each trial's latency as a dot, by trial, experiment arm and control arm apart.
import type { PlotPoint } from './experiments.ts';

export interface LatencyPlot {
  /** The latency plotted, e.g. "crash-to-sad-tab". */
  readonly name: string;
  readonly points: readonly PlotPoint[];
}

export interface PlotGeometry {
  readonly width: number;
  readonly height: number;
  /** The y axis' top value, rounded up to a readable number of milliseconds. */
  readonly maxMs: number;
  readonly dots: readonly { readonly x: number; readonly y: number; readonly point: PlotPoint }[];
}

const MARGIN = { left: 44, right: 8, top: 8, bottom: 18 };

/** A readable top for the axis: 1, 2 or 5 times a power of ten, at least `ms`. */
export function niceCeiling(ms: number): number {
  if (!(ms > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(ms));
  for (const step of [1, 2, 5, 10]) if (step * power >= ms) return step * power;
  return 10 * power;
}

/** Where each point goes: x by its order of landing, y by its latency (0 at the bottom). */
export function plotGeometry(points: readonly PlotPoint[], width: number, height: number): PlotGeometry {
  const maxMs = niceCeiling(Math.max(0, ...points.map((point) => point.ms)));
  const innerWidth = Math.max(1, width - MARGIN.left - MARGIN.right);
  const innerHeight = Math.max(1, height - MARGIN.top - MARGIN.bottom);
  const step = points.length > 1 ? innerWidth / (points.length - 1) : 0;
  const dots = points.map((point, i) => ({
    x: MARGIN.left + (points.length > 1 ? i * step : innerWidth / 2),
    y: MARGIN.top + innerHeight * (1 - Math.max(0, point.ms) / maxMs),
    point,
  }));
  return { width, height, maxMs, dots };
}

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Draws `plot` into `element`, replacing what was there. */
export function drawLatencyPlot(element: HTMLElement, plot: LatencyPlot): void {
  const width = Math.max(160, element.clientWidth);
  const height = 110;
  const geometry = plotGeometry(plot.points, width, height);
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'latency-plot' });
  const bottom = height - MARGIN.bottom;
  root.append(
    svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: bottom, y2: bottom, class: 'axis' }),
    svg('line', { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom, class: 'axis' }),
    svg('text', { x: MARGIN.left - 4, y: MARGIN.top + 8, 'text-anchor': 'end', class: 'tick' }, `${geometry.maxMs} ms`),
    svg('text', { x: MARGIN.left - 4, y: bottom, 'text-anchor': 'end', class: 'tick' }, '0'),
    svg('text', { x: width - MARGIN.right, y: height - 4, 'text-anchor': 'end', class: 'tick' }, 'trials, in order'),
  );
  for (const { x, y, point } of geometry.dots) {
    const dot = svg('circle', {
      cx: x,
      cy: y,
      r: 3.5,
      class: `dot ${point.arm}${point.ok ? '' : ' not-ok'}`,
      'data-trial': point.index,
    });
    dot.append(svg('title', {}, `trial ${point.index} (${point.arm}): ${point.ms.toFixed(1)} ms`));
    root.append(dot);
  }
  element.replaceChildren(root);
}
