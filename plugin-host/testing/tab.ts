/**
 * For tests in Node: the plugin host entry as a real child process (forkService, as the browser
 * starts it) and tabs that connect to it exactly as a tab does: a `ws` WebSocket to the granted URL,
 * webSocketTransport, connect().
 */
import { afterEach, inject } from 'vitest';
import { WebSocket } from 'ws';
import { PluginHostHost, PluginHostService } from '../../protocol/interfaces/browser-plugin-host.ts';
import { PluginChannel, PluginChannelClient } from '../../protocol/interfaces/tab-plugin.ts';
import { connect, type BadMessageReport, type Connection } from '../../protocol/rpc/endpoint.ts';
import { forkService, type ForkedService } from '../../protocol/rpc/testing/fork-service.ts';
import type { EventOf } from '../../protocol/rpc/interface.ts';
import { webSocketTransport } from '../../protocol/transport/websocket.ts';

/** The real entry, bundled once for the test run (vitest.global-setup.ts). */
export const hostEntry = inject('childEntries')['plugin-host'];

export type Host = ForkedService<typeof PluginHostHost, typeof PluginHostService>;
export type Render = EventOf<typeof PluginChannel, 'render'> & { at: number };

/** Starts a plugin host process; `kill` it when done. */
export function startHost(): Host & { kill(): void } {
  const host = forkService({
    entry: hostEntry,
    process: 'plugin-host',
    local: PluginHostHost,
    remote: PluginHostService,
    handlers: {},
  });
  return { ...host, kill: () => host.child.kill('SIGKILL') };
}

export interface Tab {
  readonly clientId: string;
  readonly socket: WebSocket;
  readonly connection: Connection<typeof PluginChannelClient, typeof PluginChannel>;
  readonly renders: Render[];
  readonly badMessages: BadMessageReport[];
  /** Resolves with the socket's close code. */
  readonly socketClosed: Promise<number>;
  /** Waits until `instanceId` has rendered `count` times since the tab opened. */
  rendersOf(instanceId: string, count: number, timeoutMs?: number): Promise<Render[]>;
  close(): void;
}

/** Asks the host (as the browser) for a channel for `clientId` and connects to it (as the tab). */
export async function openTab(host: Host, clientId: string): Promise<Tab> {
  const { url } = await host.connection.remote.establishChannel({ clientId });
  return connectTab(url, clientId, host.child.pid);
}

export async function connectTab(url: string, clientId: string, hostPid?: number): Promise<Tab> {
  const socket = new WebSocket(url);
  const socketClosed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const renders: Render[] = [];
  const badMessages: BadMessageReport[] = [];
  const waiters = new Set<() => void>();
  const connection = connect({
    transport: webSocketTransport(socket, { peer: { process: 'plugin-host', ...(hostPid ? { pid: hostPid } : {}) } }),
    self: { process: 'tab', id: clientId },
    local: PluginChannelClient,
    remote: PluginChannel,
    handlers: {},
    onBadMessage: (report) => badMessages.push(report),
  });
  connection.on('render', (render) => {
    renders.push({ ...render, at: performance.now() });
    for (const waiter of waiters) waiter();
  });
  const of = (instanceId: string) => renders.filter((render) => render.instanceId === instanceId);
  return {
    clientId,
    socket,
    connection,
    renders,
    badMessages,
    socketClosed,
    rendersOf(instanceId, count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (of(instanceId).length < count) return;
          cleanup();
          resolve(of(instanceId).slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `${clientId}: ${instanceId} rendered ${of(instanceId).length} times in ${timeoutMs} ms, not ${count}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      connection.close();
      socket.terminate();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/**
 * Hosts, tabs and anything else a test starts, ended last-first after each test of the file that
 * calls this (once, at its top level).
 */
export function endedAfterEachTest(): {
  host(): Host & { kill(): void };
  tab(of: Host, clientId: string): Promise<Tab>;
  endLater(cleanup: () => void): void;
} {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });
  return {
    host() {
      const started = startHost();
      cleanups.push(started.kill);
      return started;
    },
    async tab(of, clientId) {
      const opened = await openTab(of, clientId);
      cleanups.push(opened.close);
      return opened;
    },
    endLater(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
