/**
 * The IPC inspector's data path: the last `capacity` trace records of the browser process's
 * endpoints (every message it sends or receives), numbered, in a ring buffer the UI pages through
 * with `since(seq)`, copied in from the tracer's batches (`since()` flushes the tracer first, so a
 * page holds every message until then). Tracing costs every endpoint a staged record per message, so
 * the buffer subscribes to the tracer only while someone reads: `since()` starts it, and it stops
 * `idleTimeoutMs` after the last read. What recording costs while someone reads: bench/tracing.bench.ts (`npm run bench:tracing`).
 */
import {
  TRACE_PAGE,
  TracePageEncoder,
  type TraceEntryInfo,
  type TracePageInfo,
  type TraceRing,
} from '../../protocol/interfaces/trace-page.ts';
import {
  ipcTracer,
  TRACE_ROW as NUMBERS,
  type TraceBatch,
  type TraceRoute,
  type Tracer,
} from '../../protocol/rpc/trace.ts';
import type { Clock, TimerId } from './clock.ts';

export type { TraceEntryInfo, TracePageInfo };

export const DEFAULT_TRACE_CAPACITY = 10_000;
export const DEFAULT_TRACE_IDLE_MS = 5000;

export interface TraceBufferOptions {
  readonly clock: Clock;
  readonly tracer?: Tracer;
  readonly capacity?: number;
  readonly idleTimeoutMs?: number;
  /** The most records one `since()` returns; TRACE_PAGE by default. */
  readonly pageSize?: number;
}

export class TraceBuffer {
  private readonly capacity: number;
  private readonly tracer: Tracer;
  private readonly idleTimeoutMs: number;
  private readonly pageSize: number;
  /**
   * The ring: a record's numbers are copied into one row of a Float64Array and its route (shared by
   * every message of it) into one slot of an array, and the record itself is dropped, so records die
   * young (in the cheap scavenge) rather than surviving into the old generation as 10,000 live
   * objects, and writing one costs a single reference store. Copied into a columnar page only when read.
   */
  private readonly numbers: Float64Array;
  private readonly routes: (TraceRoute | undefined)[];
  /** Bad-message reasons, by slot; rare, so a map rather than a column. */
  private readonly errors = new Map<number, string>();
  /** The ring as the page encoder reads it. */
  private readonly ring: TraceRing;
  private readonly encoder = new TracePageEncoder();
  /** The seq the next record gets; records seq in [nextSeq - min(nextSeq, capacity), nextSeq) are held. */
  private nextSeq = 0;
  private stopTracing: (() => void) | undefined;
  private timer: TimerId | undefined;
  private lastReadAt = 0;

  constructor(private readonly options: TraceBufferOptions) {
    this.capacity = options.capacity ?? DEFAULT_TRACE_CAPACITY;
    this.tracer = options.tracer ?? ipcTracer;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_TRACE_IDLE_MS;
    this.pageSize = options.pageSize ?? TRACE_PAGE;
    this.numbers = new Float64Array(this.capacity * NUMBERS);
    this.routes = new Array<TraceRoute | undefined>(this.capacity).fill(undefined);
    this.ring = { capacity: this.capacity, numbers: this.numbers, routes: this.routes, errors: this.errors };
  }

  get tracing(): boolean {
    return this.stopTracing !== undefined;
  }

  /** Records from `sinceSeq` on (at most a page), and starts or keeps tracing. */
  since(sinceSeq: number): TracePageInfo {
    this.lastReadAt = this.options.clock.now();
    if (!this.tracing) {
      this.stopTracing = this.tracer.subscribe((batch) => this.add(batch));
      this.scheduleIdleCheck();
    }
    this.tracer.flush();
    const oldest = Math.max(0, this.nextSeq - this.capacity);
    const from = Math.min(Math.max(sinceSeq, oldest), this.nextSeq);
    const to = Math.min(this.nextSeq, from + this.pageSize);
    return this.encoder.encode(this.ring, from, to, Math.max(0, oldest - sinceSeq));
  }

  stop(): void {
    this.stopTracing?.();
    this.stopTracing = undefined;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Copies a batch in: its rows as they are (the ring's rows are the tracer's), its routes, its errors. */
  private add(batch: TraceBatch): void {
    const { capacity, routes, errors } = this;
    // Only the last `capacity` of a batch can be held.
    const skip = Math.max(0, batch.length - capacity);
    const first = this.nextSeq + skip;
    for (let i = skip; i < batch.length;) {
      const slot = (first + i - skip) % capacity;
      const run = Math.min(batch.length - i, capacity - slot); // up to the ring's end, then wrap
      this.numbers.set(batch.numbers.subarray(i * NUMBERS, (i + run) * NUMBERS), slot * NUMBERS);
      for (let k = 0; k < run; k++) routes[slot + k] = batch.routes[i + k];
      if (errors.size > 0) for (let k = 0; k < run; k++) errors.delete(slot + k);
      i += run;
    }
    this.nextSeq += batch.length;
    for (const [i, error] of batch.errors) if (i >= skip) errors.set((first + i - skip) % capacity, error);
  }

  private scheduleIdleCheck(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.options.clock.now() - this.lastReadAt >= this.idleTimeoutMs) this.stop();
      else this.scheduleIdleCheck();
    }, this.idleTimeoutMs);
  }
}
