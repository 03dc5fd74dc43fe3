/**
 * A small interface for the RPC layer's own tests: every feature of the protocol (methods, events,
 * unions, binary data, errors, cancellation) in a few methods. Not used by the app.
 */
import { defineInterface, method } from '../interface.ts';
import { Bytes, Struct, z } from '../schema.ts';

export const Shape = z.discriminatedUnion('op', [
  Struct({ op: z.literal('rect'), x: z.number(), y: z.number(), w: z.number(), h: z.number() }),
  Struct({ op: z.literal('text'), text: z.string().max(256), x: z.number(), y: z.number() }),
  Struct({ op: z.literal('fill'), color: z.string().max(32) }),
]);

export const EchoService = defineInterface({
  name: 'EchoService',
  methods: {
    /** Returns the text it was given. */
    echo: method(Struct({ text: z.string().max(100_000) }), Struct({ text: z.string() })),
    /** Returns the shapes it was given, to prove unions round-trip. */
    draw: method(Struct({ shapes: z.array(Shape).max(10_000) }), Struct({ shapes: z.array(Shape) })),
    /** Throws an error with this name, message and code. */
    fail: method(Struct({ name: z.string(), message: z.string(), code: z.string().optional() }), Struct({})),
    /** Answers after `ms`, or never when the call is cancelled (then emits `cancelled`). */
    wait: method(Struct({ ms: z.int().nonnegative() }), Struct({ waited: z.int() })),
    /** Answers with a payload that breaks its own schema, to test response validation. */
    misbehave: method(Struct({}), Struct({ ok: z.boolean() })),
    /** Returns `size` bytes, moved (not copied) where the channel can. */
    bytes: method(Struct({ size: z.int().nonnegative() }), Struct({ data: Bytes(64 * 1024 * 1024) })),
    /** Asks the service to emit `ticked` `count` times. */
    tick: method(Struct({ count: z.int().min(0).max(1000) }), Struct({})),
    /** Posts `message` raw on the service's own transport, bypassing the RPC layer, as a compromised process could. */
    sendRaw: method(Struct({ message: z.unknown() }), Struct({})),
    /** Exits the service's process with this code (child-process tests only). */
    exit: method(Struct({ code: z.int() }), Struct({})),
  },
  events: {
    /** Sent by `tick`, numbered from 1. */
    ticked: Struct({ n: z.int() }),
    /** Sent when a `wait` call's signal was aborted by the caller. */
    cancelled: Struct({ ms: z.int() }),
    /** Sent when the service received a bad message (child-process tests only). */
    sawBadMessage: Struct({ reason: z.string(), peer: z.string() }),
  },
});

/** The caller's side declares nothing it serves. */
export const EchoClient = defineInterface({ name: 'EchoClient', methods: {}, events: {} });
