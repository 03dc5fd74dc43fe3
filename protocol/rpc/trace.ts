/**
 * The tracing hook: every message an endpoint sends or receives, for the IPC inspector and the task
 * manager. When nobody subscribes, an endpoint pays one property read per message.
 *
 * While someone does, an endpoint stages what it knows of a message in a few stores (`trace`), and
 * everything else happens in batches (`flush`): each staged message's size is estimated and the
 * listeners get the batch. A message in this app arrives alone, in its own event-loop turn, with
 * the caches cold, so per-message work costs several times what it costs in a loop (measured with
 * `npm run bench:tracing`); a batch runs the size walk and the listeners hot.
 */
import type { PeerIdentity } from '../transport/transport.ts';
import { MEASURE_TOO_LARGE, measureMessage } from './size.ts';

/** Every kind of trace record, spelled once: a trace page codes a kind as its index here. */
export const TRACE_KINDS = ['request', 'response', 'error', 'event', 'cancel', 'bad-message'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

/**
 * Who sent what to whom: the part of a trace record that every message of one method, kind and
 * direction on one connection shares. An endpoint makes each route once and hands the same object
 * with every such message, so a record carries one reference instead of six fields, and a consumer
 * can count or group by route with an identity lookup.
 */
export interface TraceRoute {
  /** Whether this process sent the message or received it. */
  readonly direction: 'send' | 'receive';
  readonly from: PeerIdentity;
  readonly to: PeerIdentity;
  /** Interface and member, e.g. `GpuService` / `rasterize`; '?' for a message too broken to tell. */
  readonly interface: string;
  readonly method: string;
  readonly kind: TraceKind;
}

/** One message, as an object: for consumers and tests that want one (`traceRecordAt`). */
export interface TraceRecord {
  readonly route: TraceRoute;
  /** Correlates a request with its response, error or cancel. */
  readonly callId?: number;
  /** Size in bytes of the whole message: on the wire where the channel said, else estimated (rpc/size.ts). */
  readonly size: number;
  /** Epoch milliseconds (sub-millisecond precision) when the sender posted it. */
  readonly sentAt: number;
  /** Epoch milliseconds when it was received; only on 'receive' records. */
  readonly receivedAt?: number;
  /** For responses and errors received: milliseconds since the request was sent. */
  readonly roundTripMs?: number;
  /** For bad messages: why it was rejected. */
  readonly error?: string;
}

/** A record's numbers, in a row of `TraceBatch.numbers`: NaN where a record has none. */
export const TRACE_CALL_ID = 0;
export const TRACE_SIZE = 1;
export const TRACE_SENT_AT = 2;
export const TRACE_RECEIVED_AT = 3;
export const TRACE_ROUND_TRIP = 4;
/** (The bound of a size still to be estimated: the tracer's own.) */
const TRACE_LIMIT = 5;
/** Numbers per row. */
export const TRACE_ROW = 6;

/**
 * Records as a flush hands them to listeners: record `i` (0 <= i < length) is `routes[i]` and the
 * row of `numbers` from `i * TRACE_ROW` (`TRACE_CALL_ID`, `TRACE_SIZE`, …). Rows, not columns: an
 * endpoint writes one record's numbers into one or two cache lines, where columns would touch one
 * line each, and a message usually arrives with the caches cold. The arrays are reused by the next
 * flush: a listener copies what it keeps before it returns.
 */
export interface TraceBatch {
  readonly length: number;
  readonly routes: readonly (TraceRoute | undefined)[];
  readonly numbers: Float64Array;
  /** Bad-message reasons by index: rare, so a map rather than a column. */
  readonly errors: ReadonlyMap<number, string>;
}

export type TraceListener = (batch: TraceBatch) => void;

/** Record `index` of a batch as an object. */
export function traceRecordAt(batch: TraceBatch, index: number): TraceRecord {
  const row = index * TRACE_ROW;
  const number = (value: number) => (value === value ? value : undefined); // NaN: none
  const error = batch.errors.get(index);
  return {
    route: batch.routes[index]!,
    callId: number(batch.numbers[row + TRACE_CALL_ID]!),
    size: batch.numbers[row + TRACE_SIZE]!,
    sentAt: batch.numbers[row + TRACE_SENT_AT]!,
    receivedAt: number(batch.numbers[row + TRACE_RECEIVED_AT]!),
    roundTripMs: number(batch.numbers[row + TRACE_ROUND_TRIP]!),
    ...(error === undefined ? {} : { error }),
  };
}

/** The most messages staged between flushes; a full stage flushes at once. */
export const TRACE_STAGE_CAPACITY = 1024;
/**
 * How long a staged message waits at most before the listeners get it when nobody flushes sooner.
 * The consumers flush before they read (the IPC inspector's TraceBuffer, the task manager's
 * MetricsSampler), so this only bounds how long the stage holds envelopes and how late a listener
 * that never flushes hears of a message: a short timer cost more than the batches it flushed.
 */
export const TRACE_FLUSH_MS = 500;

/** One stage: messages are staged into one while the listeners read the other. */
class TraceStage implements TraceBatch {
  length = 0;
  readonly routes = new Array<TraceRoute | undefined>(TRACE_STAGE_CAPACITY).fill(undefined);
  readonly numbers = new Float64Array(TRACE_STAGE_CAPACITY * TRACE_ROW);
  /** Where a size is NaN: what it is estimated from, held until the flush (bound: TRACE_LIMIT). */
  readonly measured = new Array<unknown>(TRACE_STAGE_CAPACITY).fill(undefined);
  readonly errors = new Map<number, string>();
  /** Whether `measured` holds anything. */
  unmeasured = false;

  /** Estimates the sizes still to be estimated and lets go of what they were estimated from. */
  measure(): void {
    if (!this.unmeasured) return;
    this.unmeasured = false;
    const numbers = this.numbers;
    for (let i = 0, row = 0; i < this.length; i++, row += TRACE_ROW) {
      if (numbers[row + TRACE_SIZE] === numbers[row + TRACE_SIZE]) continue; // known
      const limit = numbers[row + TRACE_LIMIT]!;
      const size = measureMessage(this.measured[i], limit, 10_000);
      // Too large: the walk stopped at the limit (a hostile message costs a bounded walk).
      numbers[row + TRACE_SIZE] = size === MEASURE_TOO_LARGE ? limit : Math.max(0, size);
      this.measured[i] = undefined;
    }
  }

  clear(): void {
    // Routes are left to be overwritten (they are few and long-lived); what sizes were estimated
    // from is already let go of (measure), unless the stage is discarded unmeasured.
    if (this.unmeasured) this.measured.fill(undefined, 0, this.length);
    this.unmeasured = false;
    this.errors.clear();
    this.length = 0;
  }
}

export interface TracerOptions {
  /**
   * Put this process's send time into every message it sends while tracing, so that a peer that
   * traces too records when its messages left, not only when they came. Off by default: it costs
   * the sender a clock value in every message (in a JSON channel, a double turned into text), and
   * in this app only the browser process traces, while none of its peers does.
   */
  readonly stampOutgoing?: boolean;
}

export class Tracer {
  /** See TracerOptions. */
  readonly stampsOutgoing: boolean;
  private listeners: readonly TraceListener[] = [];
  /** listeners.length > 0, kept as a field: endpoints read it for every message. */
  private listening = false;
  private stage = new TraceStage();
  private spare = new TraceStage();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private delivering = false;
  /** Stages filled while a batch was being delivered, waiting their turn. */
  private readonly backlog: TraceStage[] = [];

  constructor(options: TracerOptions = {}) {
    this.stampsOutgoing = options.stampOutgoing ?? false;
  }

  /** True while someone listens; endpoints check it before tracing a message. */
  get active(): boolean {
    return this.listening;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners = [...this.listeners, listener];
    this.listening = true;
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      this.listening = this.listeners.length > 0;
      if (!this.listening) this.discard();
    };
  }

  /**
   * Stages one message. `size` is its size on the wire when the channel told it; NaN: estimated from
   * `measured` (the whole envelope), bounded by `limit`, when the batch is flushed (within
   * `TRACE_FLUSH_MS`; a value changed in between is measured as it is then). Absent numbers are NaN.
   * One function with no calls on the way: it runs once per message, usually with the caches cold.
   */
  trace(
    route: TraceRoute,
    callId: number,
    sentAt: number,
    receivedAt: number,
    roundTripMs: number,
    size: number,
    measured: unknown,
    limit: number,
  ): void {
    const stage = this.stage;
    const i = stage.length++;
    const numbers = stage.numbers;
    const row = i * TRACE_ROW;
    stage.routes[i] = route;
    numbers[row + TRACE_CALL_ID] = callId;
    numbers[row + TRACE_SIZE] = size;
    numbers[row + TRACE_SENT_AT] = sentAt;
    numbers[row + TRACE_RECEIVED_AT] = receivedAt;
    numbers[row + TRACE_ROUND_TRIP] = roundTripMs;
    if (size !== size) {
      // Held until the flush: the only reference a message's record keeps.
      stage.measured[i] = measured;
      stage.unmeasured = true;
      numbers[row + TRACE_LIMIT] = limit;
    }
    if (i === 0) this.scheduleFlush();
    else if (i === TRACE_STAGE_CAPACITY - 1) this.flush();
  }

  /** Stages a record whose size is known (a bad message's is 0). */
  record(record: TraceRecord): void {
    if (record.error !== undefined) this.stage.errors.set(this.stage.length, record.error);
    this.trace(
      record.route,
      record.callId ?? Number.NaN,
      record.sentAt,
      record.receivedAt ?? Number.NaN,
      record.roundTripMs ?? Number.NaN,
      record.size,
      undefined,
      Number.NaN,
    );
  }

  /** Hands the staged messages to the listeners now: consumers call it before they read. */
  flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.stage.length === 0) return;
    if (this.delivering) {
      // A listener sent messages while it was handed a batch, enough to fill the stage: they wait.
      this.backlog.push(this.stage);
      this.stage = new TraceStage();
      return;
    }
    const batch = this.stage;
    this.stage = this.spare;
    this.spare = batch;
    this.deliver(batch);
    batch.clear();
    for (let waiting; (waiting = this.backlog.shift());) this.deliver(waiting);
    if (this.stage.length > 0) this.scheduleFlush();
  }

  private deliver(batch: TraceStage): void {
    batch.measure();
    this.delivering = true;
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // A broken trace consumer must never break the channel it watches.
      }
    }
    this.delivering = false;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => this.flush(), TRACE_FLUSH_MS);
    // In Node: a pending flush does not keep the process alive.
    (this.flushTimer as { unref?: () => void }).unref?.();
  }

  /** Nobody listens any more: what is staged goes nowhere. */
  private discard(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.stage.clear();
    this.backlog.length = 0;
  }
}

/** The process-wide tracer that endpoints use unless given another. */
export const ipcTracer = new Tracer();

/**
 * Read once: the global `performance` is an accessor (in Node and in pages), so each use is a
 * global-load miss, and `timeOrigin` is a getter that costs as much as `now()` (measured per message).
 */
const clock = globalThis.performance;
const timeOrigin = clock.timeOrigin;

/** Wall-clock time in epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function epochNow(): number {
  return timeOrigin + clock.now();
}
