/**
 * The threads lab's charts (Observable Plot, in the IPC lab's style): lost updates per run, memory per
 * process and per thread, and the history graph (a lane per thread, its events as marks, an arrow
 * from the thread that released or signalled to the thread it woke). Texts come in translated.
 */
import * as Plot from '@observablehq/plot';
import type { HistoryGraph, MemoryRow } from './threads-view-model.ts';

export interface PlotBase {
  readonly width: number;
  readonly document?: Document;
}

const LOST = '#c2362b';
const KEPT = '#4269d0';
const OTHER = '#8a8f98';

/** Each run's counter: what arrived (blue) and what was lost (red) stacked to what was expected. */
export function racePlot(
  rows: readonly { run: number; final: number; lost: number }[],
  texts: { run: string; count: string; final: string; lost: string },
  options: PlotBase,
) {
  const stacked = rows.flatMap((row) => [
    { run: row.run, part: texts.final, value: row.final },
    { run: row.run, part: texts.lost, value: Math.max(0, row.lost) },
  ]);
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 220,
    marginLeft: 64,
    x: { label: texts.run, type: 'band' },
    y: { label: texts.count, grid: true },
    color: { domain: [texts.final, texts.lost], range: [KEPT, LOST], legend: true },
    marks: [Plot.barY(stacked, { x: 'run', y: 'value', fill: 'part', tip: true }), Plot.ruleY([0])],
  });
}

/** Resident memory: each child process whole, and what each worker thread added. */
export function memoryPlot(
  rows: readonly MemoryRow[],
  texts: { what: (row: MemoryRow) => string; mib: string },
  options: PlotBase,
) {
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 40 + rows.length * 22,
    marginLeft: 110,
    // Room for the value written after the longest bar.
    marginRight: 64,
    x: { label: texts.mib, grid: true },
    y: { label: null, domain: rows.map(texts.what) },
    marks: [
      Plot.barX(rows, {
        y: texts.what,
        x: 'mib',
        fill: (row: MemoryRow) => (row.what === 'process' ? KEPT : OTHER),
        tip: true,
      }),
      Plot.text(rows, {
        y: texts.what,
        x: 'mib',
        text: (row: MemoryRow) => `${row.mib} MiB`,
        dx: 4,
        textAnchor: 'start',
        fontSize: 10,
      }),
      Plot.ruleX([0]),
    ],
  });
}

const KIND_COLOURS: Record<string, string> = {
  acquire: '#3ca951',
  block: '#c2362b',
  release: '#4269d0',
  signal: '#a463f2',
  wait: '#efb118',
  'cs-enter': '#ff725c',
  'cs-exit': '#9c6b4e',
};

/** A lane per thread over time; symbols per event kind; arrows from waker to woken. */
export function historyPlot(
  graph: HistoryGraph,
  texts: { time: string; kind: (kind: string) => string },
  options: PlotBase,
) {
  const kinds = [...new Set(graph.points.map((point) => point.kind))];
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 60 + graph.lanes.length * 46,
    marginLeft: 48,
    marginRight: 16,
    // Steps are whole numbers: no ticks between them.
    x: { label: texts.time, grid: false, tickFormat: (step: number) => (Number.isInteger(step) ? String(step) : '') },
    y: { domain: graph.lanes, label: null },
    color: {
      domain: kinds,
      range: kinds.map((kind) => KIND_COLOURS[kind] ?? OTHER),
      legend: true,
      tickFormat: texts.kind,
    },
    marks: [
      Plot.ruleY(graph.lanes, { stroke: '#e3e6ec', strokeWidth: 8 }),
      Plot.arrow(graph.links, {
        x1: 'x1',
        y1: 'thread1',
        x2: 'x2',
        y2: 'thread2',
        stroke: '#4269d0',
        strokeOpacity: 0.7,
        bend: true,
        headLength: 6,
      }),
      Plot.dot(graph.points, {
        x: 'x',
        y: 'thread',
        fill: 'kind',
        r: 4,
        symbol: (point: { kind: string }) => (point.kind === 'block' || point.kind === 'wait' ? 'square' : 'circle'),
        tip: true,
        title: 'label',
      }),
    ],
  });
}
