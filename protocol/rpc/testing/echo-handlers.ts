import type { Connection, Handlers } from '../endpoint.ts';
import { withTransfer } from '../endpoint.ts';
import { CodedError } from '../errors.ts';
import type { EchoClient, EchoService } from './echo-service.ts';

/** The EchoService implementation used by in-process and child-process tests alike. */
export interface EchoEnvironment {
  readonly connection: () => Connection<typeof EchoService, typeof EchoClient>;
  readonly postRaw: (message: unknown) => void;
  readonly exit: (code: number) => void;
}

export function echoHandlers({ connection, postRaw, exit }: EchoEnvironment): Handlers<typeof EchoService> {
  return {
    echo: ({ text }) => ({ text }),
    draw: ({ shapes }) => ({ shapes }),
    fail({ name, message, code }) {
      const error = code === undefined ? new Error(message) : new CodedError(code, message);
      error.name = name;
      throw error;
    },
    wait: ({ ms }, { signal }) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ waited: ms }), ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          connection().emit('cancelled', { ms });
        });
      }),
    misbehave: () => ({ ok: 'yes' }) as unknown as { ok: boolean },
    bytes: ({ size }) => {
      const data = new Uint8Array(size).fill(7);
      return withTransfer({ data }, [data.buffer]);
    },
    tick({ count }) {
      for (let n = 1; n <= count; n++) connection().emit('ticked', { n });
      return {};
    },
    sendRaw({ message }) {
      postRaw(message);
      return {};
    },
    exit({ code }) {
      setTimeout(() => exit(code), 10);
      return {};
    },
  };
}
