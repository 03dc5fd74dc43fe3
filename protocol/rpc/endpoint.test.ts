// The RPC layer over a real node:worker_threads MessageChannel: no fake transport anywhere.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeMessagePortTransport } from '../transport/node-port.ts';
import { stringChannelTransport } from '../transport/string-channel.ts';
import { connect, type BadMessageReport, type Connection } from './endpoint.ts';
import { RemoteError, RpcError } from './errors.ts';
import { Tracer, traceRecordAt, type TraceRecord, type TraceRoute } from './trace.ts';
import { echoHandlers } from './testing/echo-handlers.ts';
import { EchoClient, EchoService } from './testing/echo-service.ts';
import { measureMessage } from './size.ts';
import { Kind } from './wire.ts';
import { defineInterface, messageBounds, method, type InterfaceSpec } from './interface.ts';
import { Struct, Type } from './schema.ts';

type Service = Connection<typeof EchoService, typeof EchoClient>;
type Client = Connection<typeof EchoClient, typeof EchoService>;

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const item of open.splice(0)) item.close();
});

interface PairOptions {
  timeoutMs?: number;
  tracer?: Tracer;
}

/** A client and an EchoService on the two ends of one real MessageChannel. */
function pair(options: PairOptions = {}) {
  const channel = new MessageChannel();
  open.push(channel.port1, channel.port2);
  const serviceBad: BadMessageReport[] = [];
  const clientBad: BadMessageReport[] = [];
  let handlerCalls = 0;
  const handlers = echoHandlers({
    connection: () => service,
    postRaw: (message) => channel.port2.postMessage(message),
    exit: () => {},
  });
  const counted = Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [
      name,
      (...args: unknown[]) => (handlerCalls++, (fn as (...a: unknown[]) => unknown)(...args)),
    ]),
  ) as typeof handlers;
  const service: Service = connect({
    transport: nodeMessagePortTransport(channel.port2, { process: 'renderer', id: 7 }),
    self: { process: 'browser' },
    local: EchoService,
    remote: EchoClient,
    handlers: counted,
    onBadMessage: (report) => serviceBad.push(report),
    ...options,
  });
  const client: Client = connect({
    transport: nodeMessagePortTransport(channel.port1, { process: 'gpu', pid: 4242 }),
    self: { process: 'renderer', id: 7 },
    local: EchoClient,
    remote: EchoService,
    handlers: {},
    onBadMessage: (report) => clientBad.push(report),
    ...options,
  });
  open.push(client, service);
  return {
    client,
    service,
    serviceBad,
    clientBad,
    /** The raw port on the client side: lets a test post anything at the service. */
    rawClientPort: channel.port1 as MessagePort,
    /** The raw port on the service side: lets a test post anything at the client. */
    rawServicePort: channel.port2 as MessagePort,
    handlerCalls: () => handlerCalls,
  };
}

async function waitFor(predicate: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('requests and responses', () => {
  it('round-trips typed calls, many at once, each answered by its own id', async () => {
    const { client } = pair();
    const texts = Array.from({ length: 200 }, (_, i) => `message ${i}`);
    const answers = await Promise.all(texts.map((text) => client.remote.echo({ text })));
    expect(answers.map((a) => a.text)).toEqual(texts);
  });

  it('carries discriminated unions unchanged', async () => {
    const { client } = pair();
    const shapes = [
      { op: 'fill' as const, color: '#ff0000' },
      { op: 'rect' as const, x: 1.5, y: -2, w: 10, h: 20 },
      { op: 'text' as const, text: '안녕하세요', x: 0, y: 0 },
    ];
    expect(await client.remote.draw({ shapes })).toEqual({ shapes });
  });

  it('moves transferred buffers instead of copying them', async () => {
    const { client } = pair();
    const { data } = await client.remote.bytes({ size: 1024 });
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.byteLength).toBe(1024);
    expect(data[1023]).toBe(7);
  });
});

describe('remote errors', () => {
  it('arrive with the remote name, message, code and stack', async () => {
    const { client } = pair();
    const error = await client.remote
      .fail({ name: 'TypeError', message: 'no such tab', code: 'E_NO_TAB' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.name).toBe('TypeError');
    expect(error.message).toBe('no such tab');
    expect(error.code).toBe('E_NO_TAB');
    expect(error.stack).toContain('echo-handlers.ts');
  });

  it('without a code get RPC_REMOTE_ERROR', async () => {
    const { client } = pair();
    const error = await client.remote.fail({ name: 'Error', message: 'boom' }).catch((e) => e);
    expect(error.code).toBe('RPC_REMOTE_ERROR');
  });
});

describe('timeouts and cancellation', () => {
  it('rejects after the per-call timeout and cancels the remote handler', async () => {
    const { client } = pair();
    const cancelled: number[] = [];
    client.on('cancelled', ({ ms }) => cancelled.push(ms));
    const started = performance.now();
    const error = await client.remote.wait({ ms: 5000 }, { timeoutMs: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe('RPC_TIMEOUT');
    expect(error.message).toContain('EchoService.wait timed out after 50 ms');
    expect(error.message).toContain('gpu (pid 4242)');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    await waitFor(() => cancelled.length === 1);
    expect(cancelled).toEqual([5000]);
  });

  it('applies the connection default timeout, and calls that finish in time are unaffected', async () => {
    const { client } = pair({ timeoutMs: 80 });
    const [slow, fast] = await Promise.allSettled([client.remote.wait({ ms: 3000 }), client.remote.wait({ ms: 1 })]);
    expect(slow.status === 'rejected' && (slow.reason as RpcError).code).toBe('RPC_TIMEOUT');
    expect(fast).toEqual({ status: 'fulfilled', value: { waited: 1 } });
  });

  it('times out each call at its own deadline when deadlines differ', async () => {
    const { client } = pair();
    const order: number[] = [];
    const calls = [300, 60, 150].map((timeoutMs) =>
      client.remote.wait({ ms: 10_000 }, { timeoutMs }).catch(() => order.push(timeoutMs)),
    );
    await Promise.all(calls);
    expect(order).toEqual([60, 150, 300]);
  });

  it('aborts with an AbortSignal, and the handler sees its signal abort', async () => {
    const { client } = pair();
    const cancelled: number[] = [];
    client.on('cancelled', ({ ms }) => cancelled.push(ms));
    const controller = new AbortController();
    const call = client.remote.wait({ ms: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user closed the tab')), 20);
    const error = await call.catch((e) => e);
    expect(error.name).toBe('AbortError');
    expect(error.code).toBe('RPC_ABORTED');
    expect(error.cause).toEqual(new Error('user closed the tab'));
    await waitFor(() => cancelled.length === 1);
  });

  it('rejects at once for an already aborted signal, sending nothing', async () => {
    const { client, handlerCalls } = pair();
    const error = await client.remote.echo({ text: 'x' }, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(error.code).toBe('RPC_ABORTED');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handlerCalls()).toBe(0);
  });
});

describe('close', () => {
  it('rejects every pending call with a clear error, and later calls too', async () => {
    const { client } = pair();
    const calls = [client.remote.wait({ ms: 5000 }), client.remote.wait({ ms: 5000 })];
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.close('the tab was closed');
    for (const result of await Promise.allSettled(calls)) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as RpcError;
      expect(error.code).toBe('RPC_CLOSED');
      expect(error.message).toBe('EchoService.wait failed: connection to gpu (pid 4242) closed (the tab was closed)');
    }
    const later = await client.remote.echo({ text: 'x' }).catch((e) => e);
    expect(later.code).toBe('RPC_CLOSED');
    expect(client.closed).toBe(true);
  });

  it('closes by itself when the channel closes', async () => {
    const { client, rawServicePort } = pair();
    const reasons: string[] = [];
    client.onDidClose((reason) => reasons.push(reason));
    const call = client.remote.wait({ ms: 5000 });
    rawServicePort.close();
    const error = await call.catch((e) => e);
    expect(error.code).toBe('RPC_CLOSED');
    expect(reasons).toEqual(['the channel closed']);
  });
});

describe('events', () => {
  it('delivers validated events in order, and unsubscribing stops them', async () => {
    const { client } = pair();
    const seen: number[] = [];
    const stop = client.on('ticked', ({ n }) => seen.push(n));
    await client.remote.tick({ count: 5 });
    await waitFor(() => seen.length === 5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    stop();
    await client.remote.tick({ count: 3 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toHaveLength(5);
  });

  it('refuses to listen to an event the interface does not declare', () => {
    const { client } = pair();
    expect(() => client.on('nope' as 'ticked', () => {})).toThrow('EchoService has no event nope');
  });
});

describe('validation of everything received', () => {
  it('a request that breaks its schema never reaches the handler and is reported with the transport identity', async () => {
    const { rawClientPort, serviceBad, handlerCalls } = pair();
    rawClientPort.postMessage([Kind.Request, 1, 'draw', { shapes: [{ op: 'rect', x: 'left' }] }]);
    await waitFor(() => serviceBad.length === 1);
    expect(serviceBad[0]).toEqual({
      peer: { process: 'renderer', id: 7 },
      interface: 'EchoService',
      reason: expect.stringContaining('EchoService.draw request: /shapes/0'),
    });
    expect(handlerCalls()).toBe(0);
  });

  it('the caller of a rejected request gets an RPC_BAD_MESSAGE error instead of hanging', async () => {
    const { client, serviceBad } = pair();
    const error = await client.remote.echo({ text: 42 as unknown as string }).catch((e) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.code).toBe('RPC_BAD_MESSAGE');
    expect(serviceBad).toHaveLength(1);
  });

  it('unknown methods, unknown keys and malformed envelopes are bad messages', async () => {
    const { rawClientPort, serviceBad, handlerCalls } = pair();
    rawClientPort.postMessage([Kind.Request, 1, 'toString', {}]);
    rawClientPort.postMessage([Kind.Request, 2, '__proto__', {}]);
    rawClientPort.postMessage([Kind.Request, 3, 'echo', { text: 'hi', extra: true }]);
    rawClientPort.postMessage([9, 1]);
    rawClientPort.postMessage('hello');
    await waitFor(() => serviceBad.length === 5);
    expect(serviceBad.map((r) => r.reason)).toEqual([
      'unknown method EchoService.toString',
      'unknown method EchoService.__proto__',
      expect.stringContaining('EchoService.echo request:'),
      'envelope has an unknown kind',
      'message is not an envelope',
    ]);
    expect(handlerCalls()).toBe(0);
  });

  it('a response that breaks its schema rejects the call and is reported on the caller side', async () => {
    const { client, clientBad } = pair();
    const error = await client.remote.misbehave({}).catch((e) => e);
    expect(error.code).toBe('RPC_BAD_MESSAGE');
    expect(error.message).toContain('EchoService.misbehave response: /ok');
    expect(clientBad).toEqual([
      { peer: { process: 'gpu', pid: 4242 }, interface: 'EchoService', reason: expect.stringContaining('/ok') },
    ]);
  });

  it('a response to a call never made is a bad message; one to a timed-out call is dropped quietly', async () => {
    const { client, clientBad, rawServicePort } = pair();
    await client.remote.wait({ ms: 100 }, { timeoutMs: 10 }).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(clientBad).toEqual([]);
    rawServicePort.postMessage([Kind.Response, 999, { text: 'forged' }]);
    await waitFor(() => clientBad.length === 1);
    expect(clientBad[0]!.reason).toBe('response to call 999, which was never made');
  });
});

describe('maximum message size', () => {
  const connectWith = (spec: InterfaceSpec, maxMessageBytes?: number) => () => {
    const { port1 } = new MessageChannel();
    open.push(port1);
    connect({
      transport: nodeMessagePortTransport(port1, { process: 'x' }),
      self: { process: 'y' },
      local: EchoClient,
      remote: spec,
      handlers: {},
      onBadMessage: () => {},
      ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
    });
  };

  it('refuses at connect time an interface whose messages could exceed the limit, naming each one', () => {
    expect(connectWith(EchoService, 1024 * 1024)).toThrow(
      'Messages must fit in 1.0 MiB; bound every string (maxLength), array (maxItems) and binary field: ' +
        'EchoService.draw request can reach 3.0 MiB; EchoService.draw response can reach 3.0 MiB; ' +
        'EchoService.bytes response can reach 16.0 MiB; EchoService.sendRaw request can reach 1.0 MiB',
    );
    expect(connectWith(EchoService)).not.toThrow(); // all within the default 32 MiB
  });

  it('refuses unbounded strings, arrays and open objects when the interface is defined, naming the field', () => {
    const Loose = {
      name: 'Loose',
      methods: {
        put: method(
          Struct({ name: Type.String(), tags: Type.Array(Type.String({ maxLength: 8 })), extra: Type.Object({}) }),
          Struct({}),
        ),
      },
      events: {},
    };
    expect(() => defineInterface(Loose)).toThrow('Loose.put request leaves /name, /tags, /extra unbounded');
    // A spec made without defineInterface is checked when it first connects, with the same error.
    expect(connectWith(Loose)).toThrow('Loose.put request leaves /name, /tags, /extra unbounded');
  });

  it("works out an interface's bounds once, when it is defined, not on every connect", () => {
    const bounds = messageBounds(EchoService);
    expect(bounds.map((bound) => bound.what)).toContain('EchoService.draw request');
    expect(connectWith(EchoService)).not.toThrow();
    expect(connectWith(EchoService)).not.toThrow();
    expect(messageBounds(EchoService)).toBe(bounds); // the same answer, not worked out again
  });

  it('a payload beyond its schema bounds is a bad message and reaches no handler', async () => {
    const { client, serviceBad, handlerCalls } = pair();
    const error = await client.remote.echo({ text: 'x'.repeat(100_001) }).catch((e) => e);
    expect(error.code).toBe('RPC_BAD_MESSAGE');
    expect(serviceBad[0]!.reason).toMatch(/^EchoService\.echo request: \/text /);
    expect(handlerCalls()).toBe(0);
  });
});

/** A record with its route's fields spread in, as the inspector shows a row. */
type FlatRecord = TraceRoute & Omit<TraceRecord, 'route'> & { readonly route: TraceRoute };

function collect(tracer: Tracer): { records: FlatRecord[]; stop: () => void } {
  const records: FlatRecord[] = [];
  const stop = tracer.subscribe((batch) => {
    for (let i = 0; i < batch.length; i++) {
      const record = traceRecordAt(batch, i);
      records.push({ ...record.route, ...record });
    }
  });
  return { records, stop };
}

describe('tracing', () => {
  it('sees every message with from, to, interface, method, size and times', async () => {
    // Stamping: each message carries its send time, so the receiving side records when it left.
    const tracer = new Tracer({ stampOutgoing: true });
    const { records, stop } = collect(tracer);
    const { client } = pair({ tracer });
    const before = performance.timeOrigin + performance.now();
    await client.remote.echo({ text: 'hello' });
    await waitFor(() => records.length === 4);
    stop();
    const summary = records.map(
      (r) => `${r.direction} ${r.kind} ${r.interface}.${r.method} ${r.from.process}->${r.to.process}`,
    );
    expect(summary).toEqual([
      'send request EchoService.echo renderer->gpu',
      'receive request EchoService.echo renderer->browser',
      'send response EchoService.echo browser->renderer',
      'receive response EchoService.echo gpu->renderer',
    ]);
    for (const record of records) {
      expect(record.size).toBeGreaterThan(5);
      expect(record.sentAt).toBeGreaterThanOrEqual(before);
      expect(record.callId).toBe(records[0]!.callId);
    }
    const received = records.filter((r) => r.direction === 'receive');
    for (const record of received) expect(record.receivedAt!).toBeGreaterThanOrEqual(record.sentAt);
    expect(records[1]!.sentAt).toBe(records[0]!.sentAt);
    expect(records[3]!.sentAt).toBe(records[2]!.sentAt);
    expect(records[3]!.roundTripMs).toBeGreaterThan(0);
    // Sizes: over a structured-clone channel, which tells none, an estimate of the whole envelope,
    // sent or received alike.
    const request = records[1]!;
    const envelope = [Kind.Request, request.callId, 'echo', { text: 'hello' }, request.sentAt];
    expect(records[0]!.size).toBe(measureMessage(envelope, 1 << 20, 10));
    expect(request.size).toBe(measureMessage(envelope, 1 << 20, 10));

    await client.remote.echo({ text: 'unseen' });
    expect(records).toHaveLength(4);
    expect(tracer.active).toBe(false);
  });

  it('gives no round trip to the answer of a call made before tracing began', async () => {
    const tracer = new Tracer();
    const { client } = pair({ tracer });
    const answer = client.remote.wait({ ms: 50 }); // sent while nobody traces
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { records, stop } = collect(tracer);
    await answer;
    await client.remote.echo({ text: 'traced' });
    tracer.flush();
    stop();
    const responses = records.filter((r) => r.kind === 'response' && r.direction === 'receive');
    expect(responses.map((r) => r.method)).toEqual(['wait', 'echo']);
    expect(responses[0]!.roundTripMs).toBeUndefined();
    expect(responses[1]!.roundTripMs).toBeGreaterThan(0);
  });

  it('records the size on the wire where the channel encodes messages itself (JSON text)', async () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    const texts: string[] = [];
    // Two string channels joined back to back, as a tab page's and the browser's ends are.
    const receivers: ((text: string) => void)[] = [];
    const end = (index: number) =>
      stringChannelTransport(
        {
          send: (text) => {
            texts.push(text);
            queueMicrotask(() => receivers[1 - index]!(text));
          },
          setReceiver: (receive) => (receivers[index] = receive),
        },
        { process: index === 0 ? 'renderer' : 'browser' },
      );
    const service: Service = connect({
      transport: end(1),
      self: { process: 'browser' },
      local: EchoService,
      remote: EchoClient,
      handlers: echoHandlers({ connection: () => service, postRaw: () => {}, exit: () => {} }),
      onBadMessage: () => {},
      tracer,
    });
    const client: Client = connect({
      transport: end(0),
      self: { process: 'renderer' },
      local: EchoClient,
      remote: EchoService,
      handlers: {},
      onBadMessage: () => {},
      tracer,
    });
    open.push(service, client);
    await client.remote.echo({ text: 'héllo "wire"' });
    await waitFor(() => records.length === 4);
    const [request, response] = texts;
    // Not stamping (the default): no send time travels; a received record's is its arrival.
    expect(JSON.parse(request!)).toHaveLength(4);
    expect(records[1]!.sentAt).toBe(records[1]!.receivedAt);
    expect(records.map((r) => `${r.direction} ${r.kind} ${r.size}`)).toEqual([
      `send request ${request!.length}`,
      `receive request ${request!.length}`,
      `send response ${response!.length}`,
      `receive response ${response!.length}`,
    ]);
  });

  it('hands every message of one method, kind and direction the same route object', async () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    const { client, rawClientPort } = pair({ tracer });
    await client.remote.echo({ text: 'one' });
    await client.remote.echo({ text: 'two' });
    await waitFor(() => records.length === 8);
    expect(new Set(records.map((r) => r.route)).size).toBe(4);
    for (let i = 0; i < 4; i++) expect(records[i + 4]!.route).toBe(records[i]!.route);
    // A member nobody declared gets a route that is not kept: a peer cannot grow the table.
    rawClientPort.postMessage([Kind.Request, 50, 'nope', {}]);
    rawClientPort.postMessage([Kind.Request, 51, 'nope', {}]);
    await waitFor(() => records.filter((r) => r.method === 'nope' && r.kind === 'request').length === 2);
    const [first, second] = records.filter((r) => r.method === 'nope' && r.kind === 'request');
    expect(first!.route).not.toBe(second!.route);
    expect(first!.route).toEqual(second!.route);
  });

  it('records bad messages with their reason', async () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    const { rawClientPort, serviceBad } = pair({ tracer });
    rawClientPort.postMessage([Kind.Event, 'ticked', {}]);
    await waitFor(() => serviceBad.length === 1);
    tracer.flush();
    expect(records.at(-1)).toMatchObject({ kind: 'bad-message', error: 'unknown event EchoClient.ticked' });
  });

  it('names the method or event of a bad message whenever its envelope can be read, else "?"', async () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    const { client, rawClientPort, rawServicePort } = pair({ tracer });
    const bad = () =>
      records.filter((r) => r.kind === 'bad-message').map((r) => `${r.interface}.${r.method}: ${r.error}`);
    // (A raw request also makes the client report the service's error reply to a call it never made.)
    const expectNext = async (post: () => void, expected: string) => {
      post();
      await waitFor(() => bad().some((line) => line.startsWith(expected))).catch(() =>
        expect(bad()).toContain(expected),
      );
    };
    // As lab://bad-message does: an event whose payload breaks its schema (the name is fine).
    await expectNext(
      () => rawServicePort.postMessage([Kind.Event, 'ticked', { n: 'one' }]),
      'EchoService.ticked: EchoService.ticked event: /n',
    );
    await expectNext(
      () => rawClientPort.postMessage([Kind.Request, 5, 'echo', { text: 42 }]),
      'EchoService.echo: EchoService.echo request: /text',
    );
    await expectNext(
      () => rawClientPort.postMessage([Kind.Request, 6, 'toString', {}]),
      'EchoService.toString: unknown method EchoService.toString',
    );
    await expectNext(
      () => rawClientPort.postMessage([Kind.Event, 'ticked', {}]),
      'EchoClient.ticked: unknown event EchoClient.ticked',
    );
    // A broken envelope whose name slot still reads.
    await expectNext(
      () => rawClientPort.postMessage([Kind.Request, -1, 'echo', {}]),
      'EchoService.echo: request has no valid call id',
    );
    await expectNext(
      () => rawServicePort.postMessage([Kind.Event, 'ticked', { n: 1 }, 'noon']),
      'EchoService.ticked: envelope has an invalid timestamp',
    );
    // A response that breaks its schema: the pending call names the method.
    await expectNext(
      () => void client.remote.misbehave({}).catch(() => {}),
      'EchoService.misbehave: EchoService.misbehave response: /ok',
    );
    // Nothing to read the name from.
    await expectNext(
      () => rawClientPort.postMessage([Kind.Request, 7, 42, {}]),
      '?.?: request has no valid method name',
    );
    await expectNext(() => rawClientPort.postMessage([9, 1]), '?.?: envelope has an unknown kind');
    await expectNext(() => rawClientPort.postMessage('hello'), '?.?: message is not an envelope');
    await expectNext(
      () => rawServicePort.postMessage([Kind.Response, 999, {}]),
      'EchoService.?: response to call 999, which was never made',
    );
  });

  it('measures a hostile message for the trace only up to the message size limit: shared references are no hang', async () => {
    const tracer = new Tracer();
    const { records } = collect(tracer);
    const { rawClientPort, serviceBad } = pair({ tracer });
    // Structured clone keeps shared references: 40 levels of 16 references each to the level
    // below is a few hundred bytes on the wire and 16^40 paths for a walk without a bound.
    let level: unknown[] = [];
    for (let i = 0; i < 40; i++) level = Array.from({ length: 16 }, () => level);
    rawClientPort.postMessage([Kind.Request, 1, 'echo', { text: level }]);
    await waitFor(() => serviceBad.length === 1, 10_000);
    tracer.flush();
    const received = records.find((r) => r.direction === 'receive' && r.kind === 'request');
    expect(received).toMatchObject({ method: 'echo', size: 32 * 1024 * 1024 });
    // (The client then reports the service's error reply to a call it never made: a second record.)
    expect(
      records.filter((r) => r.kind === 'bad-message' && r.interface === 'EchoService' && r.method === 'echo'),
    ).toHaveLength(1);
  });
});
