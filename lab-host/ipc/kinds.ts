/**
 * The six kinds of IPC from the notes (공유 메모리, 파일, 소켓, 익명 파이프, 명명 파이프, 메시지 큐), as the
 * lab measures them. Sockets are two entries (Unix domain and TCP loopback), the file two (how the
 * reader learns of a new record: inotify or polling), shared memory two (across processes with the
 * addon; between worker threads always). Each entry says what actually ran: a stand-in is labelled.
 */
import type { ChannelSpec } from '../../protocol/labs/ipc-result.ts';

export { IPC_KINDS, type ChannelSpec, type IpcKind } from '../../protocol/labs/ipc-result.ts';

/** The channels to measure, given whether the addon loaded (and why not). */
export function channelSpecs(native: { ok: boolean; reason?: string }): ChannelSpec[] {
  const missing = native.ok ? '' : ` (addon: ${native.reason})`;
  const kernel = { standIn: false, crossProcess: true, kernelPath: true } as const;
  return [
    native.ok
      ? { kind: 'anonymous-pipe', id: 'anonymous-pipe', mechanism: 'pipe(2) x2, inherited as fds 3 and 4', ...kernel }
      : {
          kind: 'anonymous-pipe',
          id: 'anonymous-pipe',
          mechanism: "Node's stdio 'pipe' (a Unix socketpair in libuv, not pipe(2))",
          ...kernel,
          standIn: true,
          note: `Node cannot call pipe(2)${missing}`,
        },
    { kind: 'named-pipe', id: 'named-pipe', mechanism: 'two FIFOs made with mkfifo', ...kernel },
    { kind: 'unix-socket', id: 'unix-socket', mechanism: 'SOCK_STREAM Unix domain socket', ...kernel },
    { kind: 'tcp-loopback', id: 'tcp-loopback', mechanism: 'TCP on 127.0.0.1, TCP_NODELAY', ...kernel },
    {
      kind: 'file',
      id: 'file/inotify',
      mechanism: 'append-only files; the reader woken by fs.watch (inotify)',
      ...kernel,
    },
    {
      kind: 'file',
      id: 'file/poll',
      mechanism: 'append-only files; the reader polls every 1 ms',
      ...kernel,
    },
    native.ok
      ? {
          kind: 'message-queue',
          id: 'message-queue',
          mechanism: 'POSIX mq_open/mq_timedsend/mq_timedreceive (addon), frames cut to 8 KiB messages',
          ...kernel,
        }
      : {
          kind: 'message-queue',
          id: 'message-queue',
          mechanism: 'message-framed channel over a Unix socket',
          ...kernel,
          standIn: true,
          note: `Node has no POSIX mq binding${missing}`,
        },
    ...(native.ok
      ? [
          {
            kind: 'shared-memory',
            id: 'shared-memory/process',
            mechanism: 'shm_open + mmap ring, futex wait (addon)',
            standIn: false,
            crossProcess: true,
            kernelPath: false,
          } as const,
        ]
      : []),
    {
      kind: 'shared-memory',
      id: 'shared-memory/threads',
      mechanism: 'SharedArrayBuffer ring with an Atomics handshake between worker threads',
      standIn: !native.ok,
      crossProcess: false,
      kernelPath: false,
      note: native.ok
        ? 'the same ring between threads, for comparison'
        : `real shared memory, but between threads${missing}`,
    },
    ...APP_CHANNELS,
  ];
}

/**
 * The app's own channels, on the same chart (not among the notes' six kinds): what this browser's
 * processes talk over. The CDP binding (a tab page to the Chromium shell) and Electron's
 * MessagePortMain are not here: the first needs a browser, the second Electron.
 */
export const APP_CHANNELS: readonly ChannelSpec[] = [
  {
    kind: 'app-channel',
    id: 'app/child-process-ipc',
    mechanism:
      "child_process IPC channel, structured clone ('advanced'): browser <-> GPU and plugin host in the Chromium shell",
    standIn: false,
    crossProcess: true,
    kernelPath: true,
  },
  {
    kind: 'app-channel',
    id: 'app/websocket',
    mechanism:
      'WebSocket (ws) on 127.0.0.1, a binary message per frame: the Chromium shell brokered tab channels (they add MessagePack)',
    standIn: false,
    crossProcess: true,
    kernelPath: true,
  },
  {
    kind: 'app-channel',
    id: 'app/message-port',
    mechanism: 'worker_threads MessagePort, structured clone: as in-process workers talk',
    standIn: false,
    crossProcess: false,
    kernelPath: false,
  },
];
