// Each reason the RPC layer refuses a message comes with its BadMessageReason entry, over a real
// node:worker_threads MessageChannel; raw envelopes stand for a compromised peer.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { nodeMessagePortTransport } from '../transport/node-port.ts';
import { BadMessageReason } from './bad-message.ts';
import { connect, type Connection } from './endpoint.ts';
import { echoHandlers } from './testing/echo-handlers.ts';
import { EchoClient, EchoService } from './testing/echo-service.ts';
import { Kind } from './wire.ts';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const item of open.splice(0)) item.close();
});

function pair() {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const serviceBad: Array<{ code: BadMessageReason; reason: string }> = [];
  const clientBad: Array<{ code: BadMessageReason; reason: string }> = [];
  const service: Connection<typeof EchoService, typeof EchoClient> = connect({
    transport: nodeMessagePortTransport(port2, { process: 'renderer', id: 1 }),
    self: { process: 'browser' },
    local: EchoService,
    remote: EchoClient,
    handlers: echoHandlers({
      connection: () => service,
      postRaw: (message) => port2.postMessage(message),
      exit: () => {},
    }),
    onBadMessage: ({ reason }, code) => serviceBad.push({ code, reason }),
  });
  const client = connect({
    transport: nodeMessagePortTransport(port1, { process: 'gpu' }),
    self: { process: 'renderer', id: 1 },
    local: EchoClient,
    remote: EchoService,
    handlers: {},
    onBadMessage: ({ reason }, code) => clientBad.push({ code, reason }),
  });
  open.push(service, client);
  return {
    client,
    serviceBad,
    clientBad,
    toService: (message: unknown) => port1.postMessage(message),
    toClient: (message: unknown) => port2.postMessage(message),
  };
}

async function waitFor(predicate: () => boolean): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > 2000) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it('names the reason of each refused message with its entry: requests at the service, answers and events at the client', async () => {
  // Two pairs: the service's error answers to the raw requests would reach the first pair's client.
  const { serviceBad, toService } = pair();
  const { client, clientBad, toClient } = pair();
  toService([Kind.Request, 1, 'toString', {}]);
  toService([Kind.Request, 2, 'echo', { text: 42 }]);
  toService([9, 1]);
  toService('hello');
  await client.remote.misbehave({}).catch(() => {}); // the answer breaks its schema: the call is refused
  toClient([Kind.Response, 999, { text: 'forged' }]);
  toClient([Kind.Event, 'nope', {}]);
  toClient([Kind.Event, 'ticked', { n: 'one' }]);
  await waitFor(() => serviceBad.length === 4 && clientBad.length === 4);
  expect([...serviceBad, ...clientBad].map(({ code }) => code)).toEqual([
    BadMessageReason.UNKNOWN_METHOD,
    BadMessageReason.INVALID_REQUEST,
    BadMessageReason.MALFORMED_ENVELOPE,
    BadMessageReason.MALFORMED_ENVELOPE,
    BadMessageReason.INVALID_RESPONSE,
    BadMessageReason.UNSOLICITED_RESPONSE,
    BadMessageReason.UNKNOWN_EVENT,
    BadMessageReason.INVALID_EVENT,
  ]);
  expect(serviceBad[0]!.reason).toBe('unknown method EchoService.toString');
});
