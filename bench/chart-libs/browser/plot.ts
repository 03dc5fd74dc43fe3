// Observable Plot: SVG; binning (binX), step curves and band scales are built in.
import * as Plot from '@observablehq/plot';
import { ARM_COLORS, HEIGHT, section, WIDTH } from './page.ts';

const color = { domain: Object.keys(ARM_COLORS), range: Object.values(ARM_COLORS), legend: true };

window.drawCharts = async (root, data) => {
  for (const { latency, points } of data.ecdfs) {
    section(root, `ECDF ${latency}`).append(
      Plot.plot({
        width: WIDTH,
        height: HEIGHT,
        color,
        x: { label: 'ms' },
        y: { label: 'share of trials', domain: [0, 1] },
        marks: [Plot.line(points, { x: 'x', y: 'p', stroke: 'arm', curve: 'step-after' })],
      }),
    );
  }
  for (const { latency, values } of data.histograms) {
    section(root, `Histogram ${latency}`).append(
      Plot.plot({
        width: WIDTH,
        height: HEIGHT,
        color,
        x: { label: 'ms' },
        marks: [
          Plot.rectY(values, Plot.binX<Plot.RectYOptions>({ y2: 'count' }, { x: 'ms', fill: 'arm', fillOpacity: 0.5 })),
          Plot.ruleY([0]),
        ],
      }),
    );
  }
  const { lanes, marks } = data.timeline;
  section(root, 'Timeline').append(
    Plot.plot({
      width: WIDTH,
      height: Math.min(1200, 60 + lanes.length * 10),
      color: { legend: true },
      x: { label: 'ms since the trial started' },
      y: { type: 'band', label: 'trial' },
      marks: [
        Plot.ruleY(lanes, { y: 'trial', x1: 'start', x2: 'end', stroke: '#ccc' }),
        Plot.dot(marks, { x: 't', y: 'trial', fill: 'mark', r: 3 }),
      ],
    }),
  );
};
