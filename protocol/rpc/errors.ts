/**
 * Errors that cross a channel. An error with a machine-readable code is made one way, as a
 * CodedError: the RPC layer's own (RpcError, with the codes below), each interface's domain errors
 * (the `...ErrorCode` objects beside the interfaces), a plugin's. A remote error crosses the channel
 * with its name, message, code and stack (Electron's ipcMain.handle keeps only the message), and
 * arrives as a RemoteError.
 */

/** An Error with a machine-readable `code`, which the RPC layer carries to the caller. */
export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  /** `name` stays 'Error' unless given (a plugin's error keeps its own across the channel). */
  constructor(code: Code, message: string, options?: { readonly cause?: unknown; readonly name?: string }) {
    const { name, ...errorOptions } = options ?? {};
    super(message, options && 'cause' in options ? errorOptions : undefined);
    if (name !== undefined) this.name = name;
    this.code = code;
  }
}

/**
 * An interface's error codes as an enum-like object (`Codes.X === 'X'`), declared beside the
 * interface: `errorCodes('NO_SUCH_TAB', ...)`, and its type `ErrorCodeOf<typeof Codes>`.
 */
export function errorCodes<const Code extends string>(...codes: readonly Code[]): { readonly [C in Code]: C } {
  return Object.freeze(Object.fromEntries(codes.map((code) => [code, code]))) as { readonly [C in Code]: C };
}
export type ErrorCodeOf<Codes> = Codes[keyof Codes];

/** The RPC layer's own error codes (each interface's own sit beside it: protocol/interfaces/). */
export const RpcErrorCode = {
  /** No answer within the call's timeout. */
  RPC_TIMEOUT: 'RPC_TIMEOUT',
  /** The caller's signal aborted the call, or the caller cancelled it (at the handler). */
  RPC_ABORTED: 'RPC_ABORTED',
  /** The connection closed (the other process ended, or its owner closed it) before the answer. */
  RPC_CLOSED: 'RPC_CLOSED',
  /** The message failed validation: the request (at the handler), the answer (at the caller). */
  RPC_BAD_MESSAGE: 'RPC_BAD_MESSAGE',
  /** The message is larger than the connection allows (not raised today: bounds are checked against the schemas). */
  RPC_MESSAGE_TOO_LARGE: 'RPC_MESSAGE_TOO_LARGE',
  /** The remote handler threw an error without a code of its own. */
  RPC_REMOTE_ERROR: 'RPC_REMOTE_ERROR',
} as const;
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];

export class RpcError extends CodedError {
  /** `code` is the RPC layer's, or (for a RemoteError) the remote's. */
  constructor(code: RpcErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'RpcError';
  }
}

/** The wire form of an error thrown by a handler. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

/** An error thrown by the remote handler: `name`, `message`, `code` and `stack` are the remote's. */
export class RemoteError extends RpcError {
  readonly remote = true;
  constructor(data: SerializedError) {
    super(data.code ?? RpcErrorCode.RPC_REMOTE_ERROR, data.message);
    this.name = data.name;
    this.stack = data.stack ?? `${data.name}: ${data.message}`;
  }
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : `Non-error thrown: ${String(error)}` };
}
