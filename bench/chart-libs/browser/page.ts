// What each candidate's page exposes to the benchmark (bundled into every page).
import type { ChartData, DrawMeasurement } from '../chart-data.ts';

export type DrawCharts = (root: HTMLElement, data: ChartData) => Promise<void>;

declare global {
  interface Window {
    drawCharts?: DrawCharts;
  }
}

/** A titled section per plot, as the report lays them out. */
export function section(root: HTMLElement, title: string): HTMLElement {
  const box = document.createElement('section');
  const heading = document.createElement('h3');
  heading.textContent = title;
  const body = document.createElement('div');
  body.style.width = '640px';
  body.style.height = '240px';
  box.append(heading, body);
  root.append(box);
  return body;
}

export const WIDTH = 640;
export const HEIGHT = 240;
export const ARM_COLORS = { experiment: '#d33', control: '#888' } as const;

interface BenchGlobals {
  __startAt: number;
  __evaluatedAt: number;
  __violations: string[];
  measureDraw(data: ChartData): Promise<DrawMeasurement>;
}

/** Draws every plot into #root and times it to the frame after (requestAnimationFrame, then a task). */
(window as unknown as BenchGlobals).measureDraw = async (data) => {
  const globals = window as unknown as BenchGlobals;
  const root = document.getElementById('root')!;
  const t0 = performance.now();
  let failed = '';
  try {
    if (!window.drawCharts) throw new Error('the page set no drawCharts');
    await window.drawCharts(root, data);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  } catch (error) {
    failed = String(error);
  }
  const drawMs = performance.now() - t0;
  const plots = [...root.querySelectorAll('section')].filter((s) => s.querySelector('svg, canvas')).length;
  return {
    evalMs: globals.__evaluatedAt - globals.__startAt,
    drawMs,
    plots,
    violations: [...globals.__violations],
    failed,
  };
};
