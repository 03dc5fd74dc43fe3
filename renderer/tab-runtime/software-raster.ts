/**
 * Replays a display list on a DOM canvas: software compositing (the page rasterizes its own list,
 * with the same replay function the GPU process uses) and plugins' display-list content.
 */
import type { DisplayList, ImageData as ListImage } from '../../protocol/interfaces/display-list.ts';
import { replayDisplayList } from '../../protocol/paint/replay.ts';

/** Sizes `canvas` to the list (only when it differs: resizing clears it) and replays the list on it. */
export function replayOnCanvas(canvas: HTMLCanvasElement, list: DisplayList): void {
  if (canvas.width !== list.width) canvas.width = list.width;
  if (canvas.height !== list.height) canvas.height = list.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This canvas has no 2D context');
  replayDisplayList(context, list, makeImage);
}

/** Draws a frame's RGBA pixels onto `canvas` as they are (hardware compositing's last step). */
export function putPixels(canvas: HTMLCanvasElement, width: number, height: number, pixels: Uint8Array): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This canvas has no 2D context');
  context.putImageData(
    new ImageData(
      new Uint8ClampedArray(pixels.buffer as ArrayBuffer, pixels.byteOffset, pixels.byteLength),
      width,
      height,
    ),
    0,
    0,
  );
}

/** One of the list's images as a canvas `drawImage` accepts. */
function makeImage(image: ListImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  putPixels(canvas, image.width, image.height, image.data);
  return canvas;
}
