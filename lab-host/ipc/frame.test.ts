import { describe, expect, it } from 'vitest';
import { controlFrame, FrameReader, FrameType, frameIntact, frameSeq, FrameWriter, fnv1a, SinkTally } from './frame.ts';

describe('FrameReader', () => {
  it('cuts frames back out of a stream however it was chunked', () => {
    const writer = new FrameWriter(100);
    const frames = [0, 1, 2, 3].map((seq) => Buffer.from(writer.stamp(FrameType.echo, seq)));
    const stream = Buffer.concat([...frames, controlFrame(FrameType.sinkEnd)]);
    for (const chunk of [1, 3, 7, 64, 99, 100, 101, 1000]) {
      const reader = new FrameReader();
      const out: Buffer[] = [];
      for (let at = 0; at < stream.length; at += chunk) out.push(...reader.push(stream.subarray(at, at + chunk)));
      expect(out.map((frame) => frameSeq(frame))).toEqual([0, 1, 2, 3, 0]);
      expect(Buffer.concat(out).equals(stream)).toBe(true);
    }
  });

  it('rejects a length no frame can have, rather than waiting for it', () => {
    const bad = Buffer.alloc(16);
    bad.writeUInt32LE(3, 0);
    expect(() => new FrameReader().push(bad)).toThrow(/corrupt stream: frame length 3/);
    bad.writeUInt32LE(0xffffffff, 0);
    expect(() => new FrameReader().push(bad)).toThrow(/corrupt stream/);
  });
});

describe('SinkTally', () => {
  it('counts gaps, out-of-order and torn frames, and checksums whole frames in order', () => {
    const writer = new FrameWriter(64);
    const frame = (seq: number) => Buffer.from(writer.stamp(FrameType.sink, seq));
    const tally = new SinkTally(true);
    let expected = 0x811c9dc5;
    for (const seq of [0, 1, 3, 2, 4]) {
      tally.take(frame(seq));
      expected = fnv1a(frame(seq), expected);
    }
    const torn = frame(5);
    torn.writeUInt32LE(6, torn.length - 4);
    expect(frameIntact(torn)).toBe(false);
    tally.take(torn);
    expect(tally.summary()).toEqual({ received: 6, gaps: 1, outOfOrder: 1, torn: 1, checksum: expected });
  });

  it('gives a different checksum when the same frames arrive in another order', () => {
    const writer = new FrameWriter(64);
    const sum = (order: number[]) =>
      order.reduce((hash, seq) => fnv1a(writer.stamp(FrameType.sink, seq), hash), 0x811c9dc5);
    expect(sum([0, 1, 2])).not.toBe(sum([0, 2, 1]));
  });
});
