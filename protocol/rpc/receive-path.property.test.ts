// Property tests of the receive path over a real MessageChannel: whatever arrives, the receiver
// never throws, garbage is always reported as a bad message and reaches no handler, and valid
// messages always round-trip unchanged.
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeMessagePortTransport } from '../transport/node-port.ts';
import { connect, type BadMessageReport, type Connection } from './endpoint.ts';
import { echoHandlers } from './testing/echo-handlers.ts';
import { EchoClient, EchoService } from './testing/echo-service.ts';
import { Kind } from './wire.ts';

const channel = new MessageChannel();
const reports: BadMessageReport[] = [];
const clientReports: BadMessageReport[] = [];
let handlerCalls = 0;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
process.on('uncaughtException', onUncaught);

const handlers = echoHandlers({
  connection: () => service,
  postRaw: (message) => channel.port2.postMessage(message),
  exit: () => {},
});
const service: Connection<typeof EchoService, typeof EchoClient> = connect({
  transport: nodeMessagePortTransport(channel.port2, { process: 'renderer', id: 1 }),
  self: { process: 'browser' },
  local: EchoService,
  remote: EchoClient,
  handlers: Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [
      name,
      (...args: unknown[]) => (handlerCalls++, (fn as (...a: unknown[]) => unknown)(...args)),
    ]),
  ) as typeof handlers,
  onBadMessage: (report) => reports.push(report),
});
const client: Connection<typeof EchoClient, typeof EchoService> = connect({
  transport: nodeMessagePortTransport(channel.port1, { process: 'browser' }),
  self: { process: 'renderer', id: 1 },
  local: EchoClient,
  remote: EchoService,
  handlers: {},
  // The service answers a forged request with an error for its forged call id; the client, which
  // shares the channel with the raw poster, reports those answers to calls it never made.
  onBadMessage: (report) => clientReports.push(report),
});

afterAll(() => {
  client.close();
  service.close();
  channel.port1.close();
  process.off('uncaughtException', onUncaught);
});

/** Posts `message` raw at the service and resolves with the bad-message reports it caused. */
async function postRaw(message: unknown): Promise<BadMessageReport[]> {
  const before = reports.length;
  channel.port1.postMessage(message);
  // A round trip behind it on the same ordered channel: once it answers, the raw message was handled.
  await client.remote.echo({ text: 'sync' });
  return reports.slice(before);
}

/** Nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}

const notAnEnvelope = fc.anything().filter((value) => !Array.isArray(value));

const requestWithWrongPayload = fc.oneof(
  fc.record({
    method: fc.constant('echo'),
    p: fc.record({ text: fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string()), fc.constant(null)) }),
  }),
  fc.record({
    method: fc.constant('draw'),
    p: fc.record({
      shapes: fc.array(
        fc.record({ op: fc.constant('rect'), x: fc.string(), y: fc.integer(), w: fc.integer(), h: fc.integer() }),
        { minLength: 1 },
      ),
    }),
  }),
  fc.record({
    method: fc.constant('draw'),
    p: fc.record({
      shapes: fc.array(fc.record({ op: fc.string().filter((s) => !['rect', 'text', 'fill'].includes(s)) }), {
        minLength: 1,
      }),
    }),
  }),
  fc.record({
    method: fc.constant('wait'),
    p: fc.record({ ms: fc.oneof(fc.double({ noInteger: true }), fc.integer({ max: -1 }), fc.string()) }),
  }),
  fc.record({
    method: fc.constant('tick'),
    p: fc.anything().filter((value) => typeof value !== 'object' || value === null || !('count' in value)),
  }),
);

const shape = fc.oneof(
  fc.record({
    op: fc.constant('rect' as const),
    x: fc.double({ noNaN: true, noDefaultInfinity: true }),
    y: fc.double({ noNaN: true, noDefaultInfinity: true }),
    w: fc.double({ noNaN: true, noDefaultInfinity: true }),
    h: fc.double({ noNaN: true, noDefaultInfinity: true }),
  }),
  fc.record({
    op: fc.constant('text' as const),
    text: fc.string({ maxLength: 256, unit: 'grapheme' }),
    x: fc.integer(),
    y: fc.integer(),
  }),
  fc.record({ op: fc.constant('fill' as const), color: fc.string({ maxLength: 32 }) }),
);

describe('the receive path', () => {
  it('reports arbitrary garbage as bad messages and never calls a handler', async () => {
    await fc.assert(
      fc.asyncProperty(notAnEnvelope, async (garbage) => {
        const callsBefore = handlerCalls;
        const caused = await postRaw(garbage);
        expect(caused).toHaveLength(1);
        expect(caused[0]!.peer).toEqual({ process: 'renderer', id: 1 });
        expect(handlerCalls - callsBefore).toBe(1); // only the sync echo
      }),
      { numRuns: 300 },
    );
  });

  it('reports requests whose payloads have the wrong types', async () => {
    await fc.assert(
      fc.asyncProperty(requestWithWrongPayload, fc.nat(), async ({ method, p }, id) => {
        const callsBefore = handlerCalls;
        const caused = await postRaw([Kind.Request, id, method, p]);
        expect(caused).toHaveLength(1);
        expect(caused[0]!.reason).toMatch(new RegExp(`^EchoService\\.${method} request: `));
        expect(handlerCalls - callsBefore).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('reports envelopes with broken fields', async () => {
    const badId = fc.oneof(fc.double({ noInteger: true }), fc.integer({ max: -1 }), fc.string(), fc.constant(null));
    const badName = fc.oneof(fc.constant(''), fc.string({ minLength: 129 }), fc.integer(), fc.constant(undefined));
    const badTime = fc.oneof(fc.string(), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.object());
    const brokenEnvelope = fc.oneof(
      badId.map((i) => [Kind.Request, i, 'echo', { text: 'x' }]),
      badName.map((m) => [Kind.Request, 1, m, { text: 'x' }]),
      badName.map((m) => [Kind.Event, m, {}]),
      badTime.map((t) => [Kind.Request, 1, 'echo', { text: 'x' }, t]),
      badTime.map((t) => [Kind.Event, 'ticked', {}, t]),
      // Too long: an extra element could smuggle anything past the reader.
      fc.anything().map((extra) => [Kind.Request, 1, 'echo', { text: 'x' }, 1, extra]),
      fc.oneof(fc.integer({ min: 5 }), fc.integer({ max: -1 }), fc.string(), fc.constant(null)).map((k) => [k, 1]),
      fc
        .anything()
        .filter((e) => typeof e !== 'object' || e === null || !('message' in e))
        .map((e) => [Kind.Error, 1_000_000, e]),
      badId.map((i) => [Kind.Cancel, i]),
    );
    await fc.assert(
      fc.asyncProperty(brokenEnvelope, async (envelope) => {
        const caused = await postRaw(envelope);
        expect(caused).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });

  it('reports huge and deeply nested payloads without throwing, and without walking them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 100_001, max: 1_000_000 }).map((n) => ({ text: 'x'.repeat(n) })),
          fc.integer({ min: 10_000, max: 1_000_000 }).map((n) => ({ text: 'x', list: new Array(n).fill(0) })),
          fc.integer({ min: 10_000, max: 100_000 }).map((n) => ({ text: new Array(n).fill('x') })),
          // Deeper still and the sender's own structured-clone writer overflows first (see
          // node-port.test.ts for a message only the receiver cannot read).
          fc.integer({ min: 65, max: 1000 }).map((depth) => nested(depth)),
          fc.integer({ min: 1, max: 1_000_000 }).map((n) => ({ text: new Uint8Array(n) })),
        ),
        fc.constantFrom(Kind.Request, Kind.Event),
        async (payload, k) => {
          const callsBefore = handlerCalls;
          const caused = await postRaw(k === Kind.Request ? [k, 1, 'echo', payload] : [k, 'echo', payload]);
          expect(caused).toHaveLength(1);
          expect(caused[0]!.reason).toMatch(/^(EchoService\.echo request: \/|unknown event EchoClient\.echo)/);
          expect(handlerCalls - callsBefore).toBe(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('round-trips every valid message unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 2000, unit: 'binary' }),
        fc.array(shape, { maxLength: 200 }),
        async (text, shapes) => {
          const reportsBefore = reports.length + clientReports.length;
          expect(await client.remote.echo({ text })).toEqual({ text });
          expect(await client.remote.draw({ shapes })).toEqual({ shapes });
          expect(reports.length + clientReports.length).toBe(reportsBefore);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never let an exception escape the receive path', () => {
    expect(uncaught).toEqual([]);
  });
});
