/**
 * Ends of the kinds whose waits block the thread (POSIX message queue and shared memory through the
 * addon, the SharedArrayBuffer ring): each call waits at most `sliceMs`, so the caller can look
 * around between slices (is the peer still there? is the deadline past?) and no wait is unbounded.
 */
import { FrameReader, MAX_FRAME_BYTES } from './frame.ts';
import type { NativeIpc } from './native/native-ipc.ts';
import { SharedRing } from './shared-ring.ts';

export interface SyncEndpoint {
  /** true once the whole frame is taken; false: try again with the same frame. */
  trySend(frame: Buffer, sliceMs: number): boolean;
  /** The next frame (valid until the next call), or null when none came within the slice. */
  tryReceive(sliceMs: number): Buffer | null;
  close(): void;
}

/**
 * Which directions of a ring keep the handshake. The lab's unsynchronized mode drops it on the data
 * direction only; the peer's tally comes back with it.
 */
export interface RingSync {
  readonly send: boolean;
  readonly receive: boolean;
}
export const BOTH_SYNCHRONIZED: RingSync = { send: true, receive: true };

/** A POSIX message queue each way; frames longer than a queue message go as several, in order. */
export class MqEndpoint implements SyncEndpoint {
  private readonly scratch: Buffer;
  private readonly reader = new FrameReader();
  private readonly pending: Buffer[] = [];
  private sendOffset = 0;

  constructor(
    private readonly addon: NativeIpc,
    private readonly readMq: number,
    private readonly writeMq: number,
    private readonly messageSize: number,
  ) {
    this.scratch = Buffer.allocUnsafe(messageSize);
  }

  trySend(frame: Buffer, sliceMs: number): boolean {
    while (this.sendOffset < frame.length) {
      const piece = frame.subarray(this.sendOffset, this.sendOffset + this.messageSize);
      if (!this.addon.mqSend(this.writeMq, piece, piece.length, sliceMs)) return false;
      this.sendOffset += piece.length;
    }
    this.sendOffset = 0;
    return true;
  }

  tryReceive(sliceMs: number): Buffer | null {
    for (;;) {
      const ready = this.pending.shift();
      if (ready) return ready;
      const got = this.addon.mqReceive(this.readMq, this.scratch, sliceMs);
      if (got < 0) return null;
      this.pending.push(...this.reader.push(Buffer.from(this.scratch.subarray(0, got))));
    }
  }

  close(): void {
    this.addon.mqClose(this.readMq);
    this.addon.mqClose(this.writeMq);
  }
}

/** The addon's shared-memory ring across processes. */
export class ShmEndpoint implements SyncEndpoint {
  private readonly scratch = Buffer.allocUnsafe(MAX_FRAME_BYTES);

  constructor(
    private readonly addon: NativeIpc,
    private readonly handle: number,
    private readonly sendRing: 0 | 1,
    private readonly sync: RingSync = BOTH_SYNCHRONIZED,
  ) {}

  trySend(frame: Buffer, sliceMs: number): boolean {
    return this.addon.ringSend(this.handle, this.sendRing, frame, frame.length, sliceMs, this.sync.send);
  }

  tryReceive(sliceMs: number): Buffer | null {
    const receiveRing = this.sendRing === 0 ? 1 : 0;
    const got = this.addon.ringReceive(this.handle, receiveRing, this.scratch, sliceMs, this.sync.receive);
    return got < 0 ? null : this.scratch.subarray(0, got);
  }

  close(): void {
    this.addon.shmClose(this.handle);
  }
}

/** The SharedArrayBuffer ring between threads. */
export class ThreadRingEndpoint implements SyncEndpoint {
  private readonly scratch = Buffer.allocUnsafe(MAX_FRAME_BYTES);
  private readonly out: SharedRing;
  private readonly in: SharedRing;

  constructor(
    buffer: SharedArrayBuffer,
    geometry: { slotCount: number; slotSize: number },
    sendRing: 0 | 1,
    private readonly sync: RingSync = BOTH_SYNCHRONIZED,
  ) {
    this.out = new SharedRing(buffer, sendRing, geometry);
    this.in = new SharedRing(buffer, sendRing === 0 ? 1 : 0, geometry);
  }

  trySend(frame: Buffer, sliceMs: number): boolean {
    return this.out.send(frame, sliceMs, this.sync.send);
  }

  tryReceive(sliceMs: number): Buffer | null {
    const got = this.in.receive(this.scratch, sliceMs, this.sync.receive);
    return got < 0 ? null : this.scratch.subarray(0, got);
  }

  close(): void {}
}

/** Slot size for a ring that carries any frame: the largest frame, rounded up to 8 bytes. */
export const RING_SLOT_SIZE = Math.ceil(MAX_FRAME_BYTES / 8) * 8;
