// The tracer's staging: endpoints stage messages, listeners get them in batches, sizes estimated at
// the flush; nothing staged is lost or reordered, and nothing is kept once nobody listens.
import { describe, expect, it } from 'vitest';
import { measureMessage } from './size.ts';
import {
  TRACE_FLUSH_MS,
  TRACE_STAGE_CAPACITY,
  Tracer,
  traceRecordAt,
  type TraceBatch,
  type TraceRecord,
  type TraceRoute,
} from './trace.ts';

const route: TraceRoute = {
  direction: 'receive',
  from: { process: 'renderer', id: 1 },
  to: { process: 'browser' },
  interface: 'I',
  method: 'm',
  kind: 'request',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function collect(tracer: Tracer): { records: TraceRecord[]; batches: number[]; stop: () => void } {
  const records: TraceRecord[] = [];
  const batches: number[] = [];
  const stop = tracer.subscribe((batch: TraceBatch) => {
    batches.push(batch.length);
    for (let i = 0; i < batch.length; i++) records.push(traceRecordAt(batch, i));
  });
  return { records, batches, stop };
}

describe('Tracer', () => {
  it('hands staged messages over on flush, in order, each with the size of what it staged', () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    const payloads = [{ text: 'a' }, [1, 2, 3], 'x'.repeat(100)];
    payloads.forEach((payload, i) =>
      tracer.trace(route, i, 1000 + i, 1001 + i, Number.NaN, Number.NaN, payload, 1 << 20),
    );
    expect(records).toEqual([]);
    tracer.flush();
    expect(records).toEqual(
      payloads.map((payload, i) => ({
        route,
        callId: i,
        size: measureMessage(payload, 1 << 20, 10_000),
        sentAt: 1000 + i,
        receivedAt: 1001 + i,
        roundTripMs: undefined,
      })),
    );
    tracer.flush(); // nothing new
    expect(records).toHaveLength(3);
  });

  it('bounds a size by the limit the message was staged with', () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    tracer.trace(route, 1, 0, 0, Number.NaN, Number.NaN, 'x'.repeat(5000), 1000);
    tracer.flush();
    expect(records[0]!.size).toBe(1000);
  });

  it('takes a size the channel told as it is, and holds nothing for it', () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    tracer.trace(route, 1, 0, 0, Number.NaN, 321, { big: 'x'.repeat(1000) }, 100);
    tracer.flush();
    expect(records[0]!.size).toBe(321);
  });

  it('keeps a known size and a bad message reason', () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    tracer.record({ route: { ...route, kind: 'bad-message' }, size: 0, sentAt: 5, receivedAt: 5, error: 'no' });
    tracer.trace(route, 2, 6, 7, 0.5, Number.NaN, {}, 100);
    tracer.flush();
    expect(records).toEqual([
      {
        route: { ...route, kind: 'bad-message' },
        callId: undefined,
        size: 0,
        sentAt: 5,
        receivedAt: 5,
        roundTripMs: undefined,
        error: 'no',
      },
      { route, callId: 2, size: 8, sentAt: 6, receivedAt: 7, roundTripMs: 0.5 },
    ]);
  });

  it('flushes by itself within TRACE_FLUSH_MS, and at once when the stage is full', async () => {
    const tracer = new Tracer();
    const { records, batches } = collect(tracer);
    tracer.trace(route, 1, 0, 0, Number.NaN, Number.NaN, 1, 100);
    await sleep(TRACE_FLUSH_MS * 4);
    expect(records).toHaveLength(1);
    for (let i = 0; i < TRACE_STAGE_CAPACITY + 5; i++) tracer.trace(route, i, 0, 0, Number.NaN, Number.NaN, i, 100);
    expect(batches).toEqual([1, TRACE_STAGE_CAPACITY]);
    tracer.flush();
    expect(records.map((r) => r.callId)).toEqual([1, ...Array.from({ length: TRACE_STAGE_CAPACITY + 5 }, (_, i) => i)]);
  });

  it('survives a listener that throws, and one that traces while it is handed a batch: nothing lost, nothing reordered', () => {
    const tracer = new Tracer();
    tracer.subscribe(() => {
      throw new Error('broken consumer');
    });
    let sending = true;
    // As a listener that sends IPC would: more than a stage's worth, while the batch is delivered.
    tracer.subscribe(() => {
      if (!sending) return;
      sending = false;
      for (let i = 0; i < TRACE_STAGE_CAPACITY * 2; i++)
        tracer.trace(route, 100 + i, 0, 0, Number.NaN, Number.NaN, i, 100);
    });
    const { records } = collect(tracer);
    tracer.trace(route, 0, 0, 0, Number.NaN, Number.NaN, 0, 100);
    tracer.flush();
    tracer.flush();
    expect(records.map((r) => r.callId)).toEqual([
      0,
      ...Array.from({ length: TRACE_STAGE_CAPACITY * 2 }, (_, i) => 100 + i),
    ]);
  });

  it('drops what is staged once nobody listens, and is inactive', () => {
    const tracer = new Tracer();
    const first = collect(tracer);
    expect(tracer.active).toBe(true);
    tracer.trace(route, 1, 0, 0, Number.NaN, Number.NaN, {}, 100);
    first.stop();
    expect(tracer.active).toBe(false);
    const second = collect(tracer);
    tracer.flush();
    expect(first.records).toEqual([]);
    expect(second.records).toEqual([]);
  });
});
