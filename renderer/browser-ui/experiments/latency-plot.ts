// The Experiments view's live plot, in one module: the same ECDF the HTML report draws
// (renderer/experiment-report/plots.ts, Observable Plot, chosen by bench:chart-libs), experiment arm
// and control arm side by side, redrawn as trials land.
import { ecdfPlot } from '../../experiment-report/plots.ts';
import type { PlotPoint } from './experiments.ts';

export interface LatencyPlot {
  /** The latency plotted, e.g. "crash-to-sad-tab". */
  readonly name: string;
  readonly points: readonly PlotPoint[];
}

/** Draws `plot` into `element`, replacing what was there. */
export function drawLatencyPlot(element: HTMLElement, plot: LatencyPlot): void {
  const width = Math.max(240, element.clientWidth);
  const points = plot.points.map((point) => ({ ms: point.ms, arm: point.arm, trial: point.index }));
  element.replaceChildren(ecdfPlot(points, { width }));
}
