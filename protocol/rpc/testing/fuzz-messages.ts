/**
 * TEST ONLY. Fuzzed messages for the hostile-children tests (fast-check, seeded): what a compromised
 * tab page, GPU process or plugin host posts on its real channel to the browser process. A batch is
 * many cheap messages the browser must take quietly (cancels of calls it never made, and for a tab
 * heartbeats: valid envelopes, fuzzed fields) and then one malformed message with the
 * BadMessageReason the browser must report for it. One malformed message per batch, last: the
 * browser ends the sender at the first one, so anything after it would never be read.
 * Every message is JSON-safe, so the same batch travels as text over a tab's CDP binding and as a
 * structured clone over a child's IPC channel.
 */
import fc from 'fast-check';
import { BadMessageReason } from '../bad-message.ts';
import { Kind } from '../wire.ts';

export interface Malformed {
  /** The message, or for a text channel possibly text that is not JSON at all (`text`). */
  readonly message: unknown;
  /** Set when the malformed thing is the text itself: sent as is, never JSON-encoded. */
  readonly text?: string;
  readonly reason: BadMessageReason;
}

export interface FuzzBatch {
  readonly cheap: readonly unknown[];
  readonly malformed: Malformed;
}

/** The sender: a tab's text channel may also carry text that is not JSON; a child's clone channel not. */
export type FuzzSender = 'tab' | 'utility';

const callId = fc.integer({ min: 0, max: 2 ** 31 });
const badCallId = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noInteger: true, noNaN: true }),
  fc.constant(2 ** 60),
  fc.string({ maxLength: 8 }),
  fc.constant(null),
);
/** Names no interface of the app declares. */
const strangeName = fc.string({ minLength: 1, maxLength: 40 }).map((name) => `fuzz:${name}`);
const payload = fc.jsonValue({ maxDepth: 3 });
const nonEnvelope = fc.jsonValue({ maxDepth: 3 }).filter((value) => !Array.isArray(value));

function malformed(sender: FuzzSender): fc.Arbitrary<Malformed> {
  const of = (reason: BadMessageReason) => (message: unknown) => ({ message, reason });
  const kinds: fc.Arbitrary<Malformed>[] = [
    nonEnvelope.map(of(BadMessageReason.MALFORMED_ENVELOPE)),
    fc
      .tuple(fc.integer({ min: 5, max: 1000 }), payload)
      .map(([kind, value]) => ({ message: [kind, value], reason: BadMessageReason.MALFORMED_ENVELOPE })),
    fc.tuple(badCallId, strangeName, payload).map(([id, name, value]) => ({
      message: [Kind.Request, id, name, value],
      reason: BadMessageReason.MALFORMED_ENVELOPE,
    })),
    fc.tuple(callId, strangeName, payload).map(([id, name, value]) => ({
      message: [Kind.Request, id, name, value],
      reason: BadMessageReason.UNKNOWN_METHOD,
    })),
    fc
      .tuple(strangeName, payload)
      .map(([name, value]) => ({ message: [Kind.Event, name, value], reason: BadMessageReason.UNKNOWN_EVENT })),
    fc.tuple(fc.integer({ min: 2 ** 40, max: 2 ** 50 }), payload).map(([id, value]) => ({
      message: [Kind.Response, id, value],
      reason: BadMessageReason.UNSOLICITED_RESPONSE,
    })),
    fc.tuple(callId, payload).map(([id, value]) => ({
      message: [Kind.Error, id, { error: value }],
      reason: BadMessageReason.MALFORMED_ENVELOPE,
    })),
  ];
  if (sender === 'tab') {
    // The tab's own events with payloads of the wrong shape, and text that is not JSON.
    kinds.push(
      fc
        .oneof(fc.string({ maxLength: 20 }), fc.double({ noInteger: true }), fc.constant(-1), fc.constant(null))
        .map((seq) => ({ message: [Kind.Event, 'heartbeat', { seq }], reason: BadMessageReason.INVALID_EVENT })),
      fc
        .string({ minLength: 1, maxLength: 60 })
        .map((body) => ({ message: undefined, text: `{,${body}`, reason: BadMessageReason.UNDECODABLE })),
    );
  }
  return fc.oneof(...kinds);
}

function cheap(sender: FuzzSender): fc.Arbitrary<unknown> {
  const cancel = callId.map((id) => [Kind.Cancel, id]);
  if (sender === 'utility') return cancel;
  return fc.oneof(
    cancel,
    fc.nat().map((seq) => [Kind.Event, 'heartbeat', { seq }]),
  );
}

/** A batch of `count` messages (count - 1 cheap, then the malformed one), the same for the same seed. */
export function fuzzBatch(sender: FuzzSender, seed: number, count: number): FuzzBatch {
  const cheapMessages = count > 1 ? fc.sample(cheap(sender), { seed, numRuns: count - 1 }) : [];
  const [bad] = fc.sample(malformed(sender), { seed: seed + 1, numRuns: 1 });
  return { cheap: cheapMessages, malformed: bad! };
}

/** The batch as the texts a tab page sends through its binding, in order. */
export function fuzzTexts(batch: FuzzBatch): string[] {
  const last = batch.malformed.text ?? JSON.stringify(batch.malformed.message);
  return [...batch.cheap.map((message) => JSON.stringify(message)), last];
}
