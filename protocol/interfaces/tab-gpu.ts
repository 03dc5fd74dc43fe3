/**
 * Tab renderer <-> GPU process: the direct channel the browser process brokered.
 *
 * A tab records a display list and submits it; the GPU process replays it with Skia and answers with
 * the frame's pixels, which the tab composites onto its page. Implemented by the GPU process:
 * GpuChannel. By the tab: GpuChannelClient.
 */
import { errorCodes, type ErrorCodeOf } from '../rpc/errors.ts';
import { defineInterface, method } from '../rpc/interface.ts';
import { Bytes, Struct, Type } from '../rpc/schema.ts';
import { DisplayList, MAX_FRAME_SIDE } from './display-list.ts';

/**
 * GpuChannel's error codes (a CodedError's `code`). PAINT_OP_FAILED: rasterize met a paint operation
 * the canvas refused (e.g. a color that does not parse); the message names it.
 */
export const GpuChannelErrorCode = errorCodes('PAINT_OP_FAILED');
export type GpuChannelErrorCode = ErrorCodeOf<typeof GpuChannelErrorCode>;

export const Frame = Struct({
  width: Type.Integer({ minimum: 1, maximum: MAX_FRAME_SIDE }),
  height: Type.Integer({ minimum: 1, maximum: MAX_FRAME_SIDE }),
  /** RGBA, row by row (non-premultiplied, as ImageData). */
  pixels: Bytes(MAX_FRAME_SIDE * MAX_FRAME_SIDE * 4),
  /** Which GPU process drew it: changes when the GPU process restarts. */
  gpuPid: Type.Integer({ minimum: 1 }),
  /** Milliseconds spent replaying the list and reading the pixels back. */
  rasterMs: Type.Number({ minimum: 0 }),
});

export const GpuChannel = defineInterface({
  name: 'GpuChannel',
  methods: {
    /** Rasterizes one display list into a frame. A malformed list is a bad message. */
    rasterize: method(DisplayList, Frame),
  },
  events: {},
});

export const GpuChannelClient = defineInterface({
  name: 'GpuChannelClient',
  methods: {},
  events: {},
});
