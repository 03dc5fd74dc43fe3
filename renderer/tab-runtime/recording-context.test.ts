// The recording context, in Node: what it records is a valid DisplayList (the schema the GPU process
// checks every frame against), and replaying it draws the same pixels as drawing directly. Both
// sides draw with Skia (@napi-rs/canvas, as the GPU process does), so they must match exactly.
import { createCanvas, ImageData as SkiaImageData, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { DisplayList, MAX_OPS, type ImageData as ListImage } from '../../protocol/interfaces/display-list.ts';
import { replayDisplayList } from '../../protocol/paint/replay.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { paintLiveScene } from '../pages/live-scene.ts';
import { recordDisplayList, RecordingContext, type PaintContext } from './recording-context.ts';

const checker = compileChecker(DisplayList);
const W = 320;
const H = 200;

/** A scene using every kind of op but drawImage (that one has its own test). */
function scene(ctx: PaintContext): void {
  ctx.fillStyle = '#f4f6fb';
  ctx.fillRect(0, 0, W, H);
  const sky = ctx.createLinearGradient(0, 0, 0, H);
  sky.addColorStop(0, '#1a73e8');
  sky.addColorStop(1, 'rgba(26, 115, 232, 0.1)');
  ctx.fillStyle = sky;
  ctx.fillRect(10, 10, W - 20, 90);
  const sun = ctx.createRadialGradient(250, 50, 4, 250, 50, 40);
  sun.addColorStop(0, '#fff6c4');
  sun.addColorStop(1, '#f9ab00');
  ctx.fillStyle = sun;
  ctx.beginPath();
  ctx.arc(250, 50, 36, 0, Math.PI * 2);
  ctx.fill();
  ctx.save();
  ctx.translate(80, 120);
  ctx.rotate(0.3);
  ctx.scale(1.5, 0.8);
  ctx.globalAlpha = 0.7;
  ctx.fillStyle = '#d93025';
  ctx.fillRect(-20, -20, 40, 40);
  ctx.restore();
  ctx.strokeStyle = '#188038';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.moveTo(20, 180);
  ctx.quadraticCurveTo(80, 120, 140, 180);
  ctx.bezierCurveTo(170, 140, 200, 200, 230, 150);
  ctx.lineTo(300, 170);
  ctx.stroke();
  ctx.strokeRect(150, 110, 60, 30);
  ctx.clearRect(160, 118, 20, 14);
  ctx.save();
  ctx.beginPath();
  ctx.rect(220, 110, 80, 40);
  ctx.clip();
  ctx.fillStyle = '#8430ce';
  ctx.beginPath();
  ctx.arc(260, 150, 30, Math.PI, 0, true);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
  ctx.fillStyle = '#202124';
  ctx.font = 'bold 16px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('recorded, then replayed', W / 2, 195);
}

function direct(paint: (ctx: SKRSContext2D) => void, width = W, height = H): Uint8ClampedArray {
  const ctx = createCanvas(width, height).getContext('2d');
  paint(ctx);
  return ctx.getImageData(0, 0, width, height).data;
}

function toSkia(image: ListImage): Canvas {
  const canvas = createCanvas(image.width, image.height);
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  canvas.getContext('2d').putImageData(new SkiaImageData(data, image.width, image.height), 0, 0);
  return canvas;
}

function replayed(list: DisplayList): Uint8ClampedArray {
  const ctx = createCanvas(list.width, list.height).getContext('2d');
  replayDisplayList(ctx, list, toSkia);
  return ctx.getImageData(0, 0, list.width, list.height).data;
}

/** Pixels whose channels differ at all. */
function differing(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  expect(a.length).toBe(b.length);
  let count = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) count++;
  }
  return count;
}

function opaque(pixels: Uint8ClampedArray): number {
  let count = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] === 255) count++;
  return count;
}

describe('RecordingContext', () => {
  it('records a valid display list that replays to the same pixels as drawing directly', () => {
    const list = recordDisplayList(W, H, scene);
    expect(checker.check(list), checker.check(list) ? '' : checker.explain(list)).toBe(true);
    expect(new Set(list.ops.map((op) => op.op)).size).toBeGreaterThanOrEqual(27); // every op but drawImage
    const expected = direct(scene);
    expect(opaque(expected)).toBeGreaterThan(W * H * 0.9); // the scene is not blank
    expect(differing(replayed(list), expected)).toBe(0);
  });

  it('carries images (a DOM ImageData fits) and draws them as drawImage does', () => {
    const image = { width: 8, height: 6, data: new Uint8ClampedArray(8 * 6 * 4) };
    for (let i = 0; i < image.data.length; i += 4) image.data.set([(i * 7) % 256, 80, 200, 255], i);
    const list = recordDisplayList(40, 30, (ctx) => {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 40, 30);
      ctx.drawImage(image, 2, 3);
      ctx.drawImage(image, 12, 4, 24, 18);
    });
    expect(checker.check(list), checker.check(list) ? '' : checker.explain(list)).toBe(true);
    expect(list.images).toHaveLength(1); // one image, referred to twice
    expect(list.images![0]!.data).toBeInstanceOf(Uint8Array);
    const expected = direct(
      (ctx) => {
        const source = toSkia({ width: 8, height: 6, data: new Uint8Array(image.data.buffer) });
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, 40, 30);
        ctx.drawImage(source, 2, 3, 8, 6);
        ctx.drawImage(source, 12, 4, 24, 18);
      },
      40,
      30,
    );
    expect(differing(replayed(list), expected)).toBe(0);
  });

  it('records the live page scene, a valid list of a sensible size', () => {
    for (const frame of [0, 1, 17, 1000]) {
      const list = recordDisplayList(800, 450, (ctx) =>
        paintLiveScene(ctx, { frame, time: frame * 33.3, mode: 'hardware', gpuPid: 4242 }),
      );
      expect(checker.check(list), checker.check(list) ? '' : checker.explain(list)).toBe(true);
      expect(list.ops.length).toBeLessThan(1000);
    }
    const list = recordDisplayList(800, 450, (ctx) => paintLiveScene(ctx, { frame: 17, time: 566, mode: 'software' }));
    const expected = direct((ctx) => paintLiveScene(ctx, { frame: 17, time: 566, mode: 'software' }), 800, 450);
    expect(differing(replayed(list), expected)).toBe(0);
  });

  it('ignores what a canvas ignores, so the list stays valid', () => {
    const ctx = new RecordingContext(100, 100);
    ctx.fillRect(Number.NaN, 0, 10, 10);
    ctx.moveTo(Infinity, 0);
    ctx.arc(0, 0, 5, 0, Number.NaN);
    ctx.globalAlpha = 2;
    ctx.globalAlpha = -1;
    ctx.lineWidth = 0;
    ctx.lineWidth = -3;
    ctx.fillStyle = 'x'.repeat(65);
    ctx.font = 'x'.repeat(129);
    ctx.textAlign = 'middle' as never;
    ctx.restore(); // without a save
    expect(ctx.length).toBe(0);
    expect(ctx.globalAlpha).toBe(1);
    expect(ctx.lineWidth).toBe(1);

    ctx.lineWidth = 5000; // clamped to the protocol's limit
    ctx.fillText('y'.repeat(300), 0, 10); // cut at 256 characters
    ctx.fillStyle = ctx.createLinearGradient(0, 0, 1, 1); // no stops: transparent
    const list = ctx.finish();
    expect(checker.check(list), checker.check(list) ? '' : checker.explain(list)).toBe(true);
    expect(list.ops).toEqual([
      { op: 'lineWidth', width: 1000 },
      { op: 'fillText', text: 'y'.repeat(256), x: 0, y: 10 },
      { op: 'fillStyle', color: 'rgba(0, 0, 0, 0)' },
    ]);
  });

  it('throws where a canvas throws, and at the protocol limits', () => {
    const ctx = new RecordingContext(100, 100);
    expect(() => ctx.arc(0, 0, -1, 0, 1)).toThrow(/negative/);
    expect(() => ctx.createRadialGradient(0, 0, -1, 0, 0, 1)).toThrow(/negative/);
    expect(() => ctx.createLinearGradient(0, 0, Number.NaN, 1)).toThrow(TypeError);
    expect(() => ctx.createLinearGradient(0, 0, 1, 1).addColorStop(1.5, 'red')).toThrow(/range/);
    expect(() => (ctx.strokeStyle = ctx.createLinearGradient(0, 0, 1, 1))).toThrow(/colors only/);
    expect(() => (ctx.fillStyle = { addColorStop() {} })).toThrow(TypeError);
    const images = Array.from({ length: 5 }, () => ({ width: 1, height: 1, data: new Uint8ClampedArray(4) }));
    for (const image of images.slice(0, 4)) ctx.drawImage(image, 0, 0);
    expect(() => ctx.drawImage(images[4]!, 0, 0)).toThrow(/at most 4 images/);
    expect(() => ctx.drawImage({ width: 2, height: 2, data: new Uint8ClampedArray(4) }, 0, 0)).toThrow(
      /needs 16 bytes/,
    );
    expect(() => ctx.drawImage({ width: 513, height: 1, data: new Uint8ClampedArray(513 * 4) }, 0, 0)).toThrow(/512/);
    ctx.reset();
    for (let i = 0; i < MAX_OPS; i++) ctx.beginPath();
    expect(() => ctx.fill()).toThrow(/at most 10000 paint ops/);
    expect(checker.check(ctx.finish())).toBe(true);
  });

  it('keeps its state like a canvas: getters, save and restore', () => {
    const ctx = new RecordingContext(0, 5000); // sides clamped to 1..2048
    expect([ctx.width, ctx.height]).toEqual([1, 2048]);
    ctx.fillStyle = 'red';
    ctx.font = '20px serif';
    ctx.save();
    ctx.fillStyle = 'blue';
    ctx.font = '30px serif';
    ctx.globalAlpha = 0.5;
    expect([ctx.fillStyle, ctx.font, ctx.globalAlpha]).toEqual(['blue', '30px serif', 0.5]);
    ctx.restore();
    expect([ctx.fillStyle, ctx.font, ctx.globalAlpha]).toEqual(['red', '20px serif', 1]);
    const list = ctx.finish();
    expect(list.ops.map((op) => op.op)).toEqual([
      'fillStyle',
      'font',
      'save',
      'fillStyle',
      'font',
      'globalAlpha',
      'restore',
    ]);
    expect(ctx.length).toBe(0); // finish starts a new recording
    expect(ctx.fillStyle).toBe('#000000');
  });
});
