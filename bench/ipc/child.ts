/**
 * The serving side of the IPC benchmark (bench/ipc.bench.ts), for all four variants: raw
 * postMessage, this RPC layer, birpc and comlink. Imported by the benchmark for the in-process
 * channel (a MessageChannel, both ends in the main thread), and forked by it, once per library, as
 * `ipc/child.ts serve <lib>` for the child-process channel: the same server code on both.
 *
 * Every variant's handler does the same work: it computes the payload's JSON length by walking every
 * field (no JSON.stringify, so the handler stays cheap next to the transport) and answers
 * `{ seq, bytes }`. The benchmark checks both, so no variant can measure a no-op.
 */
import type { ChildProcess } from 'node:child_process';
import type { MessagePort } from 'node:worker_threads';
import { createBirpc, type BirpcReturn } from 'birpc';
import * as Comlink from 'comlink';
// @ts-expect-error -- the ESM node adapter ships no .d.mts; it is typed below.
import nodeAdapter from 'comlink/dist/esm/node-adapter.mjs';
import { connect, type Connection } from '../../protocol/rpc/endpoint.ts';
import { defineInterface, method } from '../../protocol/rpc/interface.ts';
import { Struct, Type, Variant, type Static } from '../../protocol/rpc/schema.ts';
import { childProcessTransport, type ChildProcessChannelLike } from '../../protocol/transport/child-process.ts';
import { nodeMessagePortTransport, type NodeMessagePortLike } from '../../protocol/transport/node-port.ts';
import type { PeerIdentity, Transport } from '../../protocol/transport/transport.ts';

export const LIBS = ['raw', 'rpc', 'birpc', 'comlink'] as const;
export type Lib = (typeof LIBS)[number];

// ---- the message -------------------------------------------------------------------------------

/** A paint operation of a display list. */
export const PaintOp = Variant('op', [
  Struct({ op: Type.Literal('fillRect'), x: Type.Number(), y: Type.Number(), w: Type.Number(), h: Type.Number() }),
  Struct({ op: Type.Literal('fillStyle'), color: Type.String({ maxLength: 64 }) }),
  Struct({ op: Type.Literal('fillText'), text: Type.String({ maxLength: 512 }), x: Type.Number(), y: Type.Number() }),
]);

/** What a renderer sends the GPU process for one frame. */
export const DisplayList = Struct({
  tabId: Type.Integer({ minimum: 0 }),
  frameId: Type.Integer({ minimum: 0 }),
  ops: Type.Array(PaintOp, { maxItems: 20_000 }),
});
export type DisplayList = Static<typeof DisplayList>;

export const PostRequest = Struct({ seq: Type.Integer({ minimum: 0 }), list: DisplayList });
export type PostRequest = Static<typeof PostRequest>;
export const Ack = Struct({ seq: Type.Integer({ minimum: 0 }), bytes: Type.Integer({ minimum: 0 }) });
export type Ack = Static<typeof Ack>;

/** The bench interface: the request schema describes every field of the payload. */
export const BenchService = defineInterface({
  name: 'BenchService',
  methods: { post: method(PostRequest, Ack) },
  events: {},
});
export const BenchClient = defineInterface({ name: 'BenchClient', methods: {}, events: {} });

/**
 * The JSON length of `value`, walking every field: exact for the benchmark's messages (plain objects,
 * arrays, finite numbers, strings that need no escaping); the benchmark checks it against
 * JSON.stringify before it times anything.
 */
export function jsonLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return numberLength(value);
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let n = 2 + Math.max(0, value.length - 1);
        for (let i = 0; i < value.length; i++) n += jsonLength(value[i]);
        return n;
      }
      let n = 2;
      let first = true;
      for (const key in value) {
        n += key.length + 3 + jsonLength((value as Record<string, unknown>)[key]);
        if (!first) n += 1;
        first = false;
      }
      return n;
    }
    default:
      return 0;
  }
}

function numberLength(n: number): number {
  if (Number.isInteger(n) && n >= 0 && n < 1e9) {
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    return digits;
  }
  return String(n).length;
}

function handle(request: PostRequest): Ack {
  return { seq: request.seq, bytes: jsonLength(request.list) };
}

// ---- the channel, as each library wants it -------------------------------------------------------

/** One end of a channel: a worker_threads MessagePort, a ChildProcess, or the child's own process. */
export type ChannelEnd = MessagePort | ChildProcess | NodeJS.Process;

export interface Wire {
  post(message: unknown): void;
  on(listener: (message: unknown) => void): void;
  off(listener: (message: unknown) => void): void;
  /** The project's transport adapter for this kind of channel. */
  transport(peer: PeerIdentity): Transport;
  /** A comlink Endpoint: the node adapter for a port, a few lines for a process channel. */
  comlinkEndpoint(): Comlink.Endpoint;
}

function isPort(end: ChannelEnd): end is MessagePort {
  return typeof (end as MessagePort).postMessage === 'function';
}

export function wireOf(end: ChannelEnd): Wire {
  if (isPort(end)) {
    return {
      post: (message) => end.postMessage(message),
      on: (listener) => end.on('message', listener),
      off: (listener) => end.off('message', listener),
      transport: (peer) => nodeMessagePortTransport(end as unknown as NodeMessagePortLike, peer),
      comlinkEndpoint: () => nodeEndpoint(end),
    };
  }
  const send = end.send?.bind(end);
  if (!send) throw new Error('no IPC channel');
  const post = (message: unknown) => {
    // comlink releases its proxies from a FinalizationRegistry, which may run after the channel
    // closed at the end of a run: there is nothing left to release then.
    if (end.connected) send(message as never);
  };
  return {
    post,
    on: (listener) => end.on('message', listener),
    off: (listener) => end.off('message', listener),
    transport: (peer) => childProcessTransport(end as unknown as ChildProcessChannelLike, peer),
    comlinkEndpoint: () => processComlinkEndpoint(end, post),
  };
}

const nodeEndpoint = nodeAdapter as (port: MessagePort) => Comlink.Endpoint;

type ComlinkHandler = ((event: { data: unknown }) => void) | { handleEvent(event: { data: unknown }): void };

/**
 * comlink over a child_process IPC channel, the same few lines as comlink's node adapter: messages
 * arrive as `{ data }` events. No transfer (comlink only transfers for proxies, unused here).
 */
function processComlinkEndpoint(
  end: ChildProcess | NodeJS.Process,
  post: (message: unknown) => void,
): Comlink.Endpoint {
  const wrapped = new WeakMap<object, (message: unknown) => void>();
  return {
    postMessage: (message: unknown) => post(message),
    addEventListener(_type: string, listener: Parameters<Comlink.Endpoint['addEventListener']>[1]) {
      const handler = listener as ComlinkHandler;
      const onMessage = (data: unknown) => {
        if (typeof handler === 'function') handler({ data });
        else handler.handleEvent({ data });
      };
      wrapped.set(handler, onMessage);
      end.on('message', onMessage);
    },
    removeEventListener(_type: string, listener: Parameters<Comlink.Endpoint['removeEventListener']>[1]) {
      const onMessage = wrapped.get(listener as ComlinkHandler);
      if (onMessage) end.off('message', onMessage);
      wrapped.delete(listener as ComlinkHandler);
    },
  };
}

// ---- servers ---------------------------------------------------------------------------------------

export interface ServeOptions {
  /** Called when the RPC server rejects a message (the benchmark sends one invalid request on purpose). */
  onBadMessage?: (reason: string) => void;
}

/** Serves `lib` on `end`; returns the function that stops serving. */
export function serve(lib: Lib, end: ChannelEnd, options: ServeOptions = {}): () => void {
  const wire = wireOf(end);
  switch (lib) {
    case 'raw': {
      const listener = (message: unknown) => wire.post(handle(message as PostRequest));
      wire.on(listener);
      return () => wire.off(listener);
    }
    case 'rpc': {
      const connection: Connection<typeof BenchService, typeof BenchClient> = connect({
        transport: wire.transport({ process: 'bench-client' }),
        self: { process: 'bench-server' },
        local: BenchService,
        remote: BenchClient,
        handlers: { post: (request) => handle(request) },
        onBadMessage: (report) => options.onBadMessage?.(report.reason),
      });
      return () => connection.close();
    }
    case 'birpc': {
      const rpc: BirpcReturn<Record<string, never>, BirpcServer> = createBirpc<Record<string, never>, BirpcServer>(
        { post: (request) => handle(request) },
        { post: (data) => wire.post(data), on: (fn) => wire.on(fn), off: (fn) => wire.off(fn) },
      );
      return () => rpc.$close();
    }
    case 'comlink': {
      const endpoint = wire.comlinkEndpoint();
      const api: BirpcServer = { post: (request) => handle(request) };
      Comlink.expose(api, endpoint);
      // comlink has no "unexpose"; closing the port (or the process channel) ends it.
      return () => {};
    }
  }
}

/** The functions the birpc and comlink servers expose. */
export interface BirpcServer {
  post(request: PostRequest): Ack;
}

// ---- as a forked child -------------------------------------------------------------------------------

if (process.argv[2] === 'serve' && typeof process.send === 'function') {
  const lib = process.argv[3] as Lib;
  if (!LIBS.includes(lib)) {
    console.error(`ipc-bench-child: unknown library ${lib}`);
    process.exit(2);
  }
  serve(lib, process, {
    onBadMessage: () => {
      // Expected once: the benchmark's invalid request. The client sees the error reply.
    },
  });
  process.on('disconnect', () => process.exit(0));
  process.send('ready');
}
