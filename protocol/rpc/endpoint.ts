/**
 * One end of a typed RPC connection over any Transport: requests with correlation ids, timeouts,
 * cancellation, remote errors, events, and validation of everything received before any handler
 * or listener sees it. A message that fails validation is reported as a bad message with the
 * sender's identity from the transport (the browser process uses that to end the offending process).
 * Over 400 lines because a connection's send and receive paths share its pending calls and members
 * and are read together; tracing lives in trace-log.ts, message bounds in interface.ts.
 */
import { describePeer, type PeerIdentity, type Transferable, type Transport } from '../transport/transport.ts';
import { BadMessageReason } from './bad-message.ts';
import { RemoteError, RpcError, serializeError } from './errors.ts';
import {
  checkMessageBounds,
  DEFAULT_MAX_MESSAGE_BYTES,
  type EventName,
  type EventOf,
  type InterfaceSpec,
  type MethodName,
  type RequestOf,
  type ResponseOf,
} from './interface.ts';
import { compileChecker, type Checker } from './schema.ts';
import { epochNow, ipcTracer, type Tracer } from './trace.ts';
import { TraceLog, tracedMember, type TracedMember } from './trace-log.ts';
import {
  encodeCancel,
  encodeError,
  encodeEvent,
  encodeRequest,
  encodeResponse,
  Kind,
  envelopeProblem,
  readableMember,
  type Envelope,
} from './wire.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

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
  /** What exactly was wrong with it. */
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
  /**
   * Called for every message that fails validation; the message reaches no handler. `code` is the
   * reason's entry in bad-message.ts (Chromium's bad_message::ReceivedBadMessage takes the same).
   */
  readonly onBadMessage: (report: BadMessageReport, code: BadMessageReason) => void;
  readonly timeoutMs?: number;
  /** The largest message either side may send; connecting checks it against the interfaces' bounds (`messageBounds`). */
  readonly maxMessageBytes?: number;
  readonly tracer?: Tracer;
  /**
   * A per-sender limit on what this side receives, as a token bucket: up to `burst` messages at once,
   * refilled at `perSecond`. Past it, the sender is reported once (FLOOD) and its messages dropped
   * until the bucket is full again, so one flooding peer cannot keep the process busy for the others. None
   * by default; the browser gives each tab one (main/core/tabs.ts).
   */
  readonly messageBudget?: MessageBudget;
}

export interface MessageBudget {
  readonly burst: number;
  readonly perSecond: number;
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
  readonly method: RemoteMethod;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly deadline: number;
  /** Epoch ms when sent while tracing, else NaN (its answer gets no round trip). */
  readonly sentAt: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/**
 * A declared method or event as an endpoint holds it, made once when connecting: a message finds it
 * with one lookup by name (a call, with none: its proxy holds it), and it carries all the endpoint
 * needs of it, its trace routes included, so tracing a message adds no lookup of its own.
 */
type Member = TracedMember;

interface LocalMethod extends Member {
  readonly checker: Checker;
  readonly handler: (request: unknown, context: CallContext) => unknown;
}

interface RemoteMethod extends Member {
  /** Of the response. */
  readonly checker: Checker;
}

interface RemoteEvent extends Member {
  readonly checker: Checker;
  listeners: Set<(payload: unknown) => void> | undefined;
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

class Endpoint<Local extends InterfaceSpec, Remote extends InterfaceSpec> implements Connection<Local, Remote> {
  readonly remote: RemoteMethods<Remote>;
  readonly peer: PeerIdentity;
  closed = false;

  private readonly transport: Transport;
  private readonly self: PeerIdentity;
  private readonly localName: string;
  private readonly remoteName: string;
  private readonly onBadMessage: (report: BadMessageReport, code: BadMessageReason) => void;
  private readonly timeoutMs: number;
  private readonly tracer: Tracer;
  /** What this connection tells the tracer: see `log`. */
  private readonly traceLog: TraceLog;

  private readonly localMethods = new Map<string, LocalMethod>();
  private readonly remoteMethods = new Map<string, RemoteMethod>();
  private readonly localEvents = new Map<string, Member>();
  private readonly remoteEvents = new Map<string, RemoteEvent>();
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
  private readonly budget: MessageBudget | undefined;
  private tokens = 0;
  private tokensAt = 0;
  /** Reported as flooding since the bucket last ran dry: once until it has tokens again. */
  private flooding = false;

  constructor(options: ConnectOptions<Local, Remote>) {
    this.transport = options.transport;
    this.peer = options.transport.peer;
    this.self = options.self;
    this.localName = options.local.name;
    this.remoteName = options.remote.name;
    this.onBadMessage = options.onBadMessage;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.budget = options.messageBudget;
    if (this.budget) {
      this.tokens = this.budget.burst;
      this.tokensAt = performance.now();
    }
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    checkMessageBounds([options.local, options.remote], maxMessageBytes);
    this.tracer = options.tracer ?? ipcTracer;
    this.traceLog = new TraceLog(this.tracer, this.self, this.peer, this.localName, this.remoteName, maxMessageBytes);

    const handlers = options.handlers as Record<string, LocalMethod['handler']>;
    for (const [name, spec] of Object.entries(options.local.methods)) {
      const handler = handlers[name];
      if (typeof handler !== 'function') throw new Error(`${this.localName}.${name} has no handler`);
      this.localMethods.set(
        name,
        tracedMember(this.localName, name, { checker: compileChecker(spec.request), handler }),
      );
    }
    for (const name of Object.keys(options.local.events))
      this.localEvents.set(name, tracedMember(this.localName, name, {}));
    for (const [name, spec] of Object.entries(options.remote.methods)) {
      this.remoteMethods.set(name, tracedMember(this.remoteName, name, { checker: compileChecker(spec.response) }));
    }
    for (const [name, schema] of Object.entries(options.remote.events)) {
      this.remoteEvents.set(
        name,
        tracedMember(this.remoteName, name, { checker: compileChecker(schema), listeners: undefined }),
      );
    }

    const remote: Record<string, (request: unknown, options?: CallOptions) => Promise<unknown>> = {};
    for (const method of this.remoteMethods.values()) {
      remote[method.name] = (request, callOptions) => this.call(method, request, callOptions);
    }
    this.remote = Object.freeze(remote) as RemoteMethods<Remote>;

    this.transport.on(this.receive);
    this.stopListeningForClose = this.transport.onDidClose?.(() => this.close('the channel closed'));
    this.stopListeningForDecodeFailures = this.transport.onDidFailToDecode?.((error) =>
      this.reportBad(
        BadMessageReason.UNDECODABLE,
        '?',
        `message could not be decoded: ${(error as Error)?.message ?? String(error)}`,
        '?',
      ),
    );
  }

  /**
   * The trace log while someone traces, else undefined: each message calls it once (`log?.…`), and
   * with nobody tracing pays this one field read.
   */
  private get log(): TraceLog | undefined {
    return this.tracer.active ? this.traceLog : undefined;
  }

  // ---- calling -------------------------------------------------------------------------------

  private call(method: RemoteMethod, request: unknown, options: CallOptions | undefined): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closedError(`${this.remoteName}.${method.name}`));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(this.abortedError(`${this.remoteName}.${method.name}`, signal.reason));

    const id = this.nextCallId++;
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    const log = this.log;
    const sentAt = log ? epochNow() : Number.NaN; // NaN: no round trip for a call made before tracing
    const envelope = encodeRequest(id, method.name, request, log?.stampsOutgoing ? sentAt : undefined);
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
        const what = `${this.remoteName}.${method.name}`;
        this.settle(id)?.reject(
          new RpcError('RPC_BAD_MESSAGE', `${what} could not be sent: ${(error as Error).message}`, { cause: error }),
        );
        return;
      }
      log?.logOutgoing('request', method, method.name, id, envelope, wireBytes, sentAt);
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
    call.reject(this.abortedError(`${this.remoteName}.${call.method.name}`, reason));
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
            `${this.remoteName}.${call.method.name} timed out after ${call.timeoutMs} ms waiting for ${describePeer(this.peer)}`,
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
    const log = this.log;
    if (!log) return void this.transport.post(encodeEvent(event, payload), transfer);
    const sentAt = epochNow();
    const envelope = encodeEvent(event, payload, log.stampsOutgoing ? sentAt : undefined);
    const wireBytes = this.transport.post(envelope, transfer);
    log.logOutgoing('event', this.localEvents.get(event), event, Number.NaN, envelope, wireBytes, sentAt);
  }

  on<E extends EventName<Remote>>(event: E, listener: (payload: EventOf<Remote, E>) => void): () => void {
    const declared = this.remoteEvents.get(event);
    if (!declared) throw new Error(`${this.remoteName} has no event ${event}`);
    const listeners = (declared.listeners ??= new Set());
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
        new RpcError(
          'RPC_CLOSED',
          `${this.remoteName}.${call.method.name} failed: connection to ${describePeer(this.peer)} closed (${reason})`,
        ),
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
    if (this.budget && !this.takeToken()) return;
    try {
      this.dispatch(message, wireBytes);
    } catch (error) {
      // Validation rejects bad input before this point; reaching here is a bug of ours, and the
      // receive path must survive it all the same.
      this.reportBad(
        BadMessageReason.RECEIVER_FAILED,
        '?',
        `receiver failed on this message: ${(error as Error)?.message ?? String(error)}`,
        '?',
      );
    }
  }

  private dispatch(message: unknown, wireBytes: unknown): void {
    const problem = envelopeProblem(message);
    if (problem !== undefined) {
      // Name what the envelope claims where it can be read (a request's method, an event's name).
      const claimed = readableMember(message);
      if (claimed === undefined) return this.reportBad(BadMessageReason.MALFORMED_ENVELOPE, '?', problem, '?');
      if (claimed.kind === Kind.Request)
        return this.reportBad(
          BadMessageReason.MALFORMED_ENVELOPE,
          this.localName,
          problem,
          claimed.name,
          this.localMethods.get(claimed.name),
        );
      return this.reportBad(
        BadMessageReason.MALFORMED_ENVELOPE,
        this.remoteName,
        problem,
        claimed.name,
        this.remoteEvents.get(claimed.name),
      );
    }
    const envelope = message as Envelope;
    // Each kind finds its member (or pending call) once, and a traced message is recorded with it
    // before anything else happens to it.
    switch (envelope[0]) {
      case Kind.Request: {
        const [, id, name, payload] = envelope;
        const method = this.localMethods.get(name);
        this.log?.logIncoming('request', method, name, id, Number.NaN, envelope, wireBytes);
        return this.onRequest(id, name, method, payload);
      }
      case Kind.Response: {
        const [, id, payload] = envelope;
        const call = this.pending.get(id);
        this.log?.logIncoming('response', call?.method, '?', id, call ? call.sentAt : Number.NaN, envelope, wireBytes);
        if (!call) return this.onUnmatchedAnswer(id);
        const method = call.method;
        if (!method.checker.check(payload)) {
          const reason = `${this.remoteName}.${method.name} response: ${method.checker.explain(payload)}`;
          this.settle(id);
          call.reject(new RpcError('RPC_BAD_MESSAGE', `bad message from ${describePeer(this.peer)}: ${reason}`));
          return this.reportBad(BadMessageReason.INVALID_RESPONSE, this.remoteName, reason, method.name, method);
        }
        this.settle(id);
        return call.resolve(payload);
      }
      case Kind.Error: {
        const id = envelope[1];
        const call = this.settle(id);
        this.log?.logIncoming('error', call?.method, '?', id, call ? call.sentAt : Number.NaN, envelope, wireBytes);
        if (!call) return this.onUnmatchedAnswer(id);
        return call.reject(new RemoteError(envelope[2]));
      }
      case Kind.Event: {
        const [, name, payload] = envelope;
        const event = this.remoteEvents.get(name);
        this.log?.logIncoming('event', event, name, Number.NaN, Number.NaN, envelope, wireBytes);
        if (!event)
          return this.reportBad(
            BadMessageReason.UNKNOWN_EVENT,
            this.remoteName,
            `unknown event ${this.remoteName}.${name}`,
            name,
          );
        if (!event.checker.check(payload)) {
          return this.reportBad(
            BadMessageReason.INVALID_EVENT,
            this.remoteName,
            `${this.remoteName}.${event.name} event: ${event.checker.explain(payload)}`,
            event.name,
            event,
          );
        }
        if (event.listeners) for (const listener of event.listeners) this.runListener(listener, payload, event.name);
        return;
      }
      case Kind.Cancel: {
        const id = envelope[1];
        this.log?.logIncoming('cancel', undefined, '?', id, Number.NaN, envelope, wireBytes);
        const context = this.cancellable.get(id);
        this.cancellable.delete(id);
        context?.controller?.abort(new RpcError('RPC_ABORTED', 'the caller cancelled this call'));
        return;
      }
    }
  }

  /**
   * False when the sender is over its budget: the first such message reports FLOOD, and everything
   * is dropped from then until the bucket is full again (a flooder must go quiet to be heard).
   */
  private takeToken(): boolean {
    const budget = this.budget!;
    const now = performance.now();
    this.tokens = Math.min(budget.burst, this.tokens + ((now - this.tokensAt) * budget.perSecond) / 1000);
    this.tokensAt = now;
    if (this.flooding && this.tokens < budget.burst) return false;
    this.flooding = false;
    if (this.tokens < 1) {
      this.flooding = true;
      this.reportBad(
        BadMessageReason.FLOOD,
        '?',
        `over its budget of ${budget.burst} messages at once, ${budget.perSecond} a second: what it sends is dropped until it has been quiet for ${budget.burst / budget.perSecond} s`,
        '?',
      );
      return false;
    }
    this.tokens--;
    return true;
  }

  /** An answer with no pending call: late (timed out, aborted) is normal; never asked for is not. */
  private onUnmatchedAnswer(id: number): void {
    if (id >= this.nextCallId || id === 0)
      this.reportBad(
        BadMessageReason.UNSOLICITED_RESPONSE,
        this.remoteName,
        `response to call ${id}, which was never made`,
        '?',
      );
  }

  private onRequest(id: number, name: string, method: LocalMethod | undefined, payload: unknown): void {
    if (!method) {
      const reason = `unknown method ${this.localName}.${name}`;
      this.reply(id, undefined, name, new RpcError('RPC_BAD_MESSAGE', reason), true);
      return this.reportBad(BadMessageReason.UNKNOWN_METHOD, this.localName, reason, name);
    }
    if (!method.checker.check(payload)) {
      const reason = `${this.localName}.${method.name} request: ${method.checker.explain(payload)}`;
      this.reply(id, method, method.name, new RpcError('RPC_BAD_MESSAGE', reason), true);
      return this.reportBad(BadMessageReason.INVALID_REQUEST, this.localName, reason, method.name, method);
    }
    const context = new HandlerContext(this.peer, this.cancellable, id);
    let result: unknown;
    try {
      result = method.handler(payload, context);
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

  private finishRequest(
    id: number,
    method: LocalMethod,
    context: HandlerContext,
    value: unknown,
    failed: boolean,
  ): void {
    if (context.controller) {
      this.cancellable.delete(id);
      if (context.controller.signal.aborted) return; // the caller stopped waiting
    }
    this.reply(id, method, method.name, value, failed);
  }

  /** `method` is undefined when the request named no method of ours (`name`, as it came). */
  private reply(id: number, method: LocalMethod | undefined, name: string, value: unknown, failed: boolean): void {
    if (this.closed) return;
    const log = this.log;
    const t = log ? epochNow() : 0;
    if (!failed) {
      const transfer = typeof value === 'object' && value !== null ? transferLists.get(value) : undefined;
      const envelope = encodeResponse(id, value, log?.stampsOutgoing ? t : undefined);
      let wireBytes: number | void;
      try {
        wireBytes = this.transport.post(envelope, transfer);
      } catch (error) {
        const reason = `${this.localName}.${name} response could not be sent: ${(error as Error).message}`;
        return this.reply(id, method, name, new RpcError('RPC_BAD_MESSAGE', reason), true);
      }
      log?.logOutgoing('response', method, name, id, envelope, wireBytes, t);
      return;
    }
    const error = serializeError(value);
    const envelope = encodeError(id, error, log?.stampsOutgoing ? t : undefined);
    const wireBytes = this.postQuietly(envelope);
    log?.logOutgoing('error', method, name, id, envelope, wireBytes, t);
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
   * payload may be wrong and the name still readable; '?' only when the envelope hides it. `member`:
   * the declared one it names, if any.
   */
  private reportBad(
    code: BadMessageReason,
    interfaceName: string,
    reason: string,
    method: string,
    member?: Member,
  ): void {
    this.log?.logBadMessage(member, interfaceName, method, reason);
    try {
      this.onBadMessage({ peer: this.peer, interface: interfaceName, reason }, code);
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
}

/** Opens one end of a typed connection over `transport`. */
export function connect<Local extends InterfaceSpec, Remote extends InterfaceSpec>(
  options: ConnectOptions<Local, Remote>,
): Connection<Local, Remote> {
  return new Endpoint(options);
}
