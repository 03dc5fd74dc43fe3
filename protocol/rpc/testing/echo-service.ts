/**
 * A small interface for the RPC layer's own tests: every feature of the protocol (methods, events,
 * variants, binary data, errors, cancellation) in a few methods. Not used by the app.
 */
import { defineInterface, method } from '../interface.ts';
import { Bytes, Opaque, Struct, Type, Variant } from '../schema.ts';

const Text = (maxLength: number) => Type.String({ maxLength });

export const Shape = Variant('op', [
  Struct({ op: Type.Literal('rect'), x: Type.Number(), y: Type.Number(), w: Type.Number(), h: Type.Number() }),
  Struct({ op: Type.Literal('text'), text: Text(256), x: Type.Number(), y: Type.Number() }),
  Struct({ op: Type.Literal('fill'), color: Text(32) }),
]);

export const EchoService = defineInterface({
  name: 'EchoService',
  methods: {
    /** Returns the text it was given. */
    echo: method(Struct({ text: Text(100_000) }), Struct({ text: Text(100_000) })),
    /** Returns the shapes it was given, to prove variants round-trip. */
    draw: method(
      Struct({ shapes: Type.Array(Shape, { maxItems: 10_000 }) }),
      Struct({ shapes: Type.Array(Shape, { maxItems: 10_000 }) }),
    ),
    /** Throws an error with this name, message and code. */
    fail: method(Struct({ name: Text(64), message: Text(1024), code: Type.Optional(Text(64)) }), Struct({})),
    /** Answers after `ms`, or never when the call is cancelled (then emits `cancelled`). */
    wait: method(Struct({ ms: Type.Integer({ minimum: 0 }) }), Struct({ waited: Type.Integer() })),
    /** Answers with a payload that breaks its own schema, to test response validation. */
    misbehave: method(Struct({}), Struct({ ok: Type.Boolean() })),
    /** Returns `size` bytes, moved (not copied) where the channel can. */
    bytes: method(Struct({ size: Type.Integer({ minimum: 0 }) }), Struct({ data: Bytes(16 * 1024 * 1024) })),
    /** Asks the service to emit `ticked` `count` times. */
    tick: method(Struct({ count: Type.Integer({ minimum: 0, maximum: 1000 }) }), Struct({})),
    /** Posts `message` raw on the service's own transport, bypassing the RPC layer, as a compromised process could. */
    sendRaw: method(Struct({ message: Opaque(1024 * 1024) }), Struct({})),
    /** Exits the service's process with this code (child-process tests only). */
    exit: method(Struct({ code: Type.Integer() }), Struct({})),
  },
  events: {
    /** Sent by `tick`, numbered from 1. */
    ticked: Struct({ n: Type.Integer() }),
    /** Sent when a `wait` call's signal was aborted by the caller. */
    cancelled: Struct({ ms: Type.Integer() }),
    /** Sent when the service received a bad message (child-process tests only). */
    sawBadMessage: Struct({ reason: Text(4096), peer: Text(256) }),
  },
});

/** The caller's side declares nothing it serves. */
export const EchoClient = defineInterface({ name: 'EchoClient', methods: {}, events: {} });
