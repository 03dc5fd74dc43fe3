// uPlot: canvas, x must be one ascending array shared by every series. ECDF arms are joined onto one x
// (nulls between, spanGaps), histogram bins counted here, and the timeline is one points-only series
// per mark over every mark time, lanes as y values (no ranges).
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css';
import { binned } from '../chart-data.ts';
import { ARM_COLORS, HEIGHT, section, WIDTH } from './page.ts';

const style = document.createElement('style');
style.textContent = uPlotCss;
document.head.append(style);

const arms = ['experiment', 'control'] as const;

window.drawCharts = async (root, data) => {
  for (const { latency, points } of data.ecdfs) {
    const perArm = arms.map((arm) => {
      const own = points.filter((point) => point.arm === arm);
      return [own.map((point) => point.x), own.map((point) => point.p)] as uPlot.AlignedData;
    });
    new uPlot(
      {
        width: WIDTH,
        height: HEIGHT,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        series: [
          {},
          ...arms.map((arm) => ({
            label: arm,
            stroke: ARM_COLORS[arm],
            spanGaps: true,
            paths: uPlot.paths.stepped!({ align: 1 }),
          })),
        ],
      },
      uPlot.join(perArm),
      section(root, `ECDF ${latency}`),
    );
  }
  for (const series of data.histograms) {
    const { starts, counts } = binned(series);
    new uPlot(
      {
        width: WIDTH,
        height: HEIGHT,
        scales: { x: { time: false } },
        series: [
          {},
          ...arms.map((arm) => ({
            label: arm,
            fill: `${ARM_COLORS[arm]}80`,
            paths: uPlot.paths.bars!({ size: [0.9] }),
            points: { show: false },
          })),
        ],
      },
      [starts, counts.experiment, counts.control],
      section(root, `Histogram ${series.latency}`),
    );
  }
  const { lanes, marks } = data.timeline;
  const names = [...new Set(marks.map((m) => m.mark))];
  const perMark = names.map((name) => {
    const own = marks.filter((m) => m.mark === name).sort((a, b) => a.t - b.t);
    return [own.map((m) => m.t), own.map((m) => m.trial)] as uPlot.AlignedData;
  });
  new uPlot(
    {
      width: WIDTH,
      height: Math.min(1200, 60 + lanes.length * 10),
      scales: { x: { time: false } },
      series: [{}, ...names.map((name) => ({ label: name, paths: () => null, points: { show: true, size: 6 } }))],
    },
    uPlot.join(perMark),
    section(root, 'Timeline'),
  );
};
