/**
 * What a reader sees through a ring without the handshake: each message taken whole, torn (its
 * header and trailer written by two different sends), read twice, or never.
 */
import { frameIntact, frameSeq } from './frame.ts';

export interface TearSummary {
  /** Reads made (every copy out of the ring, good or bad). */
  readonly reads: number;
  readonly intact: number;
  readonly torn: number;
  /** Intact reads of a message already read. */
  readonly duplicates: number;
  /** Distinct messages read intact. */
  readonly distinct: number;
}

export class TearTally {
  private readonly seen = new Set<number>();
  private counts = { reads: 0, intact: 0, torn: 0, duplicates: 0 };

  take(frame: Buffer): void {
    this.counts.reads++;
    if (!frameIntact(frame)) {
      this.counts.torn++;
      return;
    }
    this.counts.intact++;
    const seq = frameSeq(frame);
    if (this.seen.has(seq)) this.counts.duplicates++;
    else this.seen.add(seq);
  }

  summary(): TearSummary {
    return { ...this.counts, distinct: this.seen.size };
  }
}
