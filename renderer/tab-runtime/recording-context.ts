/**
 * A Canvas 2D context that records instead of drawing, as Chrome's renderers record paint operations
 * for out-of-process rasterization: every call appends a PaintOp (protocol/interfaces/display-list.ts)
 * and `finish()` hands back the DisplayList, which the GPU process (or, in software compositing, the
 * page itself) replays with protocol/paint/replay.ts.
 *
 * It implements the same Canvas2DLike subset replay draws on, so one paint function can draw on a
 * real context or record. It keeps to the DOM's rules where the schema would otherwise be broken:
 * calls with non-finite numbers and out-of-range settings are ignored as a DOM context ignores them,
 * a negative radius throws IndexSizeError, and limits the protocol sets (ops, images, text length)
 * are enforced here, so every list it produces is valid. No DOM at module level: unit tests run it
 * in Node.
 */
import {
  MAX_FRAME_SIDE,
  MAX_IMAGES,
  MAX_OPS,
  type DisplayList,
  type PaintOp,
} from '../../protocol/interfaces/display-list.ts';
import type { Canvas2DLike, CanvasGradientLike } from '../../protocol/paint/replay.ts';

type TextAlign = Extract<PaintOp, { op: 'textAlign' }>['align'];
type GradientStop = { offset: number; color: string };

const MAX_COLOR = 64;
const MAX_FONT = 128;
const MAX_TEXT = 256;
const MAX_STOPS = 16;
const MAX_LINE_WIDTH = 1000;
const MAX_IMAGE_SIDE = 512;
const TEXT_ALIGNS: ReadonlySet<string> = new Set(['left', 'right', 'center', 'start', 'end']);

/** Pixels a list can carry for `drawImage`: RGBA row by row, as a DOM ImageData holds them. */
export interface RecordableImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** A gradient made by a RecordingContext; it becomes an op when assigned to `fillStyle`. */
export class RecordedGradient implements CanvasGradientLike {
  readonly stops: GradientStop[] = [];
  constructor(readonly spec: Extract<PaintOp, { op: 'linearGradient' | 'radialGradient' }>) {}

  addColorStop(offset: number, color: string): void {
    if (!Number.isFinite(offset) || offset < 0 || offset > 1) {
      throw new DOMException(`The offset ${offset} is outside the range [0, 1]`, 'IndexSizeError');
    }
    if (typeof color !== 'string' || color.length > MAX_COLOR)
      throw new DOMException(`"${String(color).slice(0, 80)}" is not a color`, 'SyntaxError');
    if (this.stops.length >= MAX_STOPS) throw new RangeError(`A gradient carries at most ${MAX_STOPS} color stops`);
    this.stops.push({ offset, color });
  }
}

interface State {
  fillStyle: string | RecordedGradient;
  strokeStyle: string;
  globalAlpha: number;
  lineWidth: number;
  font: string;
  textAlign: TextAlign;
}

const INITIAL_STATE: State = {
  fillStyle: '#000000',
  strokeStyle: '#000000',
  globalAlpha: 1,
  lineWidth: 1,
  font: '10px sans-serif',
  textAlign: 'start',
};

const finite = (...values: number[]) => values.every(Number.isFinite);

/**
 * What a page paints on: the Canvas 2D subset of a display list, without images. A
 * RecordingContext fits, and so do a DOM context and @napi-rs/canvas's (for comparisons).
 */
export type PaintContext = Omit<Canvas2DLike<never>, 'drawImage' | 'reset'>;

export class RecordingContext implements Canvas2DLike<RecordableImage> {
  readonly width: number;
  readonly height: number;
  private ops: PaintOp[] = [];
  private images: RecordableImage[] = [];
  private state: State = { ...INITIAL_STATE };
  private stack: State[] = [];

  /** A recording for a `width` x `height` frame (clamped to 1..MAX_FRAME_SIDE). */
  constructor(width: number, height: number) {
    this.width = clampSide(width);
    this.height = clampSide(height);
  }

  /** The ops recorded so far. */
  get length(): number {
    return this.ops.length;
  }

  /** Hands back the display list and starts a new, empty recording. */
  finish(): DisplayList {
    const { width, height, ops, images } = this;
    this.reset();
    if (images.length === 0) return { width, height, ops };
    return {
      width,
      height,
      ops,
      images: images.map((image) => ({
        width: image.width,
        height: image.height,
        // The schema carries bytes as Uint8Array (a DOM ImageData holds a Uint8ClampedArray): a view, not a copy.
        data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
      })),
    };
  }

  private push(op: PaintOp): void {
    if (this.ops.length >= MAX_OPS) throw new RangeError(`A display list holds at most ${MAX_OPS} paint ops`);
    this.ops.push(op);
  }

  // ---- state -------------------------------------------------------------------------------------

  /** Starts the recording over (no ops, no images, default state), as `ctx.reset()` clears a canvas. */
  reset(): void {
    this.ops = [];
    this.images = [];
    this.state = { ...INITIAL_STATE };
    this.stack = [];
  }

  save(): void {
    this.push({ op: 'save' });
    this.stack.push({ ...this.state });
  }

  restore(): void {
    const saved = this.stack.pop();
    if (!saved) return; // as on a canvas: a restore without a save does nothing
    this.push({ op: 'restore' });
    this.state = saved;
  }

  translate(x: number, y: number): void {
    if (finite(x, y)) this.push({ op: 'translate', x, y });
  }

  rotate(angle: number): void {
    if (finite(angle)) this.push({ op: 'rotate', angle });
  }

  scale(x: number, y: number): void {
    if (finite(x, y)) this.push({ op: 'scale', x, y });
  }

  get globalAlpha(): number {
    return this.state.globalAlpha;
  }
  set globalAlpha(alpha: number) {
    if (!finite(alpha) || alpha < 0 || alpha > 1) return;
    this.state.globalAlpha = alpha;
    this.push({ op: 'globalAlpha', alpha });
  }

  get fillStyle(): string | RecordedGradient {
    return this.state.fillStyle;
  }
  set fillStyle(style: string | CanvasGradientLike) {
    if (typeof style === 'string') {
      if (style.length > MAX_COLOR) return; // no color is that long: ignored, as an unparsable color is
      this.state.fillStyle = style;
      this.push({ op: 'fillStyle', color: style });
      return;
    }
    if (!(style instanceof RecordedGradient))
      throw new TypeError('fillStyle takes a color or a gradient made by this context');
    this.state.fillStyle = style;
    // A gradient without stops paints transparent black. Stops added after this point are not seen:
    // the op carries the stops at the time of assignment.
    if (style.stops.length === 0) this.push({ op: 'fillStyle', color: 'rgba(0, 0, 0, 0)' });
    else this.push({ ...style.spec, stops: style.stops.map((stop) => ({ ...stop })) });
  }

  get strokeStyle(): string {
    return this.state.strokeStyle;
  }
  set strokeStyle(style: string | CanvasGradientLike) {
    if (typeof style !== 'string')
      throw new TypeError('A display list strokes with colors only (gradients are fill styles)');
    if (style.length > MAX_COLOR) return;
    this.state.strokeStyle = style;
    this.push({ op: 'strokeStyle', color: style });
  }

  createLinearGradient(x0: number, y0: number, x1: number, y1: number): RecordedGradient {
    if (!finite(x0, y0, x1, y1)) throw new TypeError('createLinearGradient takes finite numbers');
    return new RecordedGradient({ op: 'linearGradient', x0, y0, x1, y1, stops: [] });
  }

  createRadialGradient(x0: number, y0: number, r0: number, x1: number, y1: number, r1: number): RecordedGradient {
    if (!finite(x0, y0, r0, x1, y1, r1)) throw new TypeError('createRadialGradient takes finite numbers');
    if (r0 < 0 || r1 < 0)
      throw new DOMException(`The radius provided (${Math.min(r0, r1)}) is negative`, 'IndexSizeError');
    return new RecordedGradient({ op: 'radialGradient', x0, y0, r0, x1, y1, r1, stops: [] });
  }

  get lineWidth(): number {
    return this.state.lineWidth;
  }
  /** Ignored unless positive and finite, as on a canvas; at most 1000 (the protocol's limit). */
  set lineWidth(width: number) {
    if (!finite(width) || width <= 0) return;
    const clamped = Math.min(width, MAX_LINE_WIDTH);
    this.state.lineWidth = clamped;
    this.push({ op: 'lineWidth', width: clamped });
  }

  get font(): string {
    return this.state.font;
  }
  set font(font: string) {
    if (typeof font !== 'string' || font.length === 0 || font.length > MAX_FONT) return;
    this.state.font = font;
    this.push({ op: 'font', font });
  }

  get textAlign(): TextAlign {
    return this.state.textAlign;
  }
  set textAlign(align: TextAlign) {
    if (!TEXT_ALIGNS.has(align)) return;
    this.state.textAlign = align;
    this.push({ op: 'textAlign', align });
  }

  // ---- drawing -----------------------------------------------------------------------------------

  fillRect(x: number, y: number, w: number, h: number): void {
    if (finite(x, y, w, h)) this.push({ op: 'fillRect', x, y, w, h });
  }

  strokeRect(x: number, y: number, w: number, h: number): void {
    if (finite(x, y, w, h)) this.push({ op: 'strokeRect', x, y, w, h });
  }

  clearRect(x: number, y: number, w: number, h: number): void {
    if (finite(x, y, w, h)) this.push({ op: 'clearRect', x, y, w, h });
  }

  beginPath(): void {
    this.push({ op: 'beginPath' });
  }

  closePath(): void {
    this.push({ op: 'closePath' });
  }

  moveTo(x: number, y: number): void {
    if (finite(x, y)) this.push({ op: 'moveTo', x, y });
  }

  lineTo(x: number, y: number): void {
    if (finite(x, y)) this.push({ op: 'lineTo', x, y });
  }

  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void {
    if (finite(cpx, cpy, x, y)) this.push({ op: 'quadraticCurveTo', cpx, cpy, x, y });
  }

  bezierCurveTo(cp1x: number, cp1y: number, cp2x: number, cp2y: number, x: number, y: number): void {
    if (finite(cp1x, cp1y, cp2x, cp2y, x, y)) this.push({ op: 'bezierCurveTo', cp1x, cp1y, cp2x, cp2y, x, y });
  }

  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number, counterclockwise?: boolean): void {
    if (!finite(x, y, radius, startAngle, endAngle)) return;
    if (radius < 0) throw new DOMException(`The radius provided (${radius}) is negative`, 'IndexSizeError');
    const op = { op: 'arc', x, y, r: radius, start: startAngle, end: endAngle } as const;
    this.push(counterclockwise ? { ...op, ccw: true } : op);
  }

  rect(x: number, y: number, w: number, h: number): void {
    if (finite(x, y, w, h)) this.push({ op: 'rect', x, y, w, h });
  }

  fill(): void {
    this.push({ op: 'fill' });
  }

  stroke(): void {
    this.push({ op: 'stroke' });
  }

  clip(): void {
    this.push({ op: 'clip' });
  }

  /** Text longer than the protocol's 256 characters is cut there. No `maxWidth`. */
  fillText(text: string, x: number, y: number): void {
    if (!finite(x, y)) return;
    this.push({ op: 'fillText', text: String(text).slice(0, MAX_TEXT), x, y });
  }

  /**
   * Draws RGBA pixels (a DOM ImageData fits) at (x, y), scaled to w x h when both are given. The
   * list carries each distinct image once (at most 4, each at most 512 x 512).
   */
  drawImage(image: RecordableImage, x: number, y: number, w?: number, h?: number): void {
    const scaled = w !== undefined && h !== undefined;
    if (!finite(x, y) || (scaled && !finite(w, h))) return;
    let index = this.images.indexOf(image);
    if (index < 0) {
      checkImage(image);
      if (this.images.length >= MAX_IMAGES) throw new RangeError(`A display list carries at most ${MAX_IMAGES} images`);
      index = this.images.push(image) - 1;
    }
    this.push(scaled ? { op: 'drawImage', image: index, x, y, w, h } : { op: 'drawImage', image: index, x, y });
  }
}

/** Records what `paint` draws on a `width` x `height` frame. */
export function recordDisplayList(
  width: number,
  height: number,
  paint: (context: RecordingContext) => void,
): DisplayList {
  const context = new RecordingContext(width, height);
  paint(context);
  return context.finish();
}

function clampSide(side: number): number {
  return Number.isFinite(side) ? Math.min(MAX_FRAME_SIDE, Math.max(1, Math.round(side))) : 1;
}

function checkImage(image: RecordableImage): void {
  const { width, height, data } = image;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width > MAX_IMAGE_SIDE ||
    height > MAX_IMAGE_SIDE
  ) {
    throw new RangeError(`An image in a display list is 1..${MAX_IMAGE_SIDE} pixels a side, not ${width} x ${height}`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray) || data.byteLength !== width * height * 4) {
    throw new RangeError(`An image of ${width} x ${height} needs ${width * height * 4} bytes of RGBA`);
  }
}
