/**
 * The one message format every kind carries, so every kind is checked the same way:
 *
 *   u32 length (whole frame) | u8 type | u8 pad | u16 pad | u32 seq | payload ... | u32 seq (trailer)
 *
 * little-endian. The payload is a seeded pattern fixed per size, so a receiver can check a message
 * without the sender's help; the seq at both ends shows a message torn between two writes.
 */
import type { SinkSummary } from '../../protocol/labs/ipc-result.ts';
export const HEADER_BYTES = 12;
export const TRAILER_BYTES = 4;
export const MIN_FRAME_BYTES = HEADER_BYTES + TRAILER_BYTES;
/** Largest frame any kind accepts (1 MiB of message plus room): a bigger length is a corrupt stream. */
export const MAX_FRAME_BYTES = (1 << 20) + 4096;

export const FrameType = {
  /** The peer sends it straight back. */
  echo: 1,
  /** The peer checks and counts it, and answers nothing. */
  sink: 2,
  /** Ends a sink run: the peer answers with a `summary` frame. */
  sinkEnd: 3,
  /** The peer's tally of a sink run, JSON in the payload. */
  summary: 4,
  /** The peer's first frame: its end of the channel is open. */
  ready: 5,
  /** The peer closes its end and exits. */
  close: 6,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** A pattern of `size` bytes from a seed (xorshift32): the same on both sides, different per size. */
export function patternBytes(size: number, seed = 0x9e3779b9): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let x = (seed ^ size) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/**
 * Makes frames of one size cheaply: the pattern is copied once, then only the type and seq change
 * (the same Buffer is reused; a sender that keeps frames must copy them).
 */
export class FrameWriter {
  readonly frame: Buffer;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < MIN_FRAME_BYTES || size > MAX_FRAME_BYTES) {
      throw new RangeError(`frame size ${size} outside ${MIN_FRAME_BYTES}..${MAX_FRAME_BYTES}`);
    }
    this.frame = patternBytes(size);
    this.frame.writeUInt32LE(size, 0);
    this.frame.writeUInt32LE(0, 4);
  }

  /** The frame for `seq` (the shared buffer, rewritten). */
  stamp(type: FrameType, seq: number): Buffer {
    this.frame[4] = type;
    this.frame.writeUInt32LE(seq >>> 0, 8);
    this.frame.writeUInt32LE(seq >>> 0, this.size - TRAILER_BYTES);
    return this.frame;
  }
}

export function controlFrame(type: FrameType, body: Buffer = Buffer.alloc(0), seq = 0): Buffer {
  const frame = Buffer.alloc(MIN_FRAME_BYTES + body.length);
  frame.writeUInt32LE(frame.length, 0);
  frame[4] = type;
  frame.writeUInt32LE(seq, 8);
  body.copy(frame, HEADER_BYTES);
  frame.writeUInt32LE(seq, frame.length - TRAILER_BYTES);
  return frame;
}

export const frameType = (frame: Buffer): number => frame[4]!;
export const frameSeq = (frame: Buffer): number => frame.readUInt32LE(8);
export const frameBody = (frame: Buffer): Buffer => frame.subarray(HEADER_BYTES, frame.length - TRAILER_BYTES);

/** Whether header and trailer agree on the seq: false for a frame two writes tore apart. */
export const frameIntact = (frame: Buffer): boolean =>
  frame.length >= MIN_FRAME_BYTES &&
  frame.readUInt32LE(0) === frame.length &&
  frame.readUInt32LE(8) === frame.readUInt32LE(frame.length - TRAILER_BYTES);

/** FNV-1a over bytes, continued from `hash`: the run checksum both ends compute. */
export function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Cuts a byte stream (pipe, FIFO, socket, file, message-queue fragments) back into frames.
 * A length outside MIN..MAX is a corrupt stream: an error, never a guess.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) return frames;
      const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.merge();
      const length = head.readUInt32LE(0);
      if (length < MIN_FRAME_BYTES || length > MAX_FRAME_BYTES) {
        throw new Error(`corrupt stream: frame length ${length}`);
      }
      if (this.buffered < length) return frames;
      const all = this.chunks.length === 1 ? this.chunks[0]! : this.merge();
      frames.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
  }

  private merge(): Buffer {
    const merged = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [merged];
    return merged;
  }
}

export type { SinkSummary };

/** The peer's side of a sink run. */
export class SinkTally {
  private next = 0;
  private counts = { received: 0, gaps: 0, outOfOrder: 0, torn: 0 };
  private checksum: number;

  constructor(private readonly verify: boolean) {
    this.checksum = 0x811c9dc5;
  }

  take(frame: Buffer): void {
    this.counts.received++;
    if (!frameIntact(frame)) {
      this.counts.torn++;
      return;
    }
    const seq = frameSeq(frame);
    if (seq > this.next) this.counts.gaps += seq - this.next;
    if (seq < this.next) this.counts.outOfOrder++;
    else this.next = seq + 1;
    if (this.verify) this.checksum = fnv1a(frame, this.checksum);
  }

  summary(): SinkSummary {
    return { ...this.counts, checksum: this.verify ? this.checksum : null };
  }
}
