/**
 * The file kind's two halves, used by both ends: a writer that appends whole frames, and a reader
 * that learns a new record arrived either from inotify (fs.watch) or by polling every millisecond,
 * then reads from where it stopped. Which one wakes the reader sooner is what the lab measures.
 */
import fs from 'node:fs';
import { FrameReader } from './frame.ts';

export type FileNotify = 'inotify' | 'poll';

export class FileAppender {
  private readonly fd: number;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'a');
  }

  /** One write(2) per frame with O_APPEND: the record is in the file when this returns. */
  append(frame: Buffer): void {
    let written = 0;
    while (written < frame.length) written += fs.writeSync(this.fd, frame, written, frame.length - written);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export class FileTail {
  private readonly fd: number;
  private position = 0;
  private readonly reader = new FrameReader();
  private readonly scratch = Buffer.allocUnsafe(1 << 20);
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly path: string,
    readonly notify: FileNotify,
    private readonly onFrame: (frame: Buffer) => void,
    private readonly onError: (error: Error) => void,
  ) {
    this.fd = fs.openSync(path, 'r');
    if (notify === 'inotify') {
      this.watcher = fs.watch(path, { persistent: true }, () => this.drain());
      this.watcher.on('error', (error) => this.onError(error));
    } else {
      const tick = () => {
        this.drain();
        if (!this.closed) this.timer = setTimeout(tick, 1);
      };
      this.timer = setTimeout(tick, 1);
    }
    this.drain(); // a record appended before the watch began
  }

  /** Reads everything past the last position, frame by frame. */
  private drain(): void {
    if (this.closed) return;
    try {
      for (;;) {
        const got = fs.readSync(this.fd, this.scratch, 0, this.scratch.length, this.position);
        if (got === 0) return;
        this.position += got;
        for (const frame of this.reader.push(Buffer.from(this.scratch.subarray(0, got)))) this.onFrame(frame);
      }
    } catch (error) {
      this.onError(error as Error);
    }
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    clearTimeout(this.timer);
    fs.closeSync(this.fd);
  }
}
