/**
 * Out-of-process rasterization: replays a tab's display list with Skia (@napi-rs/canvas) and reads
 * the pixels back as a Frame. The one place @napi-rs/canvas is loaded, so only the GPU process pays
 * for the native module.
 */
import { createCanvas, ImageData as SkiaImageData, type Canvas } from '@napi-rs/canvas';
import type { DisplayList, ImageData } from '../protocol/interfaces/display-list.ts';
import type { Frame } from '../protocol/interfaces/tab-gpu.ts';
import { replayDisplayList } from '../protocol/paint/replay.ts';
import type { Static } from '../protocol/rpc/schema.ts';

export type FrameData = Static<typeof Frame>;

/** One of the list's images as a canvas, the drawable @napi-rs/canvas's drawImage takes. */
export function makeSkiaImage(image: ImageData): Canvas {
  const canvas = createCanvas(image.width, image.height);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  canvas.getContext('2d').putImageData(new SkiaImageData(pixels, image.width, image.height), 0, 0);
  return canvas;
}

export class Rasterizer {
  /** Kept between frames of the same size: replay resets its context, so nothing carries over. */
  private canvas: Canvas | undefined;

  constructor(private readonly gpuPid: number) {}

  /** Draws `list` and reads its pixels back. Throws a ReplayError naming an op Skia refused. */
  rasterize(list: DisplayList): FrameData {
    const start = performance.now();
    const { width, height } = list;
    if (this.canvas?.width !== width || this.canvas.height !== height) this.canvas = createCanvas(width, height);
    const ctx = this.canvas.getContext('2d');
    replayDisplayList(ctx, list, makeSkiaImage);
    const { data } = ctx.getImageData(0, 0, width, height);
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { width, height, pixels, gpuPid: this.gpuPid, rasterMs: performance.now() - start };
  }
}
