/**
 * Replays a display list on a Canvas 2D context: in the GPU process on @napi-rs/canvas (Skia), and
 * in a tab page on its own DOM canvas when the browser falls back to software compositing. One
 * function for both, so the two paths cannot draw differently; the context is typed structurally
 * (`Canvas2DLike`), which keeps this folder free of DOM and native-module types.
 */
import type { DisplayList, ImageData, PaintOp } from '../interfaces/display-list.ts';
import { GpuChannelErrorCode } from '../interfaces/tab-gpu.ts';
import { CodedError } from '../rpc/errors.ts';

/** A gradient, as `createLinearGradient` / `createRadialGradient` return it. */
export interface CanvasGradientLike {
  addColorStop(offset: number, color: string): void;
}

type TextAlign = Extract<PaintOp, { op: 'textAlign' }>['align'];

/**
 * The part of a Canvas 2D context that replay uses. A DOM `CanvasRenderingContext2D` and
 * @napi-rs/canvas's `SKRSContext2D` both fit. `Image` is what the caller's `makeImage` returns and
 * `drawImage` accepts: a canvas, in both runtimes.
 */
export interface Canvas2DLike<Image> {
  /** Back to the initial state: transparent pixels, identity transform, default styles, no clip, empty stack. */
  reset(): void;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  scale(x: number, y: number): void;
  globalAlpha: number;
  // Read as anything (a DOM context also holds patterns there); written as a color or a gradient.
  get fillStyle(): unknown;
  set fillStyle(style: string | CanvasGradientLike);
  get strokeStyle(): unknown;
  set strokeStyle(style: string | CanvasGradientLike);
  createLinearGradient(x0: number, y0: number, x1: number, y1: number): CanvasGradientLike;
  createRadialGradient(x0: number, y0: number, r0: number, x1: number, y1: number, r1: number): CanvasGradientLike;
  lineWidth: number;
  font: string;
  textAlign: TextAlign;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void;
  bezierCurveTo(cp1x: number, cp1y: number, cp2x: number, cp2y: number, x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number, counterclockwise?: boolean): void;
  rect(x: number, y: number, w: number, h: number): void;
  fill(): void;
  stroke(): void;
  clip(): void;
  fillText(text: string, x: number, y: number): void;
  drawImage(image: Image, dx: number, dy: number, dw: number, dh: number): void;
}

/** Turns one of the list's images (RGBA pixels) into something the context can draw. */
export type MakeImage<Image> = (image: ImageData) => Image;

/** A paint operation the canvas refused (e.g. a gradient stop whose color does not parse). */
export class ReplayError extends CodedError<typeof GpuChannelErrorCode.PAINT_OP_FAILED> {
  override readonly name = 'ReplayError';
  constructor(
    readonly opIndex: number,
    readonly op: string,
    cause: unknown,
  ) {
    // The code is for callers across a channel: the one a RemoteError carries.
    super(
      GpuChannelErrorCode.PAINT_OP_FAILED,
      `paint op ${opIndex} (${op}) failed: ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
}

/**
 * Draws every op of `list` on `ctx`, from a clean state: the context is reset first (transparent
 * pixels, identity transform, default styles), so nothing leaks from one frame into the next. The
 * canvas should be `list.width` x `list.height`. Images are made with `makeImage` when an op first
 * draws them, once per replay. Throws a ReplayError naming the op the canvas refused.
 */
export function replayDisplayList<Image>(
  ctx: Canvas2DLike<Image>,
  list: DisplayList,
  makeImage: MakeImage<Image>,
): void {
  ctx.reset();
  const { ops } = list;
  const made: (Image | undefined)[] = [];
  let index = 0;
  // One try around the loop rather than one per op: no per-op cost on the hot path.
  try {
    for (; index < ops.length; index++) {
      const op = ops[index]!;
      switch (op.op) {
        case 'save':
          ctx.save();
          break;
        case 'restore':
          ctx.restore();
          break;
        case 'translate':
          ctx.translate(op.x, op.y);
          break;
        case 'rotate':
          ctx.rotate(op.angle);
          break;
        case 'scale':
          ctx.scale(op.x, op.y);
          break;
        case 'globalAlpha':
          ctx.globalAlpha = op.alpha;
          break;
        case 'fillStyle':
          ctx.fillStyle = op.color;
          break;
        case 'strokeStyle':
          ctx.strokeStyle = op.color;
          break;
        case 'linearGradient': {
          const gradient = ctx.createLinearGradient(op.x0, op.y0, op.x1, op.y1);
          for (const stop of op.stops) gradient.addColorStop(stop.offset, stop.color);
          ctx.fillStyle = gradient;
          break;
        }
        case 'radialGradient': {
          const gradient = ctx.createRadialGradient(op.x0, op.y0, op.r0, op.x1, op.y1, op.r1);
          for (const stop of op.stops) gradient.addColorStop(stop.offset, stop.color);
          ctx.fillStyle = gradient;
          break;
        }
        case 'lineWidth':
          ctx.lineWidth = op.width;
          break;
        case 'font':
          ctx.font = op.font;
          break;
        case 'textAlign':
          ctx.textAlign = op.align;
          break;
        case 'fillRect':
          ctx.fillRect(op.x, op.y, op.w, op.h);
          break;
        case 'strokeRect':
          ctx.strokeRect(op.x, op.y, op.w, op.h);
          break;
        case 'clearRect':
          ctx.clearRect(op.x, op.y, op.w, op.h);
          break;
        case 'beginPath':
          ctx.beginPath();
          break;
        case 'closePath':
          ctx.closePath();
          break;
        case 'moveTo':
          ctx.moveTo(op.x, op.y);
          break;
        case 'lineTo':
          ctx.lineTo(op.x, op.y);
          break;
        case 'quadraticCurveTo':
          ctx.quadraticCurveTo(op.cpx, op.cpy, op.x, op.y);
          break;
        case 'bezierCurveTo':
          ctx.bezierCurveTo(op.cp1x, op.cp1y, op.cp2x, op.cp2y, op.x, op.y);
          break;
        case 'arc':
          ctx.arc(op.x, op.y, op.r, op.start, op.end, op.ccw ?? false);
          break;
        case 'rect':
          ctx.rect(op.x, op.y, op.w, op.h);
          break;
        case 'fill':
          ctx.fill();
          break;
        case 'stroke':
          ctx.stroke();
          break;
        case 'clip':
          ctx.clip();
          break;
        case 'fillText':
          ctx.fillText(op.text, op.x, op.y);
          break;
        case 'drawImage': {
          const source = list.images?.[op.image];
          if (!source) throw new Error(`images[${op.image}] is not in the list`);
          const image = (made[op.image] ??= makeImage(source));
          // Natural size unless the list scales it (a missing side keeps its natural length).
          ctx.drawImage(image, op.x, op.y, op.w ?? source.width, op.h ?? source.height);
          break;
        }
        default:
          throw new Error(`unknown paint op ${JSON.stringify((op as { op: unknown }).op)}`);
      }
    }
  } catch (error) {
    throw new ReplayError(index, ops[index]?.op ?? '?', error);
  }
}
