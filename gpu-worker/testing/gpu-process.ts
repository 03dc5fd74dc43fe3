/**
 * For tests and the benchmark: the real GPU process entry as an OS process, started the way the
 * browser process starts it, and a tab's end of a direct channel, opened the way a tab opens it
 * (a WebSocket to the granted URL, the WebSocket transport, connect()).
 */
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { GpuHost, GpuService } from '../../protocol/interfaces/browser-gpu.ts';
import { GpuChannel, GpuChannelClient } from '../../protocol/interfaces/tab-gpu.ts';
import { connect, type BadMessageReport, type Connection } from '../../protocol/rpc/endpoint.ts';
import { forkService, type ForkedService } from '../../protocol/rpc/testing/fork-service.ts';
import { webSocketTransport } from '../../protocol/transport/websocket.ts';

/** The source entry (run through tsx); tests pass the bundled one from vitest.global-setup.ts. */
export const GPU_ENTRY = fileURLToPath(new URL('../main.ts', import.meta.url));

export type GpuProcess = ForkedService<typeof GpuHost, typeof GpuService>;

/** Starts the GPU process from `entry`; the caller ends it (child.kill). */
export function startGpuProcess(entry = GPU_ENTRY): GpuProcess {
  return forkService({ entry, process: 'gpu', local: GpuHost, remote: GpuService, handlers: {} });
}

export interface TabChannel {
  readonly connection: Connection<typeof GpuChannelClient, typeof GpuChannel>;
  readonly socket: WebSocket;
  /** Bad messages the tab's end received from the GPU process. */
  readonly badMessages: BadMessageReport[];
  /** Resolves when the socket closes, with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Connects to a granted URL as the tab `clientId`; rejects when the GPU process refuses the connection. */
export async function openTabChannel(url: string, clientId = 'tab-1'): Promise<TabChannel> {
  const socket = new WebSocket(url);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const badMessages: BadMessageReport[] = [];
  const connection = connect({
    transport: webSocketTransport(socket, { peer: { process: 'gpu' } }),
    self: { process: 'tab', id: clientId },
    local: GpuChannelClient,
    remote: GpuChannel,
    handlers: {},
    onBadMessage: (report) => badMessages.push(report),
  });
  return { connection, socket, badMessages, closed };
}
