/**
 * GPU process crash to the next frame delivered to a tab, as `bench:processes` and
 * `bench/recovery/gpu-standby.ts` both measure it: SIGKILL the GPU process; wait for the host to
 * say a GPU process is ready (a restart, or a promoted standby); ask for a channel as a tab does;
 * open it; rasterize an 800x600 frame of a busy page and get its pixels back.
 */
import { WebSocket } from 'ws';
import type { DisplayList, PaintOp } from '../../protocol/interfaces/display-list.ts';
import { GpuChannel, GpuChannelClient } from '../../protocol/interfaces/tab-gpu.ts';
import { connect } from '../../protocol/rpc/endpoint.ts';
import { webSocketTransport, type WebSocketLike } from '../../protocol/transport/websocket.ts';
import type { GpuProcessHost } from '../../main/core/gpu-process-host.ts';
import type { ChannelEndpoint } from '../../main/core/ports.ts';

/** An 800x600 frame of a busy page: 500 ops of the kinds pages use most. */
export function busyList(frame: number): DisplayList {
  const ops: PaintOp[] = [
    { op: 'fillStyle', color: '#f8f9fa' },
    { op: 'fillRect', x: 0, y: 0, w: 800, h: 600 },
  ];
  for (let i = 0; ops.length < 500; i++) {
    const x = (i * 37 + frame * 3) % 760;
    const y = (i * 53) % 560;
    ops.push(
      { op: 'fillStyle', color: `hsl(${(i * 29) % 360} 70% 55%)` },
      { op: 'beginPath' },
      { op: 'arc', x: x + 20, y: y + 20, r: 12 + (i % 8), start: 0, end: Math.PI * 2 },
      { op: 'fill' },
      { op: 'fillText', text: `node ${i}`, x, y: y + 40 },
    );
  }
  return { width: 800, height: 600, ops: ops.slice(0, 500) };
}

/** A tab's end of a granted loopback WebSocket channel. */
export async function openChannel(channel: ChannelEndpoint, clientId = 'bench') {
  if (channel.kind !== 'websocket') throw new Error(`expected a loopback WebSocket grant, got ${channel.kind}`);
  const socket = new WebSocket(channel.url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const connection = connect({
    transport: webSocketTransport(socket as unknown as WebSocketLike, { peer: { process: 'gpu' } }),
    self: { process: 'renderer', id: clientId },
    local: GpuChannelClient,
    remote: GpuChannel,
    handlers: {},
    onBadMessage: (report) => {
      throw new Error(report.reason);
    },
  });
  return { connection, close: () => socket.terminate() };
}

export interface NextFrame {
  /** SIGKILL to the frame's pixels back, ms. */
  readonly elapsedMs: number;
  /** The GPU process that drew it. */
  readonly gpuPid: number;
  /** Since SIGKILL, ms: a GPU process ready, the channel granted, opened (the frame is elapsedMs). */
  readonly phases: { readonly readyMs: number; readonly grantedMs: number; readonly openedMs: number };
}

/** Kills `gpu`'s process and times the next frame, as above. */
export async function gpuCrashToNextFrame(gpu: GpuProcessHost, clientId = 'bench'): Promise<NextFrame> {
  const list = busyList(0);
  const pid = gpu.pid;
  if (pid === undefined) throw new Error('no GPU process to crash');
  const ready = new Promise<void>((resolve) => {
    const stop = gpu.onDidBecomeReady(() => {
      stop();
      resolve();
    });
  });
  const killedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  await ready;
  const readyMs = performance.now() - killedAt;
  const grant = await gpu.establishChannel(clientId);
  if (grant.mode !== 'hardware') throw new Error('fell back to software during the benchmark');
  const grantedMs = performance.now() - killedAt;
  const channel = await openChannel(grant.channel, clientId);
  const openedMs = performance.now() - killedAt;
  const frame = await channel.connection.remote.rasterize(list);
  const elapsedMs = performance.now() - killedAt;
  channel.close();
  if (frame.width !== 800 || frame.pixels.byteLength !== 800 * 600 * 4) throw new Error('the frame came back wrong');
  return { elapsedMs, gpuPid: frame.gpuPid, phases: { readyMs, grantedMs, openedMs } };
}
