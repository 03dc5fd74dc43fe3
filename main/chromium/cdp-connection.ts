/**
 * A minimal Chrome DevTools Protocol client: one browser-level connection carrying flattened
 * sessions (`Target.attachToTarget` / `Target.setAutoAttach` with `flatten: true`), each command
 * sent with its session id and each event routed to its session.
 *
 * Written here rather than taken from Playwright because Playwright turns any iframe's crash into a
 * crash of the whole page, and its CDPSession cannot route flattened child sessions
 * (shared/knowledge/chromium-cdp.md). Every call is bounded by a timeout: a command sent to a
 * crashed or hung renderer may never be answered.
 */
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';

type Commands = ProtocolMapping.Commands;
type Events = ProtocolMapping.Events;
export type CdpMethod = keyof Commands;
/** A command's parameters (optional here even where the protocol requires them, to keep calls short). */
export type CdpParams<M extends CdpMethod> = Commands[M]['paramsType'][0];
export type CdpResult<M extends CdpMethod> = Commands[M]['returnType'];
export type CdpEventName = keyof Events;
export type CdpEventParams<E extends CdpEventName> = Events[E][0];

/** How the connection talks to the browser: a pipe or a WebSocket, one JSON text per message. */
export interface CdpWire {
  send(text: string): void;
  close(): void;
}

export type CdpErrorKind = 'protocol' | 'timeout' | 'closed' | 'detached';

export class CdpError extends Error {
  override readonly name = 'CdpError';
  constructor(
    readonly kind: CdpErrorKind,
    readonly method: string,
    message: string,
    /** The protocol's error code, for kind 'protocol'. */
    readonly code?: number,
  ) {
    super(`${method}: ${message}`);
  }
}

export interface CallOptions {
  /** Overrides the connection's default timeout for this call. */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly method: string;
  readonly sessionId: string | undefined;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: CdpError) => void;
  readonly timer: NodeJS.Timeout;
}

interface IncomingMessage {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: string };
  sessionId?: string;
}

export const DEFAULT_CDP_TIMEOUT_MS = 5000;

/** One target's session (or the browser itself, for the root session, whose `id` is undefined). */
export class CdpSession {
  private readonly listeners = new Map<string, Set<(params: never) => void>>();
  private readonly detachListeners = new Set<(reason: string) => void>();
  private goneReason: string | undefined;

  constructor(
    private readonly connection: CdpConnection,
    readonly id: string | undefined,
    /** The target this session is attached to, when known. */
    readonly targetId: string | undefined,
  ) {}

  /** Why the session ended, or undefined while it can still be used. */
  get gone(): string | undefined {
    return this.goneReason;
  }

  send<M extends CdpMethod>(method: M, params?: CdpParams<M>, options?: CallOptions): Promise<CdpResult<M>> {
    // A session of a closed connection fails as 'closed' (from call()), a detached one as 'detached'.
    if (this.goneReason !== undefined && this.connection.closed === undefined) {
      return Promise.reject(new CdpError('detached', method, this.goneReason));
    }
    return this.connection.call(method, params, this.id, options?.timeoutMs);
  }

  /**
   * Sends a command whose answer nobody waits for (Page.crash: its reply sometimes never comes).
   * Still bounded by the timeout, so nothing stays pending forever.
   */
  fire<M extends CdpMethod>(method: M, params?: CdpParams<M>, options?: CallOptions): void {
    this.send(method, params, options).catch(() => {}); // nobody waits for the answer, so a failure has no one to tell
  }

  /** Listens to one event of this session; returns an unsubscribe. */
  on<E extends CdpEventName>(event: E, listener: (params: CdpEventParams<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const stored = listener as (params: never) => void;
    set.add(stored);
    return () => void set.delete(stored);
  }

  /** Calls `listener` once when the session detaches or the connection closes. */
  onDidDetach(listener: (reason: string) => void): () => void {
    if (this.goneReason !== undefined) {
      listener(this.goneReason);
      return () => {};
    }
    this.detachListeners.add(listener);
    return () => void this.detachListeners.delete(listener);
  }

  /** @internal The connection routes this session's events here. */
  dispatch(method: string, params: unknown): void {
    for (const listener of [...(this.listeners.get(method) ?? [])]) {
      try {
        (listener as (params: unknown) => void)(params);
      } catch (error) {
        // One faulty listener must not stop the others or the connection's read loop.
        console.error(`[cdp] a ${method} listener threw:`, error);
      }
    }
  }

  /** @internal */
  end(reason: string): void {
    if (this.goneReason !== undefined) return;
    this.goneReason = reason;
    this.listeners.clear();
    for (const listener of [...this.detachListeners]) listener(reason);
    this.detachListeners.clear();
  }
}

export class CdpConnection {
  /** The browser-level session: Target.*, Browser.*, SystemInfo.*. */
  readonly root: CdpSession;
  private readonly sessions = new Map<string, CdpSession>();
  private readonly pending = new Map<number, Pending>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private nextId = 1;
  private closedReason: string | undefined;

  constructor(
    private readonly wire: CdpWire,
    private readonly defaultTimeoutMs = DEFAULT_CDP_TIMEOUT_MS,
  ) {
    this.root = new CdpSession(this, undefined, undefined);
  }

  get closed(): string | undefined {
    return this.closedReason;
  }

  /** The session with this id (from Target.attachToTarget or Target.attachedToTarget), if attached. */
  session(sessionId: string): CdpSession | undefined {
    return this.sessions.get(sessionId);
  }

  /** Attaches to a target with a flattened session. */
  async attach(targetId: string, options?: CallOptions): Promise<CdpSession> {
    const { sessionId } = await this.root.send('Target.attachToTarget', { targetId, flatten: true }, options);
    return this.sessionFor(sessionId, targetId);
  }

  onDidClose(listener: (reason: string) => void): () => void {
    if (this.closedReason !== undefined) {
      listener(this.closedReason);
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => void this.closeListeners.delete(listener);
  }

  /** @internal Use a session's `send`. */
  call<M extends CdpMethod>(
    method: M,
    params: unknown,
    sessionId: string | undefined,
    timeoutMs?: number,
  ): Promise<CdpResult<M>> {
    if (this.closedReason !== undefined) return Promise.reject(new CdpError('closed', method, this.closedReason));
    const id = this.nextId++;
    const limit = timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<CdpResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError('timeout', method, `no answer within ${limit} ms`));
      }, limit);
      this.pending.set(id, { method, sessionId, resolve: resolve as (result: unknown) => void, reject, timer });
      this.wire.send(JSON.stringify({ id, method, params: params ?? {}, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** Feeds one message from the wire. */
  receive(text: string): void {
    let message: IncomingMessage;
    try {
      message = JSON.parse(text) as IncomingMessage;
    } catch {
      console.error('[cdp] an unparsable message from the browser was dropped');
      return;
    }
    if (message.id !== undefined) return this.settle(message);
    if (!message.method) return;
    // A new flattened session exists before its first event, so it is created before anything
    // hears of it (a listener of attachedToTarget can subscribe to it at once).
    if (message.method === 'Target.attachedToTarget') {
      const { sessionId, targetInfo } = message.params as CdpEventParams<'Target.attachedToTarget'>;
      this.sessionFor(sessionId, targetInfo.targetId);
    }
    const session = message.sessionId ? this.sessions.get(message.sessionId) : this.root;
    session?.dispatch(message.method, message.params);
    if (message.method === 'Target.detachedFromTarget') {
      const { sessionId } = message.params as CdpEventParams<'Target.detachedFromTarget'>;
      this.endSession(sessionId, 'the target detached');
    }
  }

  /** Ends the connection: every pending call fails, every session ends. Idempotent. */
  close(reason = 'the connection was closed'): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new CdpError('closed', pending.method, reason));
      this.pending.delete(id);
    }
    for (const sessionId of [...this.sessions.keys()]) this.endSession(sessionId, reason);
    this.root.end(reason);
    this.wire.close();
    for (const listener of [...this.closeListeners]) listener(reason);
    this.closeListeners.clear();
  }

  private sessionFor(sessionId: string, targetId: string): CdpSession {
    let session = this.sessions.get(sessionId);
    if (!session) this.sessions.set(sessionId, (session = new CdpSession(this, sessionId, targetId)));
    return session;
  }

  private settle(message: IncomingMessage): void {
    const pending = this.pending.get(message.id!);
    if (!pending) return; // it timed out already
    this.pending.delete(message.id!);
    clearTimeout(pending.timer);
    if (message.error) {
      const detail = message.error.data ? `${message.error.message} (${message.error.data})` : message.error.message;
      pending.reject(new CdpError('protocol', pending.method, detail, message.error.code));
    } else {
      pending.resolve(message.result);
    }
  }

  private endSession(sessionId: string, reason: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    for (const [id, pending] of this.pending) {
      if (pending.sessionId !== sessionId) continue;
      clearTimeout(pending.timer);
      pending.reject(new CdpError('detached', pending.method, reason));
      this.pending.delete(id);
    }
    session.end(reason);
  }
}
