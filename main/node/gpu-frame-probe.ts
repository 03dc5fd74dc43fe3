/**
 * One frame drawn through the GPU process over a tab's kind of direct channel: how
 * `bench/processes.bench.ts` measures "GPU crash to the next frame" (restart, new channel, a frame
 * rasterized), reused by the experiment runner for its `nextFrame` mark. The channel is a loopback
 * WebSocket grant (the Chromium shell's broker); a MessagePort grant (Electron's) is refused.
 */
import { WebSocket } from 'ws';
import type { DirectChannelEndpoint } from '../../protocol/interfaces/browser-tab.ts';
import type { DisplayList } from '../../protocol/interfaces/display-list.ts';
import { GpuChannel, GpuChannelClient } from '../../protocol/interfaces/tab-gpu.ts';
import { connect } from '../../protocol/rpc/endpoint.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
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
    throw new Error(`the frame probe needs a loopback WebSocket grant, got ${channel.kind}`);
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
    const connection = connect({
      transport: webSocketTransport(socket as unknown as WebSocketLike, { peer: { process: 'gpu' } }),
      self: { process: 'renderer', id: 'experiment-probe' },
      local: GpuChannelClient,
      remote: GpuChannel,
      handlers: {},
      onBadMessage: () => {},
    });
    await connection.remote.rasterize(PROBE_FRAME, { timeoutMs });
    connection.close('probe done');
  } finally {
    socket.terminate();
  }
}
