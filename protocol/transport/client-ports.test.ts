// A utility process's side of the ports the browser brokers under Electron: what arrives on
// `process.parentPort` is split between the RPC channel to the browser and the clients' ports
// (`connect-client` + one port), and a client's RPC runs over its port. Electron's parentPort and
// MessagePortMain are hand-written stand-ins here (EventEmitters with Electron's event shape,
// `{ data, ports }`), the port ones carrying messages over a real worker_threads MessageChannel.
// That Electron itself delivers the port this way is what only the e2e `electron` project shows.
import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { MessagePortMain, ParentPort } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../rpc/endpoint.ts';
import { echoHandlers } from '../rpc/testing/echo-handlers.ts';
import { EchoClient, EchoService } from '../rpc/testing/echo-service.ts';
import { connectClient } from './brokered-ports.ts';
import { parentPortTransport, type ClientPort } from './electron.ts';
import { nodeMessagePortTransport } from './node-port.ts';
import { acceptClientPorts } from './to-browser.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** MessagePortMain's shape (Node-style events, `{ data, ports }` messages) over a worker_threads port. */
class StandInPortMain extends EventEmitter {
  closed = false;
  constructor(private readonly port: MessagePort) {
    super();
    port.on('message', (data: unknown) => this.emit('message', { data, ports: [] }));
    port.on('close', () => this.emit('close'));
  }
  postMessage(message: unknown) {
    this.port.postMessage(message);
  }
  start() {}
  close() {
    this.closed = true;
    this.port.close();
  }
}

/** A port pair: the stand-in MessagePortMain the child gets, and the client's plain end. */
function portPair(): { childEnd: StandInPortMain; clientEnd: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  cleanups.push(() => port1.close());
  return { childEnd: new StandInPortMain(port1), clientEnd: port2 };
}

/** What the browser's `child.postMessage(message, ports)` makes the child's parentPort emit. */
function send(parentPort: EventEmitter, data: unknown, ports: StandInPortMain[] = []) {
  parentPort.emit('message', { data, ports: ports as unknown as MessagePortMain[] });
}

function setup() {
  const parentPort = new EventEmitter();
  const rpc: unknown[] = [];
  parentPortTransport(parentPort as unknown as ParentPort, { process: 'browser' }).on((message) => rpc.push(message));
  const clients: ClientPort[] = [];
  const refused: string[] = [];
  const self = { parentPort: parentPort as unknown as ParentPort, ppid: 1, on: () => {}, off: () => {} };
  const accepted = acceptClientPorts(self, (client) => clients.push(client), {
    clientProcess: 'tab',
    onRefused: (reason) => refused.push(reason),
  });
  return { parentPort, rpc, clients, refused, accepted };
}

describe('ports from the browser on parentPort', () => {
  it("hands a client's port to the child, serves RPC over it, and keeps it out of the browser's RPC channel", async () => {
    const { parentPort, rpc, clients, accepted } = setup();
    expect(accepted).toBe(true);
    const { childEnd, clientEnd } = portPair();
    send(parentPort, [0, 1, 'describe', {}]); // an RPC envelope: the browser's
    send(parentPort, connectClient('tab-3'), [childEnd]);
    expect(rpc).toEqual([[0, 1, 'describe', {}]]);
    expect(clients.map((client) => [client.clientId, client.transport.peer])).toEqual([
      ['tab-3', { process: 'tab', id: 'tab-3' }],
    ]);

    const service: Connection<typeof EchoService, typeof EchoClient> = connect({
      transport: clients[0]!.transport,
      self: { process: 'gpu' },
      local: EchoService,
      remote: EchoClient,
      handlers: echoHandlers({ connection: () => service, postRaw: () => {}, exit: () => {} }),
      onBadMessage: () => {},
    });
    const tab = connect({
      transport: nodeMessagePortTransport(clientEnd, { process: 'gpu' }),
      self: { process: 'tab', id: 'tab-3' },
      local: EchoClient,
      remote: EchoService,
      handlers: {},
      onBadMessage: () => {},
    });
    cleanups.push(
      () => tab.close(),
      () => service.close(),
    );
    expect(await tab.remote.echo({ text: 'over the brokered port' })).toEqual({ text: 'over the brokered port' });

    // Closing it from the child's side: the client learns its channel is gone.
    const closed = new Promise<string>((resolve) => tab.onDidClose(resolve));
    clients[0]!.close();
    expect(childEnd.closed).toBe(true);
    expect(await closed).toBe('the channel closed');
  });

  it('refuses, and closes the ports of, any other message that carries ports', () => {
    const { parentPort, rpc, clients, refused } = setup();
    const cases: Array<[unknown, number]> = [
      [connectClient('tab-1'), 2], // two ports
      [{ type: 'connect-client' }, 1], // no client id
      [{ type: 'connect-client', clientId: 'x'.repeat(65) }, 1], // too long
      [{ type: 'connect-client', clientId: 'tab-1', extra: true }, 1],
      [[0, 1, 'describe', {}], 1], // an RPC envelope cannot carry ports
    ];
    const ports: StandInPortMain[] = [];
    for (const [data, count] of cases) {
      const sent = Array.from({ length: count }, () => portPair().childEnd);
      ports.push(...sent);
      send(parentPort, data, sent);
    }
    expect(clients).toEqual([]);
    expect(rpc).toEqual([]);
    expect(refused).toHaveLength(cases.length);
    expect(ports.every((port) => port.closed)).toBe(true);
    // A connect-client message without a port is no RPC message either.
    send(parentPort, connectClient('tab-1'));
    expect(rpc).toEqual([]);
  });

  it('says there are no ports under child_process.fork (no parentPort): the browser grants WebSockets there', () => {
    const self = { parentPort: null, ppid: 1, send: () => true, on: () => {}, off: () => {} };
    expect(acceptClientPorts(self, () => {}, { clientProcess: 'tab' })).toBe(false);
    expect(acceptClientPorts({ ppid: 1, on: () => {}, off: () => {} }, () => {}, { clientProcess: 'tab' })).toBe(false);
  });
});
