/**
 * One end of a typed RPC connection over any Transport: requests with correlation ids, timeouts,
 * cancellation, remote errors, events, and validation of everything received before any handler
 * or listener sees it. A message that fails validation is reported as a bad message with the
 * sender's identity from the transport (the browser process uses that to end the offending process).
 */
import { describePeer, type PeerIdentity, type Transferable, type Transport } from '../transport/transport.ts';
import { RemoteError, RpcError, serializeError } from './errors.ts';
import type {
  EventName,
  EventOf,
  InterfaceSpec,
  MethodName,
  RequestOf,
  ResponseOf,
} from './interface.ts';
import { compileChecker, maxEncodedSize, type Checker, type TSchema } from './schema.ts';
import { epochNow, ipcTracer, type TraceKind, type TraceRoute, type Tracer } from './trace.ts';
import {
  encodeCancel,
  encodeError,
  encodeEvent,
  encodeRequest,
  encodeResponse,
  Kind,
  envelopeProblem,
  envelopeTime,
  readableMember,
  type Envelope,
} from './wire.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface CallOptions {
  /** Overrides the connection's default timeout for this call. */
  readonly timeoutMs?: number;
  /** Aborting rejects the call at once and cancels it on the remote side. */
  readonly signal?: AbortSignal;
  /** Objects to move rather than copy, where the transport can. */
  readonly transfer?: readonly Transferable[];
}

/** What a handler learns about the call besides its payload. */
export interface CallContext {
  /** The caller, as the transport knows it. */
  readonly peer: PeerIdentity;
  /** Aborted when the caller gives up (timeout, abort) or the connection closes. */
  readonly signal: AbortSignal;
}

type MaybePromise<T> = T | Promise<T>;

export type Handlers<I extends InterfaceSpec> = {
  readonly [M in MethodName<I>]: (request: RequestOf<I, M>, context: CallContext) => MaybePromise<ResponseOf<I, M>>;
};

export type RemoteMethods<I extends InterfaceSpec> = {
  readonly [M in MethodName<I>]: (request: RequestOf<I, M>, options?: CallOptions) => Promise<ResponseOf<I, M>>;
};

export interface BadMessageReport {
  /** Who sent it, from the transport. */
  readonly peer: PeerIdentity;
  /** The interface the message claimed to be for, or '?' when it could not tell. */
  readonly interface: string;
  readonly reason: string;
}

export interface ConnectOptions<Local extends InterfaceSpec, Remote extends InterfaceSpec> {
  readonly transport: Transport;
  /** This process, as it appears in traces. */
  readonly self: PeerIdentity;
  /** The interface this side implements, and its handlers. */
  readonly local: Local;
  readonly handlers: Handlers<Local>;
  /** The interface the other side implements: what `remote` calls and which events arrive. */
  readonly remote: Remote;
  /** Called for every message that fails validation; the message reaches no handler. */
  readonly onBadMessage: (report: BadMessageReport) => void;
  readonly timeoutMs?: number;
  /** The largest message either side may send; checked against the schemas when connecting. */
  readonly maxMessageBytes?: number;
  readonly tracer?: Tracer;
}

export interface Connection<Local extends InterfaceSpec, Remote extends InterfaceSpec> {
  /** One async function per method of the remote interface. */
  readonly remote: RemoteMethods<Remote>;
  readonly peer: PeerIdentity;
  readonly closed: boolean;
  /** Sends an event of the local interface; dropped once the connection is closed. */
  emit<E extends EventName<Local>>(event: E, payload: EventOf<Local, E>, transfer?: readonly Transferable[]): void;
  /** Listens to an event of the remote interface; returns the unsubscribe. */
  on<E extends EventName<Remote>>(event: E, listener: (payload: EventOf<Remote, E>) => void): () => void;
  /** Stops listening and rejects every pending call with a clear error. Idempotent. */
  close(reason?: string): void;
  onDidClose(listener: (reason: string) => void): () => void;
}

/** Marks a handler's result so these objects are moved rather than copied. */
export function withTransfer<T extends object>(value: T, transfer: readonly Transferable[]): T {
  transferLists.set(value, transfer);
  return value;
}
const transferLists = new WeakMap<object, readonly Transferable[]>();

interface PendingCall {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly deadline: number;
  readonly sentAt: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

interface RequestRoute {
  readonly checker: Checker;
  readonly handler: (request: unknown, context: CallContext) => unknown;
}

/** A handler's context; the AbortController is made only if the handler asks for `signal`. */
class HandlerContext implements CallContext {
  controller: AbortController | undefined;
  constructor(
    readonly peer: PeerIdentity,
    private readonly cancellable: Map<number, HandlerContext>,
    private readonly id: number,
  ) {}
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      this.cancellable.set(this.id, this); // now a cancel from the caller has something to abort
    }
    return this.controller.signal;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * A size a channel reported, or NaN (estimate it). Only a number counts: a platform's `postMessage`
 * may answer `true`, and an emitter may hand a listener more than the message (a child process's
 * 'message' event passes a handle second).
 */
const wireSize = (wireBytes: unknown) => (typeof wireBytes === 'number' ? wireBytes : Number.NaN);

/** A route's slot in an endpoint's table of routes for one member: by kind, then direction. */
const ROUTE_SLOT: Readonly<Record<TraceKind, number>> = { request: 0, response: 2, error: 4, event: 6, cancel: 8, 'bad-message': 10 };
const ROUTE_SLOTS = 12;

/**
 * Refuses interfaces whose messages could exceed `maxBytes`: then every message that passes its
 * schema is within the limit, and no message needs measuring on the hot path.
 */
function checkMessageBounds(local: InterfaceSpec, remote: InterfaceSpec, maxBytes: number): void {
  const problems: string[] = [];
  const check = (what: string, schema: TSchema) => {
    const unbounded: string[] = [];
    const bound = maxEncodedSize(schema, '', unbounded);
    if (unbounded.length > 0) problems.push(`${what} leaves ${unbounded.join(', ')} unbounded`);
    else if (bound > maxBytes) problems.push(`${what} can reach ${formatBytes(bound)}`);
  };
  for (const spec of [local, remote]) {
    for (const [name, method] of Object.entries(spec.methods)) {
      check(`${spec.name}.${name} request`, method.request);
      check(`${spec.name}.${name} response`, method.response);
    }
    for (const [name, schema] of Object.entries(spec.events)) check(`${spec.name}.${name} event`, schema);
  }
  if (problems.length > 0) {
    throw new Error(
      `Messages must fit in ${formatBytes(maxBytes)}; bound every string (maxLength), array (maxItems) and ` +
        `binary field: ${problems.join('; ')}`,
    );
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}

class Endpoint<Local extends InterfaceSpec, Remote extends InterfaceSpec> implements Connection<Local, Remote> {
  readonly remote: RemoteMethods<Remote>;
  readonly peer: PeerIdentity;
  closed = false;

  private readonly transport: Transport;
  private readonly self: PeerIdentity;
  private readonly localName: string;
  private readonly remoteName: string;
  private readonly onBadMessage: (report: BadMessageReport) => void;
  private readonly timeoutMs: number;
  private readonly maxMessageBytes: number;
  private readonly tracer: Tracer;

  private readonly routes = new Map<string, RequestRoute>();
  private readonly responseCheckers: Map<string, Checker>;
  private readonly eventCheckers: Map<string, Checker>;
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  /**
   * Method and event names as declared: a trace record holds the declared string rather than the
   * copy each received message carries, so records keep no per-message string alive.
   */
  private readonly names = new Map<string, string>();
  /** Trace routes of the declared members, by member, for each side: made on first use. */
  private readonly localTraceRoutes = new Map<string, (TraceRoute | undefined)[]>();
  private readonly remoteTraceRoutes = new Map<string, (TraceRoute | undefined)[]>();
  private readonly closeListeners = new Set<(reason: string) => void>();

  private nextCallId = 1;
  private readonly pending = new Map<number, PendingCall>();
  /** Calls being handled here whose handler holds an AbortSignal, so a cancel can reach it. */
  private readonly cancellable = new Map<number, HandlerContext>();
  private sweepTimer: ReturnType<typeof setTimeout> | undefined;
  private sweepAt = Infinity;
  private readonly stopListeningForClose: (() => void) | undefined;
  private readonly stopListeningForDecodeFailures: (() => void) | undefined;
  private readonly receive = (message: unknown, wireBytes?: unknown) => this.onMessage(message, wireBytes);

  constructor(options: ConnectOptions<Local, Remote>) {
    this.transport = options.transport;
    this.peer = options.transport.peer;
    this.self = options.self;
    this.localName = options.local.name;
    this.remoteName = options.remote.name;
    this.onBadMessage = options.onBadMessage;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    checkMessageBounds(options.local, options.remote, this.maxMessageBytes);
    this.tracer = options.tracer ?? ipcTracer;

    const handlers = options.handlers as Record<string, RequestRoute['handler']>;
    for (const [name, spec] of Object.entries(options.local.methods)) {
      const handler = handlers[name];
      if (typeof handler !== 'function') throw new Error(`${this.localName}.${name} has no handler`);
      this.routes.set(name, { checker: compileChecker(spec.request), handler });
    }
    this.responseCheckers = new Map(
      Object.entries(options.remote.methods).map(([name, spec]) => [name, compileChecker(spec.response)]),
    );
    this.eventCheckers = new Map(Object.entries(options.remote.events).map(([name, schema]) => [name, compileChecker(schema)]));
    for (const spec of [options.local, options.remote]) {
      for (const name of [...Object.keys(spec.methods), ...Object.keys(spec.events)]) this.names.set(name, name);
    }

    const remote: Record<string, (request: unknown, options?: CallOptions) => Promise<unknown>> = {};
    for (const name of Object.keys(options.remote.methods)) {
      remote[name] = (request, callOptions) => this.call(name, request, callOptions);
    }
    this.remote = Object.freeze(remote) as RemoteMethods<Remote>;

    this.transport.on(this.receive);
    this.stopListeningForClose = this.transport.onDidClose?.(() => this.close('the channel closed'));
    this.stopListeningForDecodeFailures = this.transport.onDidFailToDecode?.((error) =>
      this.reportBad('?', `message could not be decoded: ${(error as Error)?.message ?? String(error)}`, '?'),
    );
  }

  // ---- calling -------------------------------------------------------------------------------

  private call(method: string, request: unknown, options: CallOptions | undefined): Promise<unknown> {
    const what = `${this.remoteName}.${method}`;
    if (this.closed) return Promise.reject(this.closedError(what));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(this.abortedError(what, signal.reason));

    const id = this.nextCallId++;
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    const tracing = this.tracer.active;
    const sentAt = tracing ? epochNow() : 0;
    const envelope = encodeRequest(id, method, request, tracing && this.tracer.stampsOutgoing ? sentAt : undefined);
    return new Promise((resolve, reject) => {
      const onAbort = signal ? () => this.settleAborted(id, signal.reason) : undefined;
      const deadline = performance.now() + timeoutMs;
      this.pending.set(id, { method, resolve, reject, deadline, sentAt, timeoutMs, signal, onAbort });
      if (signal && onAbort) signal.addEventListener('abort', onAbort, { once: true });
      this.scheduleSweep(deadline);
      let wireBytes: number | void;
      try {
        wireBytes = this.transport.post(envelope, options?.transfer);
      } catch (error) {
        this.settle(id)?.reject(new RpcError('RPC_BAD_MESSAGE', `${what} could not be sent: ${(error as Error).message}`, { cause: error }));
        return;
      }
      if (tracing) this.traceSend('request', this.remoteName, method, envelope, wireBytes, sentAt, id);
    });
  }

  /** Removes a pending call and its abort listener; the caller settles the promise. */
  private settle(id: number): PendingCall | undefined {
    const call = this.pending.get(id);
    if (!call) return undefined;
    this.pending.delete(id);
    if (call.signal && call.onAbort) call.signal.removeEventListener('abort', call.onAbort);
    return call;
  }

  private settleAborted(id: number, reason: unknown): void {
    const call = this.settle(id);
    if (!call) return;
    call.reject(this.abortedError(`${this.remoteName}.${call.method}`, reason));
    this.sendCancel(id);
  }

  private scheduleSweep(deadline: number): void {
    if (this.sweepTimer !== undefined && this.sweepAt <= deadline) return;
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    this.sweepAt = deadline;
    // One timer for all pending calls, set for the earliest deadline: a timer per call would cost
    // more than the rest of a small call's overhead together.
    this.sweepTimer = setTimeout(() => this.sweep(), Math.max(0, deadline - performance.now()) + 1);
    (this.sweepTimer as { unref?: () => void }).unref?.();
  }

  private sweep(): void {
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [id, call] of this.pending) {
      if (call.deadline <= now) {
        this.settle(id);
        call.reject(
          new RpcError(
            'RPC_TIMEOUT',
            `${this.remoteName}.${call.method} timed out after ${call.timeoutMs} ms waiting for ${describePeer(this.peer)}`,
          ),
        );
        this.sendCancel(id);
      } else if (call.deadline < next) {
        next = call.deadline;
      }
    }
    if (next !== Infinity) this.scheduleSweep(next);
  }

  private sendCancel(id: number): void {
    if (this.closed) return;
    this.postQuietly(encodeCancel(id));
  }

  // ---- events --------------------------------------------------------------------------------

  emit<E extends EventName<Local>>(event: E, payload: EventOf<Local, E>, transfer?: readonly Transferable[]): void {
    if (this.closed) return; // like a message on a closed pipe: nobody is there to get it
    if (!this.tracer.active) return void this.transport.post(encodeEvent(event, payload), transfer);
    const sentAt = epochNow();
    const envelope = encodeEvent(event, payload, this.tracer.stampsOutgoing ? sentAt : undefined);
    this.traceSend('event', this.localName, event, envelope, this.transport.post(envelope, transfer), sentAt);
  }

  on<E extends EventName<Remote>>(event: E, listener: (payload: EventOf<Remote, E>) => void): () => void {
    if (!this.eventCheckers.has(event)) throw new Error(`${this.remoteName} has no event ${event}`);
    let listeners = this.eventListeners.get(event);
    if (!listeners) this.eventListeners.set(event, (listeners = new Set()));
    const untyped = listener as (payload: unknown) => void; // validated against its schema before delivery
    listeners.add(untyped);
    return () => listeners.delete(untyped);
  }

  // ---- closing -------------------------------------------------------------------------------

  close(reason = 'closed by its owner'): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.off(this.receive);
    this.stopListeningForClose?.();
    this.stopListeningForDecodeFailures?.();
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const id of [...this.pending.keys()]) {
      const call = this.settle(id)!;
      call.reject(
        new RpcError('RPC_CLOSED', `${this.remoteName}.${call.method} failed: connection to ${describePeer(this.peer)} closed (${reason})`),
      );
    }
    for (const context of this.cancellable.values()) context.controller?.abort(new RpcError('RPC_CLOSED', reason));
    this.cancellable.clear();
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
  }

  onDidClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private closedError(what: string): RpcError {
    return new RpcError('RPC_CLOSED', `${what} failed: connection to ${describePeer(this.peer)} is closed`);
  }

  private abortedError(what: string, reason: unknown): RpcError {
    const error = new RpcError('RPC_ABORTED', `${what} was aborted`, { cause: reason });
    error.name = 'AbortError';
    return error;
  }

  // ---- receiving -----------------------------------------------------------------------------

  private onMessage(message: unknown, wireBytes: unknown): void {
    if (this.closed) return;
    try {
      this.dispatch(message, wireBytes);
    } catch (error) {
      // Validation rejects bad input before this point; reaching here is a bug of ours, and the
      // receive path must survive it all the same.
      this.reportBad('?', `receiver failed on this message: ${(error as Error)?.message ?? String(error)}`, '?');
    }
  }

  private dispatch(message: unknown, wireBytes: unknown): void {
    const problem = envelopeProblem(message);
    if (problem !== undefined) {
      // Name what the envelope claims where it can be read (a request's method, an event's name).
      const member = readableMember(message);
      if (member === undefined) return this.reportBad('?', problem, '?');
      const interfaceName = member.kind === Kind.Request ? this.localName : this.remoteName;
      return this.reportBad(interfaceName, problem, this.names.get(member.name) ?? member.name);
    }
    const envelope = message as Envelope;
    if (this.tracer.active) this.traceReceive(envelope, wireBytes);

    switch (envelope[0]) {
      case Kind.Request:
        return this.onRequest(envelope[1], envelope[2], envelope[3]);
      case Kind.Response: {
        const [, id, payload] = envelope;
        const call = this.pending.get(id);
        if (!call) return this.onUnmatchedAnswer(id);
        const checker = this.responseCheckers.get(call.method)!;
        if (!checker.check(payload)) {
          const reason = `${this.remoteName}.${call.method} response: ${checker.explain(payload)}`;
          this.settle(id);
          call.reject(new RpcError('RPC_BAD_MESSAGE', `bad message from ${describePeer(this.peer)}: ${reason}`));
          return this.reportBad(this.remoteName, reason, call.method);
        }
        this.settle(id);
        return call.resolve(payload);
      }
      case Kind.Error: {
        const call = this.settle(envelope[1]);
        if (!call) return this.onUnmatchedAnswer(envelope[1]);
        return call.reject(new RemoteError(envelope[2]));
      }
      case Kind.Event: {
        const [, name, payload] = envelope;
        const checker = this.eventCheckers.get(name);
        if (!checker) return this.reportBad(this.remoteName, `unknown event ${this.remoteName}.${name}`, name);
        if (!checker.check(payload)) {
          return this.reportBad(this.remoteName, `${this.remoteName}.${name} event: ${checker.explain(payload)}`, this.names.get(name)!);
        }
        const listeners = this.eventListeners.get(name);
        if (listeners) for (const listener of listeners) this.runListener(listener, payload, name);
        return;
      }
      case Kind.Cancel: {
        const context = this.cancellable.get(envelope[1]);
        this.cancellable.delete(envelope[1]);
        context?.controller?.abort(new RpcError('RPC_ABORTED', 'the caller cancelled this call'));
        return;
      }
    }
  }

  /** An answer with no pending call: late (timed out, aborted) is normal; never asked for is not. */
  private onUnmatchedAnswer(id: number): void {
    if (id >= this.nextCallId || id === 0) this.reportBad(this.remoteName, `response to call ${id}, which was never made`, '?');
  }

  private onRequest(id: number, method: string, payload: unknown): void {
    const route = this.routes.get(method);
    if (!route) {
      const reason = `unknown method ${this.localName}.${method}`;
      this.reply(id, method, new RpcError('RPC_BAD_MESSAGE', reason), true);
      return this.reportBad(this.localName, reason, method);
    }
    if (!route.checker.check(payload)) {
      const reason = `${this.localName}.${method} request: ${route.checker.explain(payload)}`;
      this.reply(id, method, new RpcError('RPC_BAD_MESSAGE', reason), true);
      return this.reportBad(this.localName, reason, this.names.get(method)!);
    }
    const context = new HandlerContext(this.peer, this.cancellable, id);
    let result: unknown;
    try {
      result = route.handler(payload, context);
    } catch (error) {
      return this.finishRequest(id, method, context, error, true);
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.finishRequest(id, method, context, value, false),
        (error) => this.finishRequest(id, method, context, error, true),
      );
    } else {
      this.finishRequest(id, method, context, result, false);
    }
  }

  private finishRequest(id: number, method: string, context: HandlerContext, value: unknown, failed: boolean): void {
    if (context.controller) {
      this.cancellable.delete(id);
      if (context.controller.signal.aborted) return; // the caller stopped waiting
    }
    this.reply(id, method, value, failed);
  }

  private reply(id: number, method: string, value: unknown, failed: boolean): void {
    if (this.closed) return;
    const what = `${this.localName}.${method}`;
    const tracing = this.tracer.active;
    const t = tracing ? epochNow() : 0;
    if (!failed) {
      const transfer = typeof value === 'object' && value !== null ? transferLists.get(value) : undefined;
      const envelope = encodeResponse(id, value, tracing && this.tracer.stampsOutgoing ? t : undefined);
      let wireBytes: number | void;
      try {
        wireBytes = this.transport.post(envelope, transfer);
      } catch (error) {
        return this.reply(id, method, new RpcError('RPC_BAD_MESSAGE', `${what} response could not be sent: ${(error as Error).message}`), true);
      }
      if (tracing) this.traceSend('response', this.localName, method, envelope, wireBytes, t, id);
      return;
    }
    const error = serializeError(value);
    const envelope = encodeError(id, error, tracing && this.tracer.stampsOutgoing ? t : undefined);
    const wireBytes = this.postQuietly(envelope);
    if (tracing) this.traceSend('error', this.localName, method, envelope, wireBytes, t, id);
  }

  private runListener(listener: (payload: unknown) => void, payload: unknown, event: string): void {
    try {
      listener(payload);
    } catch (error) {
      console.error(`A listener of ${this.remoteName}.${event} threw:`, error);
    }
  }

  /**
   * `method` is the method or event the message claimed to be, as far as it could be read: the
   * payload may be wrong and the name still readable; '?' only when the envelope hides it.
   */
  private reportBad(interfaceName: string, reason: string, method: string): void {
    if (this.tracer.active) {
      const now = epochNow();
      this.tracer.record({ route: this.traceRoute('receive', 'bad-message', interfaceName, method), size: 0, sentAt: now, receivedAt: now, error: reason });
    }
    try {
      this.onBadMessage({ peer: this.peer, interface: interfaceName, reason });
    } catch (error) {
      console.error('onBadMessage threw:', error);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private postQuietly(envelope: unknown[]): number | void {
    try {
      return this.transport.post(envelope);
    } catch {
      // Best effort: the channel is going away.
    }
  }

  /**
   * The route of a message: made once per declared member, kind and direction and reused, found by
   * the member's name as it came (one lookup). Members nobody declared (a broken or hostile peer's)
   * get a route of their own that is not kept, so a peer cannot grow the table; a kept route holds
   * the declared name, never the string from the wire.
   */
  private traceRoute(direction: TraceRoute['direction'], kind: TraceKind, interfaceName: string, method: string): TraceRoute {
    const table = interfaceName === this.localName ? this.localTraceRoutes : interfaceName === this.remoteName ? this.remoteTraceRoutes : undefined;
    let routes = table?.get(method);
    if (!routes) {
      const declared = this.names.get(method);
      if (!table || declared === undefined) return this.newTraceRoute(direction, kind, interfaceName, method);
      table.set(declared, (routes = new Array<TraceRoute | undefined>(ROUTE_SLOTS).fill(undefined)));
      method = declared;
    }
    const slot = ROUTE_SLOT[kind] + (direction === 'receive' ? 1 : 0);
    return (routes[slot] ??= this.newTraceRoute(direction, kind, interfaceName, this.names.get(method) ?? method));
  }

  private newTraceRoute(direction: TraceRoute['direction'], kind: TraceKind, interfaceName: string, method: string): TraceRoute {
    const [from, to] = direction === 'send' ? [this.self, this.peer] : [this.peer, this.self];
    return { direction, from, to, interface: interfaceName, method, kind };
  }

  /**
   * Sizes: what the channel says the message took on the wire (`wireBytes`, where it encodes
   * messages itself), else an estimate of the whole envelope, made when the tracer flushes.
   */
  private traceSend(kind: TraceKind, interfaceName: string, method: string, envelope: unknown[], wireBytes: unknown, sentAt: number, callId?: number): void {
    const route = this.traceRoute('send', kind, interfaceName, method);
    this.tracer.trace(route, callId ?? Number.NaN, sentAt, Number.NaN, Number.NaN, wireSize(wireBytes), envelope, this.maxMessageBytes);
  }

  private traceReceive(envelope: Envelope, wireBytes: unknown): void {
    const receivedAt = epochNow();
    // A sender that was not tracing sent no clock: the receive time is the best estimate.
    const sentAt = envelopeTime(envelope) ?? receivedAt;
    let interfaceName: string;
    let method: string;
    let kind: TraceKind;
    let callId = Number.NaN; // NaN: none
    let roundTripMs = Number.NaN;
    switch (envelope[0]) {
      case Kind.Request:
        interfaceName = this.localName;
        method = envelope[2]; // as it came: traceRoute finds the declared member by it
        kind = 'request';
        callId = envelope[1];
        break;
      case Kind.Event:
        interfaceName = this.remoteName;
        method = envelope[1];
        kind = 'event';
        break;
      case Kind.Cancel:
        interfaceName = this.localName;
        method = '?';
        kind = 'cancel';
        callId = envelope[1];
        break;
      default: {
        const call = this.pending.get(envelope[1]);
        interfaceName = this.remoteName;
        method = call?.method ?? '?';
        kind = envelope[0] === Kind.Response ? 'response' : 'error';
        callId = envelope[1];
        if (call) roundTripMs = receivedAt - call.sentAt;
      }
    }
    const route = this.traceRoute('receive', kind, interfaceName, method);
    this.tracer.trace(route, callId, sentAt, receivedAt, roundTripMs, wireSize(wireBytes), envelope, this.maxMessageBytes);
  }

}

/** Opens one end of a typed connection over `transport`. */
export function connect<Local extends InterfaceSpec, Remote extends InterfaceSpec>(
  options: ConnectOptions<Local, Remote>,
): Connection<Local, Remote> {
  return new Endpoint(options);
}
