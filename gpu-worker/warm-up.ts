/**
 * What a hot-standby GPU process does while it waits: draws one small frame nobody sees, with the
 * kinds of ops pages use (text, paths, a gradient, an image), so the one-time costs of a new
 * process's first drawing (Skia's first canvas and font collection, the replay path's first run)
 * are paid before it is promoted, not on the first frame after a crash.
 */
import type { DisplayList } from '../protocol/interfaces/display-list.ts';
import type { Rasterizer } from './rasterizer.ts';

export const WARM_UP_LIST: DisplayList = {
  width: 64,
  height: 64,
  ops: [
    { op: 'fillStyle', color: '#ffffff' },
    { op: 'fillRect', x: 0, y: 0, w: 64, h: 64 },
    { op: 'fillStyle', color: 'hsl(210 70% 55%)' },
    { op: 'beginPath' },
    { op: 'arc', x: 32, y: 32, r: 20, start: 0, end: Math.PI * 2 },
    { op: 'fill' },
    { op: 'strokeStyle', color: '#202124' },
    { op: 'strokeRect', x: 4, y: 4, w: 56, h: 56 },
    { op: 'font', font: '12px sans-serif' },
    { op: 'fillText', text: 'warm', x: 8, y: 36 },
  ],
};

/** Draws WARM_UP_LIST and says how long it took (ms). */
export function warmUp(rasterizer: Rasterizer): number {
  return rasterizer.rasterize(WARM_UP_LIST).rasterMs;
}
