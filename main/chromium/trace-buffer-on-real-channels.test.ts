// The IPC inspector's feed on real channels: a real child, real RPC calls, the real tracer.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { decodeTracePage, type TraceEntryInfo } from '../../protocol/interfaces/trace-page.ts';
import { TracePage } from '../../protocol/interfaces/trace-page.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { EchoClient, EchoService } from '../../protocol/rpc/testing/echo-service.ts';
import { forkService } from '../../protocol/rpc/testing/fork-service.ts';
import { ipcTracer } from '../../protocol/rpc/trace.ts';
import { systemClock } from '../core/clock.ts';
import { TraceBuffer } from '../core/trace-buffer.ts';
import { waitUntil } from './testing/processes.ts';

const entry = fileURLToPath(new URL('../../protocol/rpc/testing/echo-child.ts', import.meta.url));
const children: ChildProcess[] = [];
const buffers: TraceBuffer[] = [];
afterEach(() => {
  for (const buffer of buffers.splice(0)) buffer.stop();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startChild() {
  const service = forkService({ entry, process: 'echo-child', local: EchoClient, remote: EchoService, handlers: {} });
  children.push(service.child);
  await service.connection.remote.echo({ text: 'ready' });
  return service;
}

function buffer(options: { capacity?: number; idleTimeoutMs?: number; pageSize?: number } = {}) {
  const created = new TraceBuffer({ clock: systemClock(), ...options });
  buffers.push(created);
  return created;
}

const valid = compileChecker(TracePage);

it('records every message the calls send and receive, in order, with round trips, from the first read on', async () => {
  const { child, connection } = await startChild();
  const trace = buffer();
  expect(ipcTracer.active).toBe(false);
  expect(decodeTracePage(trace.since(0))).toEqual([]);
  expect(trace.since(0)).toMatchObject({ nextSeq: 0, dropped: 0 });
  expect(ipcTracer.active).toBe(true);

  for (let i = 0; i < 5; i++) await connection.remote.echo({ text: `hello ${i}` });
  const page = trace.since(0);
  expect(valid.check(page)).toBe(true);
  expect(decodeTracePage(page).map((r) => [r.seq, r.direction, r.kind, r.method])).toEqual(
    Array.from({ length: 5 }, (_, i) => [
      [2 * i, 'send', 'request', 'echo'],
      [2 * i + 1, 'receive', 'response', 'echo'],
    ]).flat(),
  );
  const [request, response] = decodeTracePage(page) as [TraceEntryInfo, TraceEntryInfo];
  expect(request.to).toEqual({ process: 'echo-child', pid: child.pid });
  expect(request.interface).toBe('EchoService');
  expect(response.callId).toBe(request.callId);
  expect(response.roundTripMs).toBeGreaterThan(0);
  expect(response.roundTripMs).toBeLessThan(5000);
  expect(decodeTracePage(trace.since(page.nextSeq))).toEqual([]);
});

it('keeps only the last `capacity` records, says how many a late reader missed, and pages', async () => {
  const { connection } = await startChild();
  const trace = buffer({ capacity: 8, pageSize: 3 });
  trace.since(0);
  for (let i = 0; i < 10; i++) await connection.remote.echo({ text: 'x' }); // 20 records
  const first = trace.since(0);
  expect(first.dropped).toBe(12);
  expect(decodeTracePage(first).map((r) => r.seq)).toEqual([12, 13, 14]);
  expect(decodeTracePage(trace.since(first.nextSeq)).map((r) => r.seq)).toEqual([15, 16, 17]);
  expect(trace.since(18)).toMatchObject({ nextSeq: 20, dropped: 0 });
});

it('stops tracing once nobody reads', async () => {
  const trace = buffer({ idleTimeoutMs: 200 });
  trace.since(0);
  expect(ipcTracer.active).toBe(true);
  await waitUntil(() => !trace.tracing, 2000, 'tracing to stop');
  expect(ipcTracer.active).toBe(false);
});
