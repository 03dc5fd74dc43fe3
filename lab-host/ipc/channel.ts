/**
 * The measuring side's view of one channel, whatever the kind, and the peer process at its other end.
 * Every wait has a deadline, and a peer that dies ends every wait at once with `PeerGoneError`.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { ipcLabEntries } from './entry-paths.ts';

export interface Channel {
  /** The peer's process id (a threads channel: this process's). */
  readonly peerPid: number;
  /** Resolves once the channel has taken the frame (a full pipe or ring holds it back). */
  send(frame: Buffer): Promise<void>;
  /** The next whole frame; valid until the next receive. Rejects at the deadline or when the peer is gone. */
  receive(timeoutMs: number): Promise<Buffer>;
  /** Asks the peer to exit, then releases everything (files, names, fds). */
  close(): Promise<void>;
  /** Ends the peer abruptly (SIGKILL), as a crash would. */
  killPeer(): void;
}

export class PeerGoneError extends Error {
  constructor(
    readonly pid: number,
    readonly exit: PeerExit,
    waitingFor: string,
  ) {
    super(`peer pid ${pid} exited (${exit.signal ?? `code ${exit.code}`}) while ${waitingFor}`);
    this.name = 'PeerGoneError';
  }
}

export class DeadlineError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms while ${what}`);
    this.name = 'DeadlineError';
  }
}

export interface PeerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A peer process: started with its config, its exit known as soon as Node reaps it. */
export class PeerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<PeerExit>;
  exit: PeerExit | undefined;
  private readonly stderr: string[] = [];

  constructor(
    config: PeerConfig,
    stdio: StdioOptions = ['ignore', 'inherit', 'pipe'],
    entry = ipcLabEntries().peer,
    /** With an 'ipc' slot in stdio: how its messages are encoded ('advanced': structured clone). */
    serialization?: 'json' | 'advanced',
  ) {
    const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
    // Under Electron (the lab host as a utilityProcess) execPath is Electron itself: run it as Node.
    const env = process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env;
    this.child = spawn(process.execPath, [...loader, entry, JSON.stringify(config)], {
      stdio,
      env,
      ...(serialization ? { serialization } : {}),
    });
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr.push(text);
      if (this.stderr.length > 50) this.stderr.shift();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The peer's last lines on stderr (why it failed). */
  get lastError(): string {
    return this.stderr.join('').trim().split('\n').slice(-5).join('\n');
  }

  gone(waitingFor: string): PeerGoneError {
    const error = new PeerGoneError(this.pid, this.exit ?? { code: null, signal: null }, waitingFor);
    if (this.lastError) error.message += `: ${this.lastError}`;
    return error;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Waits for the exit up to `timeoutMs`, then kills. */
  async stop(timeoutMs = 2000): Promise<void> {
    if (this.exit) return;
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** What a peer is told on its command line. */
export type PeerConfig =
  | { readonly transport: 'fds'; readonly readFd: number; readonly writeFd: number }
  | { readonly transport: 'fifo'; readonly readPath: string; readonly writePath: string }
  | { readonly transport: 'unix'; readonly path: string }
  | { readonly transport: 'tcp'; readonly port: number }
  | {
      readonly transport: 'file';
      readonly readPath: string;
      readonly writePath: string;
      readonly notify: 'inotify' | 'poll';
    }
  /** The app's own channels: a child process's IPC channel (as `fork` makes it), a WebSocket. */
  | { readonly transport: 'fork-ipc' }
  | { readonly transport: 'websocket'; readonly port: number }
  | { readonly transport: 'mq'; readonly readName: string; readonly writeName: string; readonly messageSize: number }
  | {
      readonly transport: 'shm';
      readonly name: string;
      readonly synchronized: boolean;
      /** Count torn and lost frames (the tear demonstration) instead of echoing and sinking. */
      readonly tally?: boolean;
    };

/**
 * Frames arriving on their own (sockets, files): held until asked for; waits end with a frame, the
 * deadline, or the peer's exit.
 */
export class FrameQueue {
  private readonly frames: Buffer[] = [];
  private waiter: { resolve: (frame: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  push(frame: Buffer): void {
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(frame);
    } else {
      this.frames.push(frame);
    }
  }

  fail(error: Error): void {
    this.failure ??= error;
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(error);
    }
  }

  next(timeoutMs: number, what = 'waiting for a frame'): Promise<Buffer> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiter) return Promise.reject(new Error('one receive at a time'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new DeadlineError(what, timeoutMs));
      }, timeoutMs);
      this.waiter = {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }
}

/** Resolves after the event loop has had a turn (so a peer's exit can be noticed). */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
