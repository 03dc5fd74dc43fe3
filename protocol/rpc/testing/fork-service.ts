/**
 * For tests in Node: forks a TypeScript entry (through tsx) with an IPC channel and connects to it,
 * as the browser process will. Real OS process, real channel; the caller ends it with `kill`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { childProcessTransport } from '../../transport/child-process.ts';
import type { BadMessageReason } from '../bad-message.ts';
import { connect, type BadMessageReport, type Connection } from '../endpoint.ts';
import type { InterfaceSpec } from '../interface.ts';

export interface ForkedService<Local extends InterfaceSpec, Remote extends InterfaceSpec> {
  readonly child: ChildProcess;
  readonly connection: Connection<Local, Remote>;
  readonly badMessages: BadMessageReport[];
  /** Each bad message's reason entry, in the order of `badMessages`. */
  readonly badMessageCodes: BadMessageReason[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function forkService<Local extends InterfaceSpec, Remote extends InterfaceSpec>(options: {
  entry: string;
  process: string;
  local: Local;
  remote: Remote;
  handlers: Parameters<typeof connect<Local, Remote>>[0]['handlers'];
}): ForkedService<Local, Remote> {
  const loader = options.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(options.entry, [], { execArgv: loader, serialization: 'advanced', stdio: 'inherit' });
  const badMessages: BadMessageReport[] = [];
  const badMessageCodes: BadMessageReason[] = [];
  const connection = connect({
    transport: childProcessTransport(child, { process: options.process, pid: child.pid! }),
    self: { process: 'browser', pid: process.pid },
    local: options.local,
    remote: options.remote,
    handlers: options.handlers,
    onBadMessage: (report, code) => {
      badMessages.push(report);
      badMessageCodes.push(code);
    },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, connection, badMessages, badMessageCodes, exited };
}
