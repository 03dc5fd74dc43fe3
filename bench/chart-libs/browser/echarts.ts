// ECharts, tree-shaken (echarts/core + the charts used), canvas renderer, animation off. No binning
// transform without the separate ecStat: bins are counted here; the timeline's lanes are a custom series.
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { binned } from '../chart-data.ts';
import { ARM_COLORS, HEIGHT, section, WIDTH } from './page.ts';

echarts.use([LineChart, BarChart, ScatterChart, CustomChart, GridComponent, LegendComponent, CanvasRenderer]);

const arms = ['experiment', 'control'] as const;

function chart(container: HTMLElement, height: number, option: echarts.EChartsCoreOption): void {
  container.style.height = `${height}px`;
  echarts
    .init(container, null, { renderer: 'canvas', width: WIDTH, height })
    .setOption({ animation: false, legend: {}, ...option });
}

window.drawCharts = async (root, data) => {
  for (const { latency, points } of data.ecdfs) {
    chart(section(root, `ECDF ${latency}`), HEIGHT, {
      xAxis: { type: 'value', name: 'ms' },
      yAxis: { type: 'value', min: 0, max: 1, name: 'share of trials' },
      series: arms.map((arm) => ({
        name: arm,
        type: 'line',
        step: 'end',
        showSymbol: false,
        color: ARM_COLORS[arm],
        data: points.filter((point) => point.arm === arm).map((point) => [point.x, point.p]),
      })),
    });
  }
  for (const series of data.histograms) {
    const { starts, width, counts } = binned(series);
    chart(section(root, `Histogram ${series.latency}`), HEIGHT, {
      xAxis: { type: 'value', name: 'ms' },
      yAxis: { type: 'value' },
      series: arms.map((arm) => ({
        name: arm,
        type: 'bar',
        barGap: '-100%',
        barWidth: `${Math.max(1, (WIDTH / starts.length) * 0.9)}`,
        color: ARM_COLORS[arm],
        itemStyle: { opacity: 0.5 },
        data: starts.map((start, i) => [start + width / 2, counts[arm][i]]),
      })),
    });
  }
  const { lanes, marks } = data.timeline;
  const names = [...new Set(marks.map((m) => m.mark))];
  chart(section(root, 'Timeline'), Math.min(1200, 60 + lanes.length * 10), {
    xAxis: { type: 'value', name: 'ms since the trial started' },
    yAxis: { type: 'category', data: lanes.map((lane) => String(lane.trial)), inverse: true },
    series: [
      {
        type: 'custom',
        data: lanes.map((lane) => [lane.start, lane.end, lane.trial]),
        renderItem: (_params: unknown, api: { value(i: number): number; coord(p: number[]): number[] }) => {
          const [x1, y] = api.coord([api.value(0), api.value(2)]);
          const [x2] = api.coord([api.value(1), api.value(2)]);
          return { type: 'line', shape: { x1, y1: y, x2, y2: y }, style: { stroke: '#ccc' } };
        },
      },
      ...names.map((name) => ({
        name,
        type: 'scatter',
        symbolSize: 6,
        data: marks.filter((m) => m.mark === name).map((m) => [m.t, m.trial]),
      })),
    ],
  });
};
