// replayDisplayList on a real Skia canvas (@napi-rs/canvas, as the GPU process uses it), and on a
// recording context that shows which calls each op makes.
import { createCanvas, ImageData as SkiaImageData, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { DisplayList, ImageData, PaintOp } from '../interfaces/display-list.ts';
import { replayDisplayList, ReplayError, type Canvas2DLike } from './replay.ts';

function makeImage(image: ImageData): Canvas {
  const canvas = createCanvas(image.width, image.height);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  canvas.getContext('2d').putImageData(new SkiaImageData(pixels, image.width, image.height), 0, 0);
  return canvas;
}

function draw(list: DisplayList, ctx?: SKRSContext2D): SKRSContext2D {
  const context = ctx ?? createCanvas(list.width, list.height).getContext('2d');
  replayDisplayList(context, list, makeImage);
  return context;
}

const pixel = (ctx: SKRSContext2D, x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data];
const list = (ops: PaintOp[], images?: ImageData[]): DisplayList => ({
  width: 40,
  height: 30,
  ops,
  ...(images ? { images } : {}),
});

describe('replayDisplayList on Skia', () => {
  it('fills with the current style, in the current transform', () => {
    const ctx = draw(
      list([
        { op: 'fillStyle', color: '#ff0000' },
        { op: 'fillRect', x: 0, y: 0, w: 10, h: 10 },
        { op: 'save' },
        { op: 'translate', x: 20, y: 10 },
        { op: 'scale', x: 2, y: 2 },
        { op: 'fillStyle', color: 'rgb(0, 0, 255)' },
        { op: 'fillRect', x: 0, y: 0, w: 5, h: 5 }, // covers 20..30 x 10..20
        { op: 'restore' },
        { op: 'fillRect', x: 0, y: 20, w: 5, h: 5 }, // red again, untransformed
      ]),
    );
    expect(pixel(ctx, 5, 5)).toEqual([255, 0, 0, 255]);
    expect(pixel(ctx, 29, 19)).toEqual([0, 0, 255, 255]);
    expect(pixel(ctx, 31, 21)).toEqual([0, 0, 0, 0]);
    expect(pixel(ctx, 2, 22)).toEqual([255, 0, 0, 255]);
  });

  it('draws paths with fill, stroke and clip, and honours globalAlpha', () => {
    const ctx = draw(
      list([
        { op: 'beginPath' },
        { op: 'arc', x: 10, y: 10, r: 8, start: 0, end: Math.PI * 2 },
        { op: 'fillStyle', color: 'lime' },
        { op: 'fill' },
        { op: 'clip' },
        { op: 'globalAlpha', alpha: 0.5 },
        { op: 'fillStyle', color: '#000000' },
        { op: 'fillRect', x: 0, y: 0, w: 40, h: 30 }, // clipped to the circle
      ]),
    );
    // Half-transparent black over opaque lime: rgb(0, 128, 0) at full alpha.
    const [r, g, b, a] = pixel(ctx, 10, 10);
    expect([r, b, a]).toEqual([0, 0, 255]);
    expect(g).toBeGreaterThanOrEqual(126);
    expect(g).toBeLessThanOrEqual(129);
    expect(pixel(ctx, 30, 25)).toEqual([0, 0, 0, 0]); // outside the clip
  });

  it('draws an RGBA image at its natural size or scaled, making it once per replay', () => {
    const data = new Uint8Array(2 * 2 * 4);
    for (let i = 0; i < 4; i++) data.set([0, 200, 100, 255], i * 4);
    let made = 0;
    const ctx = createCanvas(40, 30).getContext('2d');
    replayDisplayList(
      ctx,
      list(
        [
          { op: 'drawImage', image: 0, x: 0, y: 0 },
          { op: 'drawImage', image: 0, x: 10, y: 10, w: 20, h: 10 },
        ],
        [{ width: 2, height: 2, data }],
      ),
      (image) => {
        made++;
        return makeImage(image);
      },
    );
    expect(made).toBe(1);
    expect(pixel(ctx, 1, 1)).toEqual([0, 200, 100, 255]);
    expect(pixel(ctx, 3, 3)).toEqual([0, 0, 0, 0]);
    expect(pixel(ctx, 28, 18)).toEqual([0, 200, 100, 255]);
  });

  it('starts every replay from a clean context: no pixels, transform, style, clip or saved state carry over', () => {
    const ctx = createCanvas(40, 30).getContext('2d');
    draw(
      list([
        { op: 'fillStyle', color: 'red' },
        { op: 'fillRect', x: 0, y: 0, w: 40, h: 30 },
        { op: 'save' }, // never restored
        { op: 'translate', x: 15, y: 15 },
        { op: 'globalAlpha', alpha: 0.25 },
        { op: 'beginPath' },
        { op: 'rect', x: 0, y: 0, w: 2, h: 2 },
        { op: 'clip' },
      ]),
      ctx,
    );
    draw(list([{ op: 'fillRect', x: 0, y: 0, w: 10, h: 10 }]), ctx);
    expect(pixel(ctx, 5, 5)).toEqual([0, 0, 0, 255]); // default black, full alpha, no clip, no offset
    expect(pixel(ctx, 20, 20)).toEqual([0, 0, 0, 0]); // the red from before is gone
  });

  it('names the op Skia refused, with a code a remote caller can test', () => {
    const bad = list([
      { op: 'fillRect', x: 0, y: 0, w: 1, h: 1 },
      { op: 'linearGradient', x0: 0, y0: 0, x1: 10, y1: 0, stops: [{ offset: 0, color: 'no-such-color' }] },
    ]);
    let error: unknown;
    try {
      draw(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ReplayError);
    expect(error).toMatchObject({ name: 'ReplayError', code: 'PAINT_OP_FAILED', opIndex: 1, op: 'linearGradient' });
    expect((error as Error).message).toMatch(/^paint op 1 \(linearGradient\) failed: .*could not be parsed as a color/);
  });
});

describe('replayDisplayList on any Canvas2DLike', () => {
  it('maps each op to one context call with its arguments, after a reset', () => {
    const calls: string[] = [];
    const recorder = new Proxy({} as Record<string | symbol, unknown>, {
      get:
        (_target, name) =>
        (...args: unknown[]) => {
          calls.push(`${String(name)}(${args.map((arg) => JSON.stringify(arg)).join(',')})`);
          return recorder; // a gradient, for createLinearGradient
        },
      set: (_target, name, value) => {
        calls.push(`${String(name)}=${typeof value === 'string' ? value : 'gradient'}`);
        return true;
      },
    }) as unknown as Canvas2DLike<string>;
    const image: ImageData = { width: 3, height: 4, data: new Uint8Array(48) };
    replayDisplayList(
      recorder,
      list(
        [
          { op: 'arc', x: 1, y: 2, r: 3, start: 0, end: 1 },
          { op: 'arc', x: 1, y: 2, r: 3, start: 0, end: 1, ccw: true },
          { op: 'linearGradient', x0: 0, y0: 0, x1: 1, y1: 1, stops: [{ offset: 0.5, color: 'red' }] },
          { op: 'textAlign', align: 'center' },
          { op: 'drawImage', image: 0, x: 5, y: 6 },
          { op: 'drawImage', image: 0, x: 5, y: 6, w: 30 },
        ],
        [image],
      ),
      (made) => `image ${made.width}x${made.height}`,
    );
    expect(calls).toEqual([
      'reset()',
      'arc(1,2,3,0,1,false)',
      'arc(1,2,3,0,1,true)',
      'createLinearGradient(0,0,1,1)',
      'addColorStop(0.5,"red")',
      'fillStyle=gradient',
      'textAlign=center',
      'drawImage("image 3x4",5,6,3,4)',
      'drawImage("image 3x4",5,6,30,4)',
    ]);
  });
});
