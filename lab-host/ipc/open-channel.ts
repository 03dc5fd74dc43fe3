/**
 * Makes one channel of a kind, with its peer at the other end, and waits for the peer's `ready`.
 * Names (FIFOs, socket paths, queue and shared-memory names, files) are made per channel in a fresh
 * folder and removed on close or on failure.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { WebSocketServer, type WebSocket } from 'ws';
import { FrameQueue, PeerProcess, type Channel, type PeerConfig } from './channel.ts';
import { FileAppender, FileTail, type FileNotify } from './file-tail.ts';
import { FrameType, frameType } from './frame.ts';
import type { ChannelSpec } from './kinds.ts';
import type { NativeIpcLoad } from './native/native-ipc.ts';
import { asBuffer, messageChannel, type MessagePeer } from './message-channel.ts';
import { socketChannel } from './socket-channel.ts';
import { syncChannel } from './sync-channel.ts';
import { MqEndpoint, RING_SLOT_SIZE, ShmEndpoint, ThreadRingEndpoint, type SyncEndpoint } from './sync-endpoints.ts';
import { sharedRingBuffer } from './shared-ring.ts';
import { ipcLabEntries } from './entry-paths.ts';
import { startRingWorker, startWorker } from './ring-worker.ts';

export interface OpenOptions {
  readonly native: NativeIpcLoad;
  /** Shared memory only: false drops the handshake on the data direction (the tear demonstration). */
  readonly synchronized?: boolean;
  /** Shared memory only: slots per ring (few slots make an unsynchronized writer lap sooner). */
  readonly slotCount?: number;
  readonly slotSize?: number;
  readonly readyTimeoutMs?: number;
}

/** A queue message: Linux's default msgsize_max, so an ordinary user can open the queue too. */
export const MQ_MESSAGE_SIZE = 8192;
const MQ_MAX_MESSAGES = 10;

let sequence = 0;

export async function openChannel(spec: ChannelSpec, options: OpenOptions): Promise<Channel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-ipc-'));
  const name = `/lab-ipc-${process.pid}-${++sequence}`;
  const cleanups: (() => void)[] = [() => fs.rmSync(dir, { recursive: true, force: true })];
  const cleanup = () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        step();
      } catch {
        // best effort: a name already gone
      }
    }
  };
  try {
    const channel = await open(spec, options, dir, name, cleanups);
    const ready = await channel.receive(options.readyTimeoutMs ?? 15_000);
    if (frameType(ready) !== FrameType.ready) throw new Error(`${spec.id}: the peer's first frame was not "ready"`);
    const close = channel.close;
    return {
      ...channel,
      async close() {
        try {
          await close();
        } finally {
          cleanup();
        }
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

async function open(
  spec: ChannelSpec,
  options: OpenOptions,
  dir: string,
  name: string,
  cleanups: (() => void)[],
): Promise<Channel> {
  const addon = options.native.ok ? options.native.addon : undefined;
  switch (spec.id) {
    case 'anonymous-pipe':
      return addon ? nativePipe(addon) : stdioSocketpair();
    case 'named-pipe':
      return fifo(dir, cleanups);
    case 'unix-socket':
      return socketServer('unix', path.join(dir, 'ipc.sock'), cleanups);
    case 'message-queue':
      return addon
        ? messageQueue(addon, name, cleanups)
        : socketServer('unix', path.join(dir, 'mq-standin.sock'), cleanups);
    case 'tcp-loopback':
      return socketServer('tcp', 0, cleanups);
    case 'file/inotify':
    case 'file/poll':
      return file(dir, spec.id === 'file/poll' ? 'poll' : 'inotify', cleanups);
    case 'shared-memory/process':
      if (!addon) throw new Error('shared-memory/process needs the addon');
      return sharedMemoryProcess(addon, name, options, cleanups);
    case 'shared-memory/threads':
      return sharedMemoryThreads(options);
    case 'app/child-process-ipc':
      return childProcessIpc();
    case 'app/websocket':
      return webSocket(cleanups);
    case 'app/message-port':
      return messagePort();
    default:
      throw new Error(`unknown channel ${spec.id}`);
  }
}

function nativePipe(addon: NonNullable<Extract<NativeIpcLoad, { ok: true }>['addon']>): Channel {
  const [toPeerRead, toPeerWrite] = addon.pipe();
  const [fromPeerRead, fromPeerWrite] = addon.pipe();
  // The child gets the pipes' far ends as fds 3 and 4; the parent keeps only its own ends.
  const peer = new PeerProcess({ transport: 'fds', readFd: 3, writeFd: 4 }, [
    'ignore',
    'inherit',
    'pipe',
    toPeerRead,
    fromPeerWrite,
  ]);
  addon.closeFd(toPeerRead);
  addon.closeFd(fromPeerWrite);
  return socketChannel({
    input: new net.Socket({ fd: fromPeerRead, readable: true, writable: false }),
    output: new net.Socket({ fd: toPeerWrite, readable: false, writable: true }),
    peer,
  });
}

/** Without the addon: Node's own stdio 'pipe', which libuv makes as a socketpair (labelled so). */
function stdioSocketpair(): Channel {
  const peer = new PeerProcess({ transport: 'fds', readFd: 3, writeFd: 4 }, [
    'ignore',
    'inherit',
    'pipe',
    'pipe',
    'pipe',
  ]);
  return socketChannel({ input: peer.child.stdio[4] as net.Socket, output: peer.child.stdio[3] as net.Socket, peer });
}

async function fifo(dir: string, cleanups: (() => void)[]): Promise<Channel> {
  const toPeer = path.join(dir, 'to-peer.fifo');
  const fromPeer = path.join(dir, 'from-peer.fifo');
  execFileSync('mkfifo', ['-m', '600', toPeer, fromPeer]);
  cleanups.push(
    () => fs.rmSync(toPeer),
    () => fs.rmSync(fromPeer),
  );
  // Our read end first (never blocks with O_NONBLOCK), so the peer's write open succeeds.
  const input = fs.openSync(fromPeer, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const peer = new PeerProcess({ transport: 'fifo', readPath: toPeer, writePath: fromPeer });
  const deadline = Date.now() + 15_000;
  let output: number | undefined;
  while (output === undefined) {
    try {
      output = fs.openSync(toPeer, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      if (peer.exit || Date.now() > deadline) {
        peer.kill();
        fs.closeSync(input);
        throw peer.exit ? peer.gone('opening its FIFO') : new Error('the peer never opened its FIFO');
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  return socketChannel({
    input: new net.Socket({ fd: input, readable: true, writable: false }),
    output: new net.Socket({ fd: output, readable: false, writable: true }),
    peer,
  });
}

/**
 * The peer's one connection to `server` (a net.Server or a WebSocketServer: both emit
 * `connection`), or the peer's end as the error (killed if it is still there after 15 s).
 */
function acceptOne<Connection>(
  server: { once(event: 'connection', listener: (connection: Connection) => void): unknown },
  peer: PeerProcess,
): Promise<Connection> {
  return new Promise<Connection>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the peer never connected')), 15_000);
    server.once('connection', (connection) => {
      clearTimeout(timer);
      resolve(connection);
    });
    void peer.exited.then(() => {
      clearTimeout(timer);
      reject(peer.gone('connecting'));
    });
  }).catch((error: unknown) => {
    peer.kill();
    throw error;
  });
}

async function socketServer(
  transport: 'unix' | 'tcp',
  where: string | number,
  cleanups: (() => void)[],
): Promise<Channel> {
  const server = net.createServer();
  cleanups.push(() => server.close());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (transport === 'tcp') server.listen(where as number, '127.0.0.1', resolve);
    else server.listen(where as string, resolve);
  });
  const config: PeerConfig =
    transport === 'tcp'
      ? { transport, port: (server.address() as net.AddressInfo).port }
      : { transport, path: where as string };
  const peer = new PeerProcess(config);
  const socket = await acceptOne<net.Socket>(server, peer);
  socket.setNoDelay(true);
  server.close(); // one peer per channel
  return socketChannel({ input: socket, output: socket, peer });
}

function file(dir: string, notify: FileNotify, cleanups: (() => void)[]): Channel {
  const toPeer = path.join(dir, 'to-peer.records');
  const fromPeer = path.join(dir, 'from-peer.records');
  fs.writeFileSync(toPeer, '');
  fs.writeFileSync(fromPeer, '');
  const queue = new FrameQueue();
  const appender = new FileAppender(toPeer);
  const tail = new FileTail(
    fromPeer,
    notify,
    (frame) => queue.push(frame),
    (error) => queue.fail(error),
  );
  cleanups.push(
    () => tail.close(),
    () => appender.close(),
  );
  const peer = new PeerProcess({ transport: 'file', readPath: toPeer, writePath: fromPeer, notify });
  void peer.exited.then(() => queue.fail(peer.gone('waiting for a record')));
  return {
    peerPid: peer.pid,
    async send(frame) {
      if (peer.exit) throw peer.gone('appending');
      appender.append(frame);
    },
    receive: (timeoutMs) => queue.next(timeoutMs, 'waiting for a record'),
    async close() {
      appender.append(Buffer.from(closeFrame()));
      await peer.stop();
    },
    killPeer: () => peer.kill(),
  };
}

function closeFrame(): Buffer {
  const frame = Buffer.alloc(16);
  frame.writeUInt32LE(16, 0);
  frame[4] = FrameType.close;
  return frame;
}

function processChannel(endpoint: SyncEndpoint, peer: PeerProcess): Channel {
  return syncChannel({
    endpoint,
    peerPid: peer.pid,
    peerGone: (waitingFor) => (peer.exit ? peer.gone(waitingFor) : undefined),
    async close() {
      endpoint.trySend(closeFrame(), 200);
      await peer.stop();
      endpoint.close();
    },
    killPeer: () => peer.kill(),
  });
}

function messageQueue(
  addon: NonNullable<Extract<NativeIpcLoad, { ok: true }>['addon']>,
  name: string,
  cleanups: (() => void)[],
): Channel {
  const toPeer = `${name}-down`;
  const fromPeer = `${name}-up`;
  const writeMq = addon.mqOpen(toPeer, true, MQ_MAX_MESSAGES, MQ_MESSAGE_SIZE);
  cleanups.push(() => addon.mqUnlink(toPeer));
  const readMq = addon.mqOpen(fromPeer, true, MQ_MAX_MESSAGES, MQ_MESSAGE_SIZE);
  cleanups.push(() => addon.mqUnlink(fromPeer));
  const peer = new PeerProcess({
    transport: 'mq',
    readName: toPeer,
    writeName: fromPeer,
    messageSize: MQ_MESSAGE_SIZE,
  });
  return processChannel(new MqEndpoint(addon, readMq, writeMq, MQ_MESSAGE_SIZE), peer);
}

function sharedMemoryProcess(
  addon: NonNullable<Extract<NativeIpcLoad, { ok: true }>['addon']>,
  name: string,
  options: OpenOptions,
  cleanups: (() => void)[],
): Channel {
  const synchronized = options.synchronized ?? true;
  const handle = addon.shmCreate(name, options.slotCount ?? 4, options.slotSize ?? RING_SLOT_SIZE);
  cleanups.push(() => addon.shmUnlink(name));
  const peer = new PeerProcess({ transport: 'shm', name, synchronized });
  return processChannel(new ShmEndpoint(addon, handle, 0, { send: synchronized, receive: true }), peer);
}

function sharedMemoryThreads(options: OpenOptions): Channel {
  const synchronized = options.synchronized ?? true;
  const geometry = { slotCount: options.slotCount ?? 4, slotSize: options.slotSize ?? RING_SLOT_SIZE };
  const buffer = sharedRingBuffer(geometry);
  const worker = startRingWorker({ buffer, ...geometry, synchronized, tally: false });
  let exit: { code: number } | undefined;
  let failure: Error | undefined;
  worker.on('error', (error) => (failure = error));
  const exited = new Promise<void>((resolve) => worker.once('exit', (code) => ((exit = { code }), resolve())));
  const endpoint = new ThreadRingEndpoint(buffer, geometry, 0, { send: synchronized, receive: true });
  return syncChannel({
    endpoint,
    peerPid: process.pid,
    peerGone: (waitingFor) =>
      exit
        ? new Error(
            `peer thread exited (code ${exit.code}) while ${waitingFor}${failure ? `: ${failure.message}` : ''}`,
          )
        : undefined,
    async close() {
      endpoint.trySend(closeFrame(), 200);
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
    killPeer: () => void worker.terminate(),
  });
}

/** A peer process as a MessagePeer. */
function processPeer(peer: PeerProcess): MessagePeer {
  return {
    pid: peer.pid,
    gone: (waitingFor) => (peer.exit ? peer.gone(waitingFor) : undefined),
    ended: peer.exited,
    stop: () => peer.stop(),
    kill: () => peer.kill(),
  };
}

/** The channel the browser has with each utility process in the Chromium shell: fork's IPC, structured clone. */
function childProcessIpc(): Channel {
  const peer = new PeerProcess({ transport: 'fork-ipc' }, ['ignore', 'inherit', 'pipe', 'ipc'], undefined, 'advanced');
  const child: ChildProcess = peer.child;
  return messageChannel({
    peer: processPeer(peer),
    post: (frame) => child.send(frame),
    listen: (receive) => child.on('message', (data) => receive(asBuffer(data))),
    close: async () => {
      if (child.connected) child.disconnect();
    },
  });
}

/** The brokered tab channels of the Chromium shell: a WebSocket on 127.0.0.1 (ws), one binary message per frame. */
async function webSocket(cleanups: (() => void)[]): Promise<Channel> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: 64 * 2 ** 20,
  });
  cleanups.push(() => server.close());
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const peer = new PeerProcess({ transport: 'websocket', port: (server.address() as net.AddressInfo).port });
  const socket = await acceptOne<WebSocket>(server, peer);
  return messageChannel({
    peer: processPeer(peer),
    post: (frame) => socket.send(frame),
    listen: (receive) => socket.on('message', (data) => receive(asBuffer(data))),
    close: async () => socket.close(),
  });
}

/** Between two threads of this process: a worker_threads MessagePort, structured clone of each frame. */
function messagePort(): Channel {
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker(ipcLabEntries().portWorker, {
    workerData: { port: port2 },
    transferList: [port2],
  });
  let ended: Error | undefined;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      ended = new Error(`peer thread exited (code ${code})`);
      resolve();
    }),
  );
  worker.on('error', (error) => {
    ended = error;
  });
  return messageChannel({
    peer: {
      pid: process.pid,
      gone: (waitingFor) => (ended ? new Error(`${ended.message} while ${waitingFor}`) : undefined),
      ended: exited,
      stop: async () => {
        port1.close();
        await worker.terminate();
      },
      kill: () => void worker.terminate(),
    },
    post: (frame) => port1.postMessage(frame),
    listen: (receive) => port1.on('message', (data) => receive(asBuffer(data))),
    close: async () => {},
  });
}
