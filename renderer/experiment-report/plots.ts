/**
 * The report's plots, drawn with Observable Plot (chosen by `npm run bench:chart-libs`; README).
 * Each function returns an element to insert: the HTML report and the in-app Experiments view
 * (renderer/browser-ui/experiments/) draw the same plots from here. Plot needs no eval; it adds a
 * <style> element per plot, so the page's CSP needs style-src 'unsafe-inline'.
 */
import * as Plot from '@observablehq/plot';
import { MARK_NAMES, type Trial } from '../../protocol/experiments/report.ts';
import { ARMS, ecdfRows, timelineRows, type LatencyPoint } from './report-data.ts';

export interface PlotOptions {
  /** Pixels; default 640. */
  readonly width?: number;
  /** The document to draw in (default the global one). */
  readonly document?: Document;
}

/** The experiment arm in a strong colour, the control beside it in grey. */
const ARM_COLOR = { domain: [...ARMS], range: ['#c2362b', '#8a8f98'], legend: true } as const;

/** An ECDF per arm on the same axes: the share of trials at or below each latency. */
export function ecdfPlot(points: readonly LatencyPoint[], options: PlotOptions = {}): HTMLElement | SVGSVGElement {
  return Plot.plot({
    document: options.document,
    width: options.width ?? 640,
    height: 240,
    color: ARM_COLOR,
    x: { label: 'ms', grid: true },
    y: { label: 'share of trials', domain: [0, 1], grid: true },
    marks: [Plot.line(ecdfRows(points), { x: 'x', y: 'p', stroke: 'arm', curve: 'step-after' }), Plot.ruleY([0])],
  });
}

/** A histogram per arm, overlaid (not stacked), 20 bins or so. */
export function histogramPlot(points: readonly LatencyPoint[], options: PlotOptions = {}): HTMLElement | SVGSVGElement {
  return Plot.plot({
    document: options.document,
    width: options.width ?? 640,
    height: 200,
    color: ARM_COLOR,
    x: { label: 'ms' },
    y: { label: 'trials', grid: true },
    marks: [
      Plot.rectY(
        points,
        Plot.binX<Plot.RectYOptions>({ y2: 'count' }, { x: 'ms', fill: 'arm', fillOpacity: 0.55, thresholds: 20 }),
      ),
      Plot.ruleY([0]),
    ],
  });
}

/** Pixels per trial's lane: roomy for a few trials, tighter for a soak. */
const laneHeight = (lanes: number) => (lanes <= 40 ? 14 : lanes <= 200 ? 8 : 5);

/**
 * A lane per trial (y, top to bottom in trial order) from its first mark to its last, a dot per mark
 * (colour = which mark). Control lanes are grey, failed trials' lanes red.
 */
export function timelinePlot(trials: readonly Trial[], options: PlotOptions = {}): HTMLElement | SVGSVGElement {
  const { lanes, marks } = timelineRows(trials);
  const laneColor = (lane: (typeof lanes)[number]) =>
    !lane.ok ? '#c2362b' : lane.arm === 'control' ? '#c9ccd1' : '#5b6270';
  return Plot.plot({
    document: options.document,
    width: options.width ?? 640,
    height: 50 + lanes.length * laneHeight(lanes.length),
    marginLeft: 50,
    // The legend in the order a trial goes through its marks, not alphabetical.
    color: {
      legend: true,
      type: 'categorical',
      domain: MARK_NAMES.filter((name) => marks.some((m) => m.mark === name)),
    },
    x: { label: 'ms since the trial started', grid: true },
    y: {
      type: 'band',
      label: 'trial',
      domain: lanes.map((lane) => lane.trial),
      // Label every lane for a few trials, about 20 labels for many.
      ticks:
        lanes.length <= 40
          ? undefined
          : lanes.filter((_, i) => i % Math.ceil(lanes.length / 20) === 0).map((l) => l.trial),
    },
    marks: [
      Plot.ruleY(lanes, { y: 'trial', x1: 'start', x2: 'end', stroke: laneColor, strokeWidth: 1.5 }),
      Plot.dot(marks, { x: 't', y: 'trial', fill: 'mark', r: lanes.length <= 200 ? 3 : 2, tip: true }),
    ],
  });
}
