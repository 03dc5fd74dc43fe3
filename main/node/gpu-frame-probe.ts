/**
 * One frame drawn through the GPU process over a tab's kind of direct channel: how
 * `bench/processes.bench.ts` measures "GPU crash to the next frame" (restart, new channel, a frame
 * rasterized), reused by the experiment runner for its `nextFrame` mark. `drawProbeFrame` opens a
 * loopback WebSocket grant (the Chromium shell's broker); a MessagePort grant (Electron's) lives in
 * the browser process that brokered it, so that shell opens it and hands `rasterizeProbeFrame` its transport.
 */
import { WebSocket } from 'ws';
import type { DirectChannelEndpoint } from '../../protocol/interfaces/browser-tab.ts';
import type { DisplayList } from '../../protocol/interfaces/display-list.ts';
import { GpuChannel, GpuChannelClient } from '../../protocol/interfaces/tab-gpu.ts';
import { connect } from '../../protocol/rpc/endpoint.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
import type { Transport } from '../../protocol/transport/transport.ts';
import { webSocketTransport, type WebSocketLike } from '../../protocol/transport/websocket.ts';

/** A small frame: the probe measures the channel and the restart, not Skia's speed. */
const PROBE_FRAME: DisplayList = {
  width: 64,
  height: 64,
  ops: [
    { op: 'fillStyle', color: '#1a73e8' },
    { op: 'fillRect', x: 0, y: 0, w: 64, h: 64 },
  ],
};

/** Opens `channel`, has the GPU process rasterize one frame, closes; rejects after `timeoutMs`. */
export async function drawProbeFrame(channel: Static<typeof DirectChannelEndpoint>, timeoutMs = 5000): Promise<void> {
  if (channel.kind !== 'websocket')
    throw new Error(
      `drawProbeFrame opens a loopback WebSocket grant; a ${channel.kind} grant is opened by the shell that holds it`,
    );
  const socket = new WebSocket(channel.url);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the GPU channel did not open')), timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    await rasterizeProbeFrame(
      webSocketTransport(socket as unknown as WebSocketLike, { peer: { process: 'gpu' } }),
      timeoutMs,
    );
  } finally {
    socket.terminate();
  }
}

/** Has the GPU process rasterize one frame over an open GpuChannel transport; rejects after `timeoutMs`. */
export async function rasterizeProbeFrame(transport: Transport, timeoutMs = 5000): Promise<void> {
  const connection = connect({
    transport,
    self: { process: 'renderer', id: 'experiment-probe' },
    local: GpuChannelClient,
    remote: GpuChannel,
    handlers: {},
    onBadMessage: () => {},
  });
  try {
    await connection.remote.rasterize(PROBE_FRAME, { timeoutMs });
  } finally {
    connection.close('probe done');
  }
}
