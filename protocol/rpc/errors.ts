/**
 * Errors of the RPC layer. A remote error crosses the channel with its name, message, code and
 * stack (Electron's ipcMain.handle keeps only the message), and arrives as a RemoteError.
 */

export type RpcErrorCode =
  | 'RPC_TIMEOUT'
  | 'RPC_ABORTED'
  | 'RPC_CLOSED'
  | 'RPC_BAD_MESSAGE'
  | 'RPC_MESSAGE_TOO_LARGE'
  | 'RPC_REMOTE_ERROR';

export class RpcError extends Error {
  readonly code: string;
  constructor(code: RpcErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RpcError';
    this.code = code;
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
    super(data.code ?? 'RPC_REMOTE_ERROR', data.message);
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
