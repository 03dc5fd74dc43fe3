/**
 * "Why shared memory needs synchronization", run for real: a writer streams frames into a ring of
 * few slots without the handshake (it never waits for the reader), the reader copies whatever its
 * next slot holds, and the peer counts torn, duplicated and lost messages. The end of a run is sent
 * with the handshake (the writer waits until the reader has caught up), so each run's tally is whole.
 * With `synchronized` the same run keeps the handshake throughout: nothing may tear or go missing.
 */
import type { TearRun } from '../../protocol/labs/ipc-result.ts';
import { readFileSync } from 'node:fs';
import { PeerProcess } from './channel.ts';
import { controlFrame, frameBody, frameType, FrameType, FrameWriter } from './frame.ts';
import type { NativeIpc } from './native/native-ipc.ts';
import { sharedRingBuffer } from './shared-ring.ts';
import { startRingWorker } from './ring-worker.ts';
import { ShmEndpoint, ThreadRingEndpoint, type SyncEndpoint } from './sync-endpoints.ts';
import type { TearSummary } from './unsynchronized-tally.ts';

export type { TearRun };

export interface TearOptions {
  readonly between: 'processes' | 'threads';
  readonly synchronized: boolean;
  readonly runs: number;
  readonly messages: number;
  readonly size: number;
  /** Keep writing at least this long (default 100 ms), past `messages` if need be. */
  readonly minDurationMs?: number;
  readonly slotCount?: number;
  /** Needed for `processes`. */
  readonly addon?: NativeIpc;
}

const WAIT_MS = 10_000;

export async function runTearRuns(options: TearOptions): Promise<TearRun[]> {
  const geometry = { slotCount: options.slotCount ?? 1, slotSize: Math.ceil(options.size / 8) * 8 };
  const peer = startPeer(options, geometry);
  try {
    const ready = receiveOrFail(peer.control, peer.gone);
    if (frameType(ready) !== FrameType.ready) throw new Error('the peer did not start');
    const runs: TearRun[] = [];
    const writer = new FrameWriter(options.size);
    for (let run = 0; run < options.runs; run++) {
      // At least `messages`, and for at least `minDurationMs`: on a loaded machine the reader may
      // not get a CPU for the first milliseconds, and a race needs both sides running.
      const until = performance.now() + (options.minDurationMs ?? 100);
      let sent = 0;
      for (let seq = 0; seq < options.messages || performance.now() < until; seq++, sent++) {
        const frame = writer.stamp(FrameType.sink, seq);
        // The first two go with the handshake, so the reader is awake and reading when the rest
        // (without it) arrive: the race needs both sides running at once.
        const endpoint = seq < 2 ? peer.control : peer.data;
        while (!endpoint.trySend(frame, 100)) if (peer.gone()) throw new Error(peer.gone());
      }
      if (!peer.control.trySend(controlFrame(FrameType.sinkEnd), WAIT_MS))
        throw new Error(peer.gone() ?? 'the reader never caught up');
      const answer = receiveOrFail(peer.control, peer.gone);
      if (frameType(answer) !== FrameType.summary) throw new Error(`expected a tally, got type ${frameType(answer)}`);
      const tally = JSON.parse(frameBody(answer).toString('utf8')) as TearSummary;
      runs.push({ ...tally, sent, lost: sent - tally.distinct });
    }
    return runs;
  } finally {
    await peer.stop();
  }
}

function receiveOrFail(endpoint: SyncEndpoint, gone: () => string | undefined): Buffer {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const frame = endpoint.tryReceive(100);
    if (frame) return frame;
    const why = gone();
    if (why) throw new Error(why);
    if (performance.now() > deadline) throw new Error(`no answer within ${WAIT_MS} ms`);
  }
}

interface TearPeer {
  /** Sends data frames (with or without the handshake). */
  readonly data: SyncEndpoint;
  /** Same ring, always with the handshake: the end of a run, and the tally back. */
  readonly control: SyncEndpoint;
  readonly gone: () => string | undefined;
  readonly stop: () => Promise<void>;
}

function startPeer(options: TearOptions, geometry: { slotCount: number; slotSize: number }): TearPeer {
  const sync = { send: options.synchronized, receive: true };
  if (options.between === 'threads') {
    const buffer = sharedRingBuffer(geometry);
    const worker = startRingWorker({ buffer, ...geometry, synchronized: options.synchronized, tally: true });
    let exited = false;
    worker.once('exit', () => (exited = true));
    return {
      data: new ThreadRingEndpoint(buffer, geometry, 0, sync),
      control: new ThreadRingEndpoint(buffer, geometry, 0, { send: true, receive: true }),
      gone: () => (exited ? 'the reader thread exited' : undefined),
      stop: async () => void (await worker.terminate()),
    };
  }
  const addon = options.addon;
  if (!addon) throw new Error('shared memory between processes needs the addon');
  const name = `/lab-ipc-tear-${process.pid}-${Date.now()}`;
  const handle = addon.shmCreate(name, geometry.slotCount, geometry.slotSize);
  const peer = new PeerProcess({ transport: 'shm', name, synchronized: options.synchronized, tally: true });
  return {
    data: new ShmEndpoint(addon, handle, 0, sync),
    control: new ShmEndpoint(addon, handle, 0, { send: true, receive: true }),
    // A blocking wait keeps Node from reaping the child: ask the kernel whether it still runs.
    gone: () =>
      processGone(peer.pid) ? `peer pid ${peer.pid} is gone${peer.lastError ? `: ${peer.lastError}` : ''}` : undefined,
    stop: async () => {
      peer.kill();
      await peer.exited;
      addon.shmClose(handle);
      addon.shmUnlink(name);
    },
  };
}

/** True once `pid` has exited (a zombie counts: it will never answer). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
