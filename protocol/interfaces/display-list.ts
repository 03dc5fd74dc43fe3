/**
 * A display list: what a tab records instead of drawing, as Chrome's renderers record paint
 * operations for out-of-process rasterization. A subset of the Canvas 2D API, one struct per call.
 * The GPU process replays it with Skia; in software compositing the tab replays it on its own canvas
 * (protocol/paint/replay.ts, the same function in both places).
 */
import { Bytes, Struct, Type, Variant, type Static } from '../rpc/schema.ts';

const Num = Type.Number();
const Color = Type.String({ maxLength: 64 });
export const MAX_FRAME_SIDE = 2048;
export const MAX_OPS = 10_000;
export const MAX_IMAGES = 4;
const MAX_IMAGE_SIDE = 512;

const GradientStops = Type.Array(Struct({ offset: Type.Number({ minimum: 0, maximum: 1 }), color: Color }), {
  minItems: 1,
  maxItems: 16,
});

const op = <const Name extends string, const P extends Parameters<typeof Struct>[0]>(name: Name, properties: P) =>
  Struct({ op: Type.Literal(name), ...properties });

export const PaintOp = Variant('op', [
  op('save', {}),
  op('restore', {}),
  op('translate', { x: Num, y: Num }),
  op('rotate', { angle: Num }),
  op('scale', { x: Num, y: Num }),
  op('globalAlpha', { alpha: Type.Number({ minimum: 0, maximum: 1 }) }),
  op('fillStyle', { color: Color }),
  op('strokeStyle', { color: Color }),
  /** Sets the fill style to a linear gradient from (x0, y0) to (x1, y1). */
  op('linearGradient', { x0: Num, y0: Num, x1: Num, y1: Num, stops: GradientStops }),
  /** Sets the fill style to a radial gradient between two circles. */
  op('radialGradient', {
    x0: Num,
    y0: Num,
    r0: Type.Number({ minimum: 0 }),
    x1: Num,
    y1: Num,
    r1: Type.Number({ minimum: 0 }),
    stops: GradientStops,
  }),
  op('lineWidth', { width: Type.Number({ minimum: 0, maximum: 1000 }) }),
  op('font', { font: Type.String({ maxLength: 128 }) }),
  op('textAlign', {
    align: Type.Union([
      Type.Literal('left'),
      Type.Literal('right'),
      Type.Literal('center'),
      Type.Literal('start'),
      Type.Literal('end'),
    ]),
  }),
  op('fillRect', { x: Num, y: Num, w: Num, h: Num }),
  op('strokeRect', { x: Num, y: Num, w: Num, h: Num }),
  op('clearRect', { x: Num, y: Num, w: Num, h: Num }),
  op('beginPath', {}),
  op('closePath', {}),
  op('moveTo', { x: Num, y: Num }),
  op('lineTo', { x: Num, y: Num }),
  op('quadraticCurveTo', { cpx: Num, cpy: Num, x: Num, y: Num }),
  op('bezierCurveTo', { cp1x: Num, cp1y: Num, cp2x: Num, cp2y: Num, x: Num, y: Num }),
  op('arc', {
    x: Num,
    y: Num,
    r: Type.Number({ minimum: 0 }),
    start: Num,
    end: Num,
    ccw: Type.Optional(Type.Boolean()),
  }),
  op('rect', { x: Num, y: Num, w: Num, h: Num }),
  op('fill', {}),
  op('stroke', {}),
  op('clip', {}),
  op('fillText', { text: Type.String({ maxLength: 256 }), x: Num, y: Num }),
  /** Draws `images[image]` of the display list at (x, y), scaled to w x h when given. */
  op('drawImage', {
    image: Type.Integer({ minimum: 0, maximum: MAX_IMAGES - 1 }),
    x: Num,
    y: Num,
    w: Type.Optional(Num),
    h: Type.Optional(Num),
  }),
]);
export type PaintOp = Static<typeof PaintOp>;

/** RGBA pixels, row by row, 4 bytes a pixel: `data` holds exactly width x height x 4 bytes. */
export const ImageData = Type.Refine(
  Struct({
    width: Type.Integer({ minimum: 1, maximum: MAX_IMAGE_SIDE }),
    height: Type.Integer({ minimum: 1, maximum: MAX_IMAGE_SIDE }),
    data: Bytes(MAX_IMAGE_SIDE * MAX_IMAGE_SIDE * 4),
  }),
  (image) => image.data.byteLength === image.width * image.height * 4,
  (image) =>
    `data must hold width x height x 4 = ${image.width * image.height * 4} bytes, not ${image.data?.byteLength}`,
);
export type ImageData = Static<typeof ImageData>;

export const DisplayList = Type.Refine(
  Struct({
    width: Type.Integer({ minimum: 1, maximum: MAX_FRAME_SIDE }),
    height: Type.Integer({ minimum: 1, maximum: MAX_FRAME_SIDE }),
    ops: Type.Array(PaintOp, { maxItems: MAX_OPS }),
    /** Images that `drawImage` ops refer to by index. */
    images: Type.Optional(Type.Array(ImageData, { maxItems: MAX_IMAGES })),
  }),
  // Every drawImage refers to an image the list carries.
  (list) => missingImage(list) < 0,
  (list) => {
    const index = missingImage(list);
    const op = list.ops[index] as { image: number };
    return `/ops/${index}/image ${op.image} is out of range: the list carries ${list.images?.length ?? 0} image(s)`;
  },
);
export type DisplayList = Static<typeof DisplayList>;

/** The index of the first drawImage op whose image the list does not carry, or -1. */
function missingImage(list: { ops: readonly PaintOp[]; images?: readonly unknown[] | undefined }): number {
  const count = list.images?.length ?? 0;
  for (let index = 0; index < list.ops.length; index++) {
    const op = list.ops[index]!;
    if (op.op === 'drawImage' && op.image >= count) return index;
  }
  return -1;
}
