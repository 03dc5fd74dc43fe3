/** Display lists for the GPU process's tests and benchmark: each kind of paint op, really drawing. */
import type { DisplayList, ImageData, PaintOp } from '../../protocol/interfaces/display-list.ts';

const W = 320;
const H = 240;

/** A 48 x 32 RGBA image: a hue ramp across, alpha fading down, a transparent hole in the middle. */
export function testImage(): ImageData {
  const width = 48;
  const height = 32;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const hole = Math.abs(x - 24) < 6 && Math.abs(y - 16) < 6;
      data.set(
        [(x * 255) / width, 255 - (y * 255) / height, (x * y) % 256, hole ? 0 : 255 - y * 3],
        (y * width + x) * 4,
      );
    }
  }
  return { width, height, data };
}

/** One list per family of ops; every one of them covers a good part of its frame. */
export const FIDELITY_LISTS: Record<string, DisplayList> = {
  shapes: {
    width: W,
    height: H,
    ops: [
      { op: 'fillStyle', color: '#f4f1de' },
      { op: 'fillRect', x: 0, y: 0, w: W, h: H },
      { op: 'fillStyle', color: '#e07a5f' },
      { op: 'fillRect', x: 20, y: 20, w: 120, h: 80 },
      { op: 'clearRect', x: 50, y: 40, w: 30, h: 30 },
      { op: 'strokeStyle', color: '#3d405b' },
      { op: 'lineWidth', width: 6 },
      { op: 'strokeRect', x: 160, y: 20, w: 130, h: 80 },
      { op: 'beginPath' },
      { op: 'arc', x: 90, y: 170, r: 50, start: 0, end: Math.PI * 2 },
      { op: 'fillStyle', color: 'rgba(129, 178, 154, 0.9)' },
      { op: 'fill' },
      { op: 'lineWidth', width: 3 },
      { op: 'stroke' },
      { op: 'beginPath' },
      { op: 'arc', x: 230, y: 170, r: 45, start: 0.3, end: Math.PI * 1.6, ccw: true },
      { op: 'closePath' },
      { op: 'fillStyle', color: 'hsl(40 90% 60%)' },
      { op: 'fill' },
      { op: 'stroke' },
      { op: 'beginPath' },
      { op: 'rect', x: 150, y: 115, w: 20, h: 110 },
      { op: 'fillStyle', color: '#3d405b' },
      { op: 'fill' },
    ],
  },
  paths: {
    width: W,
    height: H,
    ops: [
      { op: 'beginPath' },
      { op: 'moveTo', x: 20, y: 200 },
      { op: 'bezierCurveTo', cp1x: 60, cp1y: 10, cp2x: 160, cp2y: 10, x: 200, y: 200 },
      { op: 'quadraticCurveTo', cpx: 260, cpy: 20, x: 300, y: 200 },
      { op: 'lineTo', x: 300, y: 230 },
      { op: 'lineTo', x: 20, y: 230 },
      { op: 'closePath' },
      { op: 'fillStyle', color: '#6d597a' },
      { op: 'fill' },
      { op: 'strokeStyle', color: '#eaac8b' },
      { op: 'lineWidth', width: 8 },
      { op: 'stroke' },
      { op: 'beginPath' },
      { op: 'moveTo', x: 10, y: 20 },
      { op: 'bezierCurveTo', cp1x: 100, cp1y: 120, cp2x: 220, cp2y: -60, x: 310, y: 60 },
      { op: 'strokeStyle', color: '#355070' },
      { op: 'lineWidth', width: 5 },
      { op: 'stroke' },
      { op: 'save' },
      { op: 'beginPath' },
      { op: 'moveTo', x: 160, y: 60 },
      { op: 'quadraticCurveTo', cpx: 240, cpy: 120, x: 160, y: 180 },
      { op: 'quadraticCurveTo', cpx: 80, cpy: 120, x: 160, y: 60 },
      { op: 'clip' },
      { op: 'fillStyle', color: '#e56b6f' },
      { op: 'fillRect', x: 0, y: 0, w: W, h: H },
      { op: 'restore' },
    ],
  },
  gradients: {
    width: W,
    height: H,
    ops: [
      {
        op: 'linearGradient',
        x0: 0,
        y0: 0,
        x1: W,
        y1: H,
        stops: [
          { offset: 0, color: '#0b132b' },
          { offset: 0.5, color: '#5bc0be' },
          { offset: 1, color: 'rgba(255, 255, 255, 0.3)' },
        ],
      },
      { op: 'fillRect', x: 0, y: 0, w: W, h: H },
      {
        op: 'radialGradient',
        x0: 160,
        y0: 120,
        r0: 5,
        x1: 175,
        y1: 110,
        r1: 90,
        stops: [
          { offset: 0, color: '#fff275' },
          { offset: 0.6, color: '#ff8c42' },
          { offset: 1, color: 'rgba(255, 60, 56, 0)' },
        ],
      },
      { op: 'beginPath' },
      { op: 'arc', x: 160, y: 120, r: 95, start: 0, end: Math.PI * 2 },
      { op: 'fill' },
    ],
  },
  text: {
    width: W,
    height: H,
    ops: [
      { op: 'fillStyle', color: '#1d3557' },
      { op: 'font', font: 'bold 36px "DejaVu Sans", sans-serif' },
      { op: 'fillText', text: 'Skia GPU', x: 14, y: 50 },
      { op: 'font', font: 'italic 28px serif' },
      { op: 'fillStyle', color: '#e63946' },
      { op: 'textAlign', align: 'center' },
      { op: 'fillText', text: 'out-of-process', x: 160, y: 110 },
      { op: 'textAlign', align: 'right' },
      { op: 'font', font: '44px monospace' },
      { op: 'fillStyle', color: '#457b9d' },
      { op: 'fillText', text: 'raster 123', x: 310, y: 180 },
      { op: 'textAlign', align: 'left' },
      { op: 'font', font: '22px sans-serif' },
      { op: 'fillStyle', color: '#2a9d8f' },
      { op: 'fillText', text: 'ÀÉÎõü ≠ ∑ → ✓', x: 10, y: 225 },
    ],
  },
  images: {
    width: W,
    height: H,
    images: [testImage()],
    ops: [
      { op: 'fillStyle', color: '#fefae0' },
      { op: 'fillRect', x: 0, y: 0, w: W, h: H / 2 },
      { op: 'drawImage', image: 0, x: 10, y: 10 },
      { op: 'drawImage', image: 0, x: 70, y: 10, w: 96, h: 64 },
      { op: 'drawImage', image: 0, x: 10, y: 90, w: 300, h: 140 },
      { op: 'globalAlpha', alpha: 0.5 },
      { op: 'drawImage', image: 0, x: 190, y: 20, w: 120, h: 50 },
    ],
  },
  transforms: {
    width: W,
    height: H,
    ops: [
      { op: 'fillStyle', color: '#264653' },
      { op: 'fillRect', x: 0, y: 0, w: W, h: H },
      { op: 'save' },
      { op: 'translate', x: 160, y: 120 },
      ...Array.from({ length: 12 }, (_, i): PaintOp[] => [
        { op: 'save' },
        { op: 'rotate', angle: (i * Math.PI) / 6 },
        { op: 'scale', x: 1 + i / 12, y: 0.6 },
        { op: 'globalAlpha', alpha: 0.35 + i / 24 },
        { op: 'fillStyle', color: `hsl(${i * 30} 80% 60%)` },
        { op: 'fillRect', x: 20, y: -10, w: 80, h: 20 },
        { op: 'restore' },
      ]).flat(),
      { op: 'restore' },
      { op: 'globalAlpha', alpha: 0.6 },
      { op: 'fillStyle', color: '#e9c46a' },
      { op: 'fillRect', x: 10, y: 10, w: 60, h: 60 },
    ],
  },
};

/** A deterministic pseudo-random list of `count` ops of every kind, e.g. for timing. */
export function busyList(count: number, width = 800, height = 600): DisplayList {
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const x = () => random() * width;
  const y = () => random() * height;
  const color = () => `hsl(${Math.floor(random() * 360)} 70% 55% / ${(0.4 + random() * 0.6).toFixed(2)})`;
  const makers: (() => PaintOp[])[] = [
    () => [
      { op: 'fillStyle', color: color() },
      { op: 'fillRect', x: x(), y: y(), w: 20 + random() * 120, h: 20 + random() * 80 },
    ],
    () => [
      { op: 'beginPath' },
      { op: 'arc', x: x(), y: y(), r: 5 + random() * 60, start: 0, end: Math.PI * 2 },
      { op: 'fillStyle', color: color() },
      { op: 'fill' },
    ],
    () => [
      { op: 'beginPath' },
      { op: 'moveTo', x: x(), y: y() },
      { op: 'bezierCurveTo', cp1x: x(), cp1y: y(), cp2x: x(), cp2y: y(), x: x(), y: y() },
      { op: 'strokeStyle', color: color() },
      { op: 'lineWidth', width: 1 + random() * 6 },
      { op: 'stroke' },
    ],
    () => [
      { op: 'font', font: `${12 + Math.floor(random() * 24)}px sans-serif` },
      { op: 'fillStyle', color: color() },
      { op: 'fillText', text: 'display list', x: x(), y: y() },
    ],
    () => [
      {
        op: 'linearGradient',
        x0: x(),
        y0: y(),
        x1: x(),
        y1: y(),
        stops: [
          { offset: 0, color: color() },
          { offset: 1, color: color() },
        ],
      },
      { op: 'fillRect', x: x(), y: y(), w: 80, h: 60 },
    ],
    () => [
      { op: 'save' },
      { op: 'translate', x: x(), y: y() },
      { op: 'rotate', angle: random() * 6 },
      { op: 'fillStyle', color: color() },
      { op: 'fillRect', x: -20, y: -10, w: 40, h: 20 },
      { op: 'restore' },
    ],
  ];
  const ops: PaintOp[] = [];
  while (ops.length < count) ops.push(...makers[Math.floor(random() * makers.length)]!());
  return { width, height, ops: ops.slice(0, count) };
}
