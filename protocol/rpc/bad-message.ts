/**
 * Why the RPC layer refused a message, one entry per reason, as Chromium's
 * content/browser/bad_message.h: the receiver reports it (ConnectOptions.onBadMessage) and the
 * browser ends the process that sent it (a renderer, the GPU process, the plugin host); the event log
 * records the entry beside the message's own text. The reason's text says what exactly was wrong.
 */
export const BadMessageReason = {
  /** The transport could not decode the bytes (a structured-clone 'messageerror'). */
  UNDECODABLE: 'UNDECODABLE',
  /** Not an envelope: wrong kind, id, name, or arity. */
  MALFORMED_ENVELOPE: 'MALFORMED_ENVELOPE',
  /** A request for a method the receiving interface does not have. */
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  /** A request whose payload fails its method's schema. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** An answer whose payload fails its method's schema. */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  /** An answer to a call that was never made. */
  UNSOLICITED_RESPONSE: 'UNSOLICITED_RESPONSE',
  /** An event the sending interface does not declare. */
  UNKNOWN_EVENT: 'UNKNOWN_EVENT',
  /** An event whose payload fails its schema. */
  INVALID_EVENT: 'INVALID_EVENT',
  /**
   * The sender is over its message budget (`ConnectOptions.messageBudget`): posting faster than any
   * honest peer of this interface does. Reported once; what it sends is dropped until it has been quiet long enough to refill.
   */
  FLOOD: 'FLOOD',
  /** The receiver itself failed on the message (a bug on this side; reported all the same). */
  RECEIVER_FAILED: 'RECEIVER_FAILED',
} as const;
export type BadMessageReason = (typeof BadMessageReason)[keyof typeof BadMessageReason];

/** Every reason, for schemas and exhaustive tests. */
export const BAD_MESSAGE_REASONS = Object.values(BadMessageReason) as readonly BadMessageReason[];
