/**
 * The peer process: the other end of every cross-process kind. Started by the measuring side with
 * its config as one JSON argument; sends a `ready` frame once its end is open, then echoes, counts or
 * tallies until told to close, its input ends, or its parent is gone. Errors go to stderr, exit 1.
 */
import fs from 'node:fs';
import net from 'node:net';
import { WebSocket } from 'ws';
import type { PeerConfig } from './channel.ts';
import { controlFrame, FrameReader, FrameType } from './frame.ts';
import { FileAppender, FileTail } from './file-tail.ts';
import { asBuffer } from './message-channel.ts';
import { loadNativeIpc, type NativeIpc } from './native/native-ipc.ts';
import { PeerLogic } from './peer-logic.ts';
import { runSyncPeer, runTearPeer } from './peer-loops.ts';
import { MqEndpoint, ShmEndpoint } from './sync-endpoints.ts';

const parent = process.ppid;
/** Orphaned: Linux re-parents us (to init or a subreaper) when the measuring side dies. */
const parentGone = () => process.ppid !== parent;

function fail(error: unknown): never {
  console.error(`ipc peer: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
}

function addon(): NativeIpc {
  const loaded = loadNativeIpc();
  if (!loaded.ok) fail(new Error(`the addon is needed here: ${loaded.reason}`));
  return loaded.addon;
}

/** Serves frames arriving on their own (streams, files); `write` sends an answer. */
function serveFrames(write: (frame: Buffer) => void, onClose: () => void) {
  const logic = new PeerLogic();
  return (frame: Buffer) => {
    const answer = logic.handle(frame);
    if (answer === 'close') onClose();
    else if (answer) write(answer);
  };
}

function serveStream(input: net.Socket, output: net.Socket): void {
  const reader = new FrameReader();
  const serve = serveFrames(
    (frame) => output.write(frame),
    () => process.exit(0),
  );
  input.on('data', (chunk: Buffer) => {
    try {
      for (const frame of reader.push(chunk)) serve(frame);
    } catch (error) {
      fail(error);
    }
  });
  input.on('end', () => process.exit(0));
  input.on('error', fail);
  output.on('error', fail);
  output.write(controlFrame(FrameType.ready));
}

/** Opens a FIFO's write end without blocking forever: ENXIO until a reader has it open. */
async function openFifoForWriting(file: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

async function main(config: PeerConfig): Promise<void> {
  switch (config.transport) {
    case 'fds':
      serveStream(
        new net.Socket({ fd: config.readFd, readable: true, writable: false }),
        new net.Socket({ fd: config.writeFd, readable: false, writable: true }),
      );
      return;
    case 'fifo': {
      const input = fs.openSync(config.readPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const output = await openFifoForWriting(config.writePath);
      serveStream(
        new net.Socket({ fd: input, readable: true, writable: false }),
        new net.Socket({ fd: output, readable: false, writable: true }),
      );
      return;
    }
    case 'unix':
    case 'tcp': {
      const socket = config.transport === 'unix' ? net.connect(config.path) : net.connect(config.port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.once('connect', () => serveStream(socket, socket));
      socket.on('error', fail);
      return;
    }
    case 'fork-ipc': {
      const send = process.send!.bind(process);
      const serve = serveFrames(
        (frame) => send(frame),
        () => process.exit(0),
      );
      process.on('message', (data) => serve(asBuffer(data)));
      process.on('disconnect', () => process.exit(0));
      send(controlFrame(FrameType.ready));
      return;
    }
    case 'websocket': {
      const socket = new WebSocket(`ws://127.0.0.1:${config.port}`, { perMessageDeflate: false });
      const serve = serveFrames(
        (frame) => socket.send(frame),
        () => process.exit(0),
      );
      socket.on('message', (data) => serve(asBuffer(data)));
      socket.once('open', () => socket.send(controlFrame(FrameType.ready)));
      socket.on('close', () => process.exit(0));
      socket.on('error', fail);
      return;
    }
    case 'file': {
      const appender = new FileAppender(config.writePath);
      const serve = serveFrames(
        (frame) => appender.append(frame),
        () => process.exit(0),
      );
      new FileTail(config.readPath, config.notify, serve, fail);
      appender.append(controlFrame(FrameType.ready));
      return;
    }
    case 'mq': {
      const native = addon();
      const endpoint = new MqEndpoint(
        native,
        native.mqOpen(config.readName, false, 0, 0),
        native.mqOpen(config.writeName, false, 0, 0),
        config.messageSize,
      );
      while (!endpoint.trySend(controlFrame(FrameType.ready), 200)) if (parentGone()) return;
      runSyncPeer(endpoint, parentGone);
      endpoint.close();
      process.exit(0);
      return;
    }
    case 'shm': {
      const native = addon();
      const endpoint = new ShmEndpoint(native, native.shmOpen(config.name), 1, {
        send: true,
        receive: config.synchronized,
      });
      while (!endpoint.trySend(controlFrame(FrameType.ready), 200)) if (parentGone()) return;
      if (config.tally) runTearPeer(endpoint, parentGone);
      else runSyncPeer(endpoint, parentGone);
      endpoint.close();
      process.exit(0);
    }
  }
}

let config: PeerConfig;
try {
  config = JSON.parse(process.argv[2] ?? '') as PeerConfig;
} catch {
  fail(new Error('usage: peer.ts <config JSON>'));
}
main(config).catch(fail);
