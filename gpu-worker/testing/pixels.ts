/** Pixel comparisons and PNG artifacts for the GPU process's tests. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, ImageData as SkiaImageData, type Canvas } from '@napi-rs/canvas';
import type { DisplayList, ImageData } from '../../protocol/interfaces/display-list.ts';
import { replayDisplayList } from '../../protocol/paint/replay.ts';

export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** RGBA, non-premultiplied. */
  readonly pixels: Uint8Array;
}

/** Where frames are written for a person to look at (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-results/gpu/', import.meta.url));

function toCanvas(image: ImageData): Canvas {
  const canvas = createCanvas(image.width, image.height);
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  canvas.getContext('2d').putImageData(new SkiaImageData(data, image.width, image.height), 0, 0);
  return canvas;
}

/** The list replayed here, in this process, the way a tab does in software compositing. */
export function replayHere(list: DisplayList): Pixels {
  const ctx = createCanvas(list.width, list.height).getContext('2d');
  replayDisplayList(ctx, list, toCanvas);
  const { data } = ctx.getImageData(0, 0, list.width, list.height);
  return {
    width: list.width,
    height: list.height,
    pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** The share of pixels whose channels differ by more than `tolerance` in any channel. */
export function mismatch(a: Pixels, b: Pixels, tolerance = 8): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differing = 0;
  for (let i = 0; i < a.pixels.length; i += 4) {
    for (let c = 0; c < 4; c++) {
      if (Math.abs(a.pixels[i + c]! - b.pixels[i + c]!) > tolerance) {
        differing++;
        break;
      }
    }
  }
  return differing / (a.width * a.height);
}

/** What a frame shows: the share of pixels that are not fully transparent, and how many colors. */
export function inkOf(frame: Pixels): { covered: number; colors: number } {
  let covered = 0;
  const colors = new Set<number>();
  const view = new DataView(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength);
  for (let i = 0; i < frame.pixels.length; i += 4) {
    if (frame.pixels[i + 3] !== 0) covered++;
    if (colors.size < 1000) colors.add(view.getUint32(i));
  }
  return { covered: covered / (frame.width * frame.height), colors: colors.size };
}

/** Writes `frame` as `test-results/gpu/<name>.png`; returns the path. */
export async function writePng(name: string, frame: Pixels): Promise<string> {
  const canvas = createCanvas(frame.width, frame.height);
  const data = new Uint8ClampedArray(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength);
  canvas.getContext('2d').putImageData(new SkiaImageData(data, frame.width, frame.height), 0, 0);
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await writeFile(file, await canvas.encode('png'));
  return file;
}
