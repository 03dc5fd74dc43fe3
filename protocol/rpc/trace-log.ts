/**
 * What one connection tells the tracer, in the shape of VS Code's `IIPCLogger` (`logOutgoing`,
 * `logIncoming`; src/vs/base/parts/ipc/common/ipc.ts): an endpoint holds one TraceLog and, while
 * someone traces, calls it once per message, after the message is posted or as it arrives. All
 * that tracing needs of a connection lives here: the routes (who sent what to whom), made once per
 * member, kind and direction and kept on the member itself, so tracing a message adds no lookup of
 * its own; sizes from the wire or estimated later; the sender's clock where the envelope has one.
 */
import type { PeerIdentity } from '../transport/transport.ts';
import { epochNow, type TraceKind, type TraceRoute, type Tracer } from './trace.ts';
import { envelopeTime, type Envelope } from './wire.ts';

/**
 * A declared method or event as an endpoint holds it (endpoints add their checker, handler or
 * listeners): it carries its trace routes, so the lookup a message needs anyway finds them.
 */
export interface TracedMember {
  readonly interfaceName: string;
  /** As declared: a trace record holds this string rather than the copy each message carries. */
  readonly name: string;
  /** Trace routes by routeSlot(kind, received), made on first use. */
  readonly traceRoutes: (TraceRoute | undefined)[];
}

/** A route's slot in a member's table of routes: by kind, then direction. */
const ROUTE_SLOTS = 12;

export const tracedMember = <T extends object>(interfaceName: string, name: string, rest: T): TracedMember & T => ({
  interfaceName,
  name,
  traceRoutes: new Array<TraceRoute | undefined>(ROUTE_SLOTS).fill(undefined),
  ...rest,
});

/**
 * A switch rather than a lookup table: a table read by kind sees every kind at one site and goes
 * megamorphic (measured on the per-message path).
 */
function routeSlot(kind: TraceKind, received: number): number {
  switch (kind) {
    case 'request':
      return received;
    case 'response':
      return 2 + received;
    case 'error':
      return 4 + received;
    case 'event':
      return 6 + received;
    case 'cancel':
      return 8 + received;
    case 'bad-message':
      return 10 + received;
  }
}
const SENT = 0;
const RECEIVED = 1;

/**
 * A size a channel reported, or NaN (estimate it). Only a number counts: a platform's `postMessage`
 * may answer `true`, and an emitter may hand a listener more than the message (a child process's
 * 'message' event passes a handle second).
 */
const wireSize = (wireBytes: unknown) => (typeof wireBytes === 'number' ? wireBytes : Number.NaN);

export class TraceLog {
  /** Whether a send time rides in every message sent while tracing (TracerOptions.stampOutgoing). */
  readonly stampsOutgoing: boolean;

  constructor(
    private readonly tracer: Tracer,
    private readonly self: PeerIdentity,
    private readonly peer: PeerIdentity,
    /** The interface this side implements, and the other side's: a member nobody declared is named on one. */
    private readonly localName: string,
    private readonly remoteName: string,
    /** What an estimated size is bounded by: the connection's largest message. */
    private readonly maxMessageBytes: number,
  ) {
    this.stampsOutgoing = tracer.stampsOutgoing;
  }

  /**
   * A sent message, with its member (`name` only names one nobody declared: an event emitted past
   * the types, an error answering an unknown method). Sizes: what the channel says the message took on the wire (`wireBytes`, where it encodes
   * messages itself), else an estimate of the whole envelope, made when the tracer flushes.
   */
  logOutgoing(
    kind: TraceKind,
    member: TracedMember | undefined,
    name: string,
    callId: number,
    envelope: unknown[],
    wireBytes: unknown,
    sentAt: number,
  ): void {
    const route = this.routeFor(member, kind, SENT, name);
    this.tracer.trace(
      route,
      callId,
      sentAt,
      Number.NaN,
      Number.NaN,
      wireSize(wireBytes),
      envelope,
      this.maxMessageBytes,
    );
  }

  /**
   * A received message, with its member when it names a declared one (else `name` as it came, or '?'
   * where the envelope does not say: an answer to no pending call, a cancel). `requestSentAt` gives
   * an answer its round trip.
   */
  logIncoming(
    kind: TraceKind,
    member: TracedMember | undefined,
    name: string,
    callId: number,
    requestSentAt: number,
    envelope: Envelope,
    wireBytes: unknown,
  ): void {
    const receivedAt = epochNow();
    // A sender that was not tracing sent no clock: the receive time is the best estimate.
    const sentAt = envelopeTime(envelope) ?? receivedAt;
    const route = this.routeFor(member, kind, RECEIVED, name);
    this.tracer.trace(
      route,
      callId,
      sentAt,
      receivedAt,
      receivedAt - requestSentAt,
      wireSize(wireBytes),
      envelope,
      this.maxMessageBytes,
    );
  }

  /** A message refused as bad, under the member it claims (`name` as it came when none, '?' when unreadable). */
  logBadMessage(member: TracedMember | undefined, interfaceName: string, name: string, reason: string): void {
    const now = epochNow();
    const route = member
      ? this.routeFor(member, 'bad-message', RECEIVED, name)
      : this.newRoute(RECEIVED, 'bad-message', interfaceName, name);
    this.tracer.record({ route, size: 0, sentAt: now, receivedAt: now, error: reason });
  }

  /**
   * A declared member's route of one kind and direction, made once and reused; a message of a member
   * nobody declared (`member` undefined: `name` as it came) gets a route of its own that is not kept,
   * so a broken or hostile peer cannot grow the tables. Such a message is named on the interface its
   * kind belongs to: a request (or its cancel) on the one that answers it, the rest on the sender's.
   */
  private routeFor(member: TracedMember | undefined, kind: TraceKind, received: number, name: string): TraceRoute {
    if (!member) {
      const onRemote = received ? kind !== 'request' && kind !== 'cancel' : kind === 'request';
      return this.newRoute(received, kind, onRemote ? this.remoteName : this.localName, name);
    }
    return (member.traceRoutes[routeSlot(kind, received)] ??= this.newRoute(
      received,
      kind,
      member.interfaceName,
      member.name,
    ));
  }

  private newRoute(received: number, kind: TraceKind, interfaceName: string, method: string): TraceRoute {
    return received
      ? { direction: 'receive', from: this.peer, to: this.self, interface: interfaceName, method, kind }
      : { direction: 'send', from: this.self, to: this.peer, interface: interfaceName, method, kind };
  }
}
