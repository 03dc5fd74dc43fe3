/**
 * The measuring side of the byte-stream kinds (pipe, FIFO, Unix socket, TCP, the message-queue
 * stand-in): frames cut back out of the stream by FrameReader.
 */
import type net from 'node:net';
import { DeadlineError, FrameQueue, type Channel, type PeerProcess } from './channel.ts';
import { FrameReader } from './frame.ts';

export function socketChannel(options: {
  input: net.Socket;
  output: net.Socket;
  peer: PeerProcess;
  /** Releases names and files once both ends are closed. */
  cleanup?: () => void;
}): Channel {
  const { input, output, peer } = options;
  const queue = new FrameQueue();
  const reader = new FrameReader();
  input.on('data', (chunk: Buffer) => {
    try {
      for (const frame of reader.push(chunk)) queue.push(frame);
    } catch (error) {
      queue.fail(error as Error);
    }
  });
  // A dead peer shows first as EPIPE or ECONNRESET; say what happened instead, once its exit is known.
  const onError = (error: Error) =>
    void Promise.race([peer.exited, new Promise((resolve) => setTimeout(resolve, 500))]).then(() =>
      queue.fail(peer.exit ? peer.gone('waiting for a frame') : error),
    );
  input.on('error', onError);
  output.on('error', onError);
  void peer.exited.then(() => queue.fail(peer.gone('waiting for a frame')));

  return {
    peerPid: peer.pid,
    async send(frame) {
      if (peer.exit) throw peer.gone('sending');
      // A stream write keeps a reference to a buffer it could not write at once: send a copy, so
      // the caller may reuse its frame.
      if (output.write(Buffer.from(frame))) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new DeadlineError('the channel was full', 10_000)), 10_000);
        const onDrain = () => done();
        const onExit = () => done(peer.gone('the channel was full'));
        function done(error?: Error) {
          clearTimeout(timer);
          output.off('drain', onDrain);
          peer.child.off('exit', onExit);
          if (error) reject(error);
          else resolve();
        }
        output.once('drain', onDrain);
        peer.child.once('exit', onExit);
      });
    },
    receive: (timeoutMs) => queue.next(timeoutMs),
    async close() {
      output.end();
      await peer.stop();
      input.destroy();
      output.destroy();
      options.cleanup?.();
    },
    killPeer: () => peer.kill(),
  };
}
