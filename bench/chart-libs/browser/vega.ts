// Vega-Lite compiled to Vega at run time, SVG renderer; binning and step interpolation are built in.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ARM_COLORS, HEIGHT, section, WIDTH } from './page.ts';

const color = {
  field: 'arm',
  type: 'nominal',
  scale: { domain: Object.keys(ARM_COLORS), range: Object.values(ARM_COLORS) },
} as const;

async function draw(container: HTMLElement, spec: TopLevelSpec): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'svg', container });
  await view.runAsync();
}

window.drawCharts = async (root, data) => {
  for (const { latency, points } of data.ecdfs) {
    await draw(section(root, `ECDF ${latency}`), {
      width: WIDTH,
      height: HEIGHT,
      data: { values: points as object[] },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'ms' },
        y: { field: 'p', type: 'quantitative', title: 'share of trials', scale: { domain: [0, 1] } },
        color,
      },
    });
  }
  for (const { latency, values } of data.histograms) {
    await draw(section(root, `Histogram ${latency}`), {
      width: WIDTH,
      height: HEIGHT,
      data: { values: values as object[] },
      mark: { type: 'bar', opacity: 0.5 },
      encoding: {
        x: { field: 'ms', type: 'quantitative', bin: { maxbins: 20 }, title: 'ms' },
        y: { aggregate: 'count', type: 'quantitative', stack: null },
        color,
      },
    });
  }
  const { lanes, marks } = data.timeline;
  await draw(section(root, 'Timeline'), {
    width: WIDTH,
    height: Math.min(1200, lanes.length * 10),
    layer: [
      {
        data: { values: lanes as object[] },
        mark: { type: 'rule', color: '#ccc' },
        encoding: {
          y: { field: 'trial', type: 'ordinal' },
          x: { field: 'start', type: 'quantitative' },
          x2: { field: 'end' },
        },
      },
      {
        data: { values: marks as object[] },
        mark: { type: 'point', filled: true },
        encoding: {
          y: { field: 'trial', type: 'ordinal' },
          x: { field: 't', type: 'quantitative', title: 'ms since the trial started' },
          color: { field: 'mark', type: 'nominal' },
        },
      },
    ],
  });
};
