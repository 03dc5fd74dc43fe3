/**
 * The shared-memory ring between worker threads: a SharedArrayBuffer holding two single-producer
 * single-consumer rings (0: to the peer, 1: back), the same layout and handshake as the addon's
 * cross-process ring (native/ipc_native.cc):
 *
 *   header: published (writer's count), consumed (reader's count); then slotCount slots of
 *   (u32 length, u32 pad, slotSize bytes).
 *
 * With the handshake the writer waits while the ring is full and publishes after the bytes; the
 * reader waits while it is empty and frees the slot after copying. Without it (the lab's switch) the
 * writer never waits and the reader may copy a slot the writer is overwriting: torn and lost
 * messages, which the lab counts.
 */
const PUBLISHED = 0;
const CONSUMED = 1;
const HEADER_BYTES = 64;
const SLOT_HEADER = 8;
/**
 * Spins this long before sleeping in Atomics.wait: a futex sleep and wake costs about what a pipe
 * does, while the peer's answer on another core comes within a few microseconds. Measured on 2 cores
 * with 0, 1 and 2 CPU hogs: 5 us mostly misses the answer (p50 near a pipe's), 50 us starves a peer
 * that shares the core (every round trip over 50 us), 15 us keeps p50 at 7 us idle and under a pipe's
 * with hogs. The addon spins as long (native/ipc_native.cc), so the rings differ by thread vs process.
 */
const SPIN_MS = 0.015;

export interface RingGeometry {
  readonly slotCount: number;
  readonly slotSize: number;
}

export function sharedRingBuffer({ slotCount, slotSize }: RingGeometry): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * (HEADER_BYTES + slotCount * (SLOT_HEADER + slotSize)));
}

export class SharedRing {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly slotsAt: number;

  constructor(
    buffer: SharedArrayBuffer,
    readonly ring: 0 | 1,
    readonly geometry: RingGeometry,
  ) {
    const ringBytes = HEADER_BYTES + geometry.slotCount * (SLOT_HEADER + geometry.slotSize);
    this.header = new Int32Array(buffer, ring * ringBytes, 2);
    this.bytes = new Uint8Array(buffer);
    this.slotsAt = ring * ringBytes + HEADER_BYTES;
  }

  private slot(index: number): number {
    return this.slotsAt + (index % this.geometry.slotCount) * (SLOT_HEADER + this.geometry.slotSize);
  }

  /** false: the ring stayed full until the deadline. */
  send(frame: Uint8Array, timeoutMs: number, synchronized = true): boolean {
    if (frame.length > this.geometry.slotSize) throw new RangeError(`frame of ${frame.length} B > slot`);
    const index = this.header[PUBLISHED]!; // only this side writes it
    if (synchronized) {
      const full = () => index - Atomics.load(this.header, CONSUMED) >= this.geometry.slotCount;
      if (!waitWhile(this.header, CONSUMED, full, timeoutMs)) return false;
    }
    const at = this.slot(index);
    this.bytes.set(frame, at + SLOT_HEADER);
    new DataView(this.bytes.buffer, at, 4).setUint32(0, frame.length, true);
    if (synchronized) Atomics.store(this.header, PUBLISHED, index + 1);
    else this.header[PUBLISHED] = index + 1;
    Atomics.notify(this.header, PUBLISHED);
    return true;
  }

  /** Bytes copied into `into`, or -1 at the deadline. */
  receive(into: Uint8Array, timeoutMs: number, synchronized = true): number {
    const index = this.header[CONSUMED]!; // only this side writes it
    // Even unsynchronized, the reader waits for the writer's count to move, or nothing would arrive.
    const empty = () => Atomics.load(this.header, PUBLISHED) === index;
    if (!waitWhile(this.header, PUBLISHED, empty, timeoutMs)) return -1;
    const at = this.slot(index);
    const length = Math.min(
      new DataView(this.bytes.buffer, at, 4).getUint32(0, true),
      this.geometry.slotSize,
      into.length,
    );
    into.set(this.bytes.subarray(at + SLOT_HEADER, at + SLOT_HEADER + length));
    if (synchronized) Atomics.store(this.header, CONSUMED, index + 1);
    else this.header[CONSUMED] = index + 1;
    Atomics.notify(this.header, CONSUMED);
    return length;
  }
}

/** Spins, then sleeps on `header[index]`, while `blocked()` holds; false at the deadline. */
function waitWhile(header: Int32Array, index: number, blocked: () => boolean, timeoutMs: number): boolean {
  const spinUntil = performance.now() + SPIN_MS;
  do {
    for (let spin = 0; spin < 64; spin++) if (!blocked()) return true;
  } while (performance.now() < spinUntil);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(header, index);
    if (!blocked()) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(header, index, seen, Math.min(left, 20));
  }
}
