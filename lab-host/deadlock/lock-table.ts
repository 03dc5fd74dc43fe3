/**
 * The real lock table: one SharedArrayBuffer every worker thread of a run shares. Per resource, a
 * word of holder bits (taken with Atomics.compareExchange, waited on with Atomics.wait, released
 * with Atomics.and + Atomics.notify); per thread, what it waits for, its phase, and counters. A
 * change counter moves on every change, so the supervisor's snapshot is consistent when the counter
 * read before and after it agrees. The wait-for graph is built from that snapshot, never from a
 * script of what should happen.
 *
 * Every wait is a slice (`sliceMs`): a blocked thread wakes, counts the slice, checks the abort
 * word and waits again, so nothing blocks forever and the supervisor can tell "blocked, and it
 * had its chance to act" from "not scheduled yet".
 */
import type { LockTableSnapshot, ThreadPhase } from './model/wait-for-graph.ts';

export const MAX_THREADS = 16;
export const MAX_RESOURCES = 16;

/** Phases as stored. */
export const Phase = { running: 0, waiting: 1, done: 2, ended: 3, preempted: 4 } as const;
const PHASE_NAMES: Record<number, ThreadPhase> = { 0: 'running', 1: 'waiting', 2: 'done', 3: 'ended', 4: 'waiting' };

const VERSION = 0;
const GATE = 1;
const ABORT = 2;
const BANKER_LOCK = 3;
const BANKER_GENERATION = 4;
const SLEEP = 5;
const HEADER = 8;

export interface TableShape {
  readonly resources: number;
  readonly threads: number;
}

export class LockTable {
  readonly words: Int32Array;
  private readonly holdersAt = HEADER;
  private readonly waitingAt: number;
  private readonly phaseAt: number;
  private readonly slicesAt: number;
  private readonly restartsAt: number;
  private readonly workAt: number;
  private readonly availableAt: number;
  private readonly allocationAt: number;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly shape: TableShape,
  ) {
    const { resources: r, threads: t } = shape;
    if (!(r >= 1 && r <= MAX_RESOURCES && t >= 1 && t <= MAX_THREADS))
      throw new RangeError(`a lock table holds 1-${MAX_RESOURCES} resources and 1-${MAX_THREADS} threads`);
    this.waitingAt = this.holdersAt + r;
    this.phaseAt = this.waitingAt + t;
    this.slicesAt = this.phaseAt + t;
    this.restartsAt = this.slicesAt + t;
    this.workAt = this.restartsAt + t;
    this.availableAt = this.workAt + t;
    this.allocationAt = this.availableAt + r;
    this.words = new Int32Array(buffer);
    if (this.words.length < LockTable.words(shape)) throw new RangeError('the buffer is too small for this table');
  }

  static words(shape: TableShape): number {
    return HEADER + shape.resources * 2 + shape.threads * 5 + shape.threads * shape.resources;
  }

  static create(shape: TableShape): LockTable {
    const table = new LockTable(new SharedArrayBuffer(LockTable.words(shape) * 4), shape);
    for (let r = 0; r < shape.resources; r++) table.words[table.availableAt + r] = 1;
    return table;
  }

  private changed(): void {
    Atomics.add(this.words, VERSION, 1);
  }

  get version(): number {
    return Atomics.load(this.words, VERSION);
  }

  // ---- holders ----

  holderBits(resource: number): number {
    return Atomics.load(this.words, this.holdersAt + resource);
  }

  holders(resource: number): number[] {
    return bitsToIds(this.holderBits(resource));
  }

  /** Takes `resource` exclusively if free. */
  tryTake(resource: number, thread: number): boolean {
    const ok = Atomics.compareExchange(this.words, this.holdersAt + resource, 0, 1 << thread) === 0;
    if (ok) this.changed();
    return ok;
  }

  /** Takes `resource` shared (always succeeds: only read-only resources are taken so). */
  takeShared(resource: number, thread: number): void {
    Atomics.or(this.words, this.holdersAt + resource, 1 << thread);
    this.changed();
  }

  /** Moves an exclusive hold from `from` to `to` (preemption); false when `from` no longer holds it alone. */
  transfer(resource: number, from: number, to: number): boolean {
    const ok = Atomics.compareExchange(this.words, this.holdersAt + resource, 1 << from, 1 << to) === 1 << from;
    if (ok) this.changed();
    return ok;
  }

  release(resource: number, thread: number): boolean {
    const before = Atomics.and(this.words, this.holdersAt + resource, ~(1 << thread));
    const held = (before & (1 << thread)) !== 0;
    if (held) {
      this.changed();
      Atomics.notify(this.words, this.holdersAt + resource);
    }
    return held;
  }

  /** Releases every lock `thread` holds; returns them. */
  releaseAll(thread: number): number[] {
    const released: number[] = [];
    for (let r = 0; r < this.shape.resources; r++) if (this.release(r, thread)) released.push(r);
    return released;
  }

  heldBy(thread: number): number[] {
    const held: number[] = [];
    for (let r = 0; r < this.shape.resources; r++) if (this.holderBits(r) & (1 << thread)) held.push(r);
    return held;
  }

  /** Waits while `resource`'s holders are `bits`, at most `ms`. */
  waitOnResource(resource: number, bits: number, ms: number): void {
    Atomics.wait(this.words, this.holdersAt + resource, bits, ms);
  }

  wakeResource(resource: number): void {
    Atomics.notify(this.words, this.holdersAt + resource);
  }

  // ---- threads ----

  waitingFor(thread: number): number | null {
    const value = Atomics.load(this.words, this.waitingAt + thread);
    return value === 0 ? null : value - 1;
  }

  setWaitingFor(thread: number, resource: number | null): void {
    Atomics.store(this.words, this.waitingAt + thread, resource === null ? 0 : resource + 1);
    this.changed();
  }

  phase(thread: number): number {
    return Atomics.load(this.words, this.phaseAt + thread);
  }

  setPhase(thread: number, phase: number): void {
    Atomics.store(this.words, this.phaseAt + thread, phase);
    this.changed();
  }

  /** Changes the phase only if it is `from` (a preemptor may change it at the same moment). */
  swapPhase(thread: number, from: number, to: number): boolean {
    const ok = Atomics.compareExchange(this.words, this.phaseAt + thread, from, to) === from;
    if (ok) this.changed();
    return ok;
  }

  countSlice(thread: number): void {
    Atomics.add(this.words, this.slicesAt + thread, 1);
  }

  slices(thread: number): number {
    return Atomics.load(this.words, this.slicesAt + thread);
  }

  countRestart(thread: number): void {
    Atomics.add(this.words, this.restartsAt + thread, 1);
  }

  restarts(thread: number): number {
    return Atomics.load(this.words, this.restartsAt + thread);
  }

  countWork(thread: number): void {
    Atomics.add(this.words, this.workAt + thread, 1);
  }

  work(thread: number): number {
    return Atomics.load(this.words, this.workAt + thread);
  }

  // ---- start gate, abort, sleeping ----

  openGate(): void {
    Atomics.store(this.words, GATE, 1);
    Atomics.notify(this.words, GATE);
  }

  /** Waits for the gate at most `ms`; true once open. */
  waitGate(ms: number): boolean {
    Atomics.wait(this.words, GATE, 0, ms);
    return Atomics.load(this.words, GATE) === 1;
  }

  abort(): void {
    Atomics.store(this.words, ABORT, 1);
    Atomics.notify(this.words, GATE);
    for (let r = 0; r < this.shape.resources; r++) this.wakeResource(r);
    Atomics.add(this.words, BANKER_GENERATION, 1);
    Atomics.notify(this.words, BANKER_GENERATION);
  }

  get aborted(): boolean {
    return Atomics.load(this.words, ABORT) === 1;
  }

  /** Sleeps up to `ms` (nobody ever notifies this word). */
  sleep(ms: number): void {
    if (ms > 0) Atomics.wait(this.words, SLEEP, 0, ms);
  }

  // ---- the banker's books (single units): guarded by a lock word of their own ----

  lockBooks(): void {
    while (Atomics.compareExchange(this.words, BANKER_LOCK, 0, 1) !== 0) Atomics.wait(this.words, BANKER_LOCK, 1, 5);
  }

  unlockBooks(): void {
    Atomics.store(this.words, BANKER_LOCK, 0);
    Atomics.notify(this.words, BANKER_LOCK, 1);
  }

  available(): number[] {
    return Array.from({ length: this.shape.resources }, (_, r) => Atomics.load(this.words, this.availableAt + r));
  }

  allocation(): number[][] {
    return Array.from({ length: this.shape.threads }, (_, t) =>
      Array.from({ length: this.shape.resources }, (_, r) =>
        Atomics.load(this.words, this.allocationAt + t * this.shape.resources + r),
      ),
    );
  }

  /** Books one unit of `resource` to `thread` (+1) or back (-1). Call with the books locked. */
  book(thread: number, resource: number, delta: 1 | -1): void {
    Atomics.add(this.words, this.allocationAt + thread * this.shape.resources + resource, delta);
    Atomics.sub(this.words, this.availableAt + resource, delta);
  }

  bankerGeneration(): number {
    return Atomics.load(this.words, BANKER_GENERATION);
  }

  bumpBankerGeneration(): void {
    Atomics.add(this.words, BANKER_GENERATION, 1);
    Atomics.notify(this.words, BANKER_GENERATION);
  }

  waitBanker(generation: number, ms: number): void {
    Atomics.wait(this.words, BANKER_GENERATION, generation, ms);
  }

  // ---- the snapshot the graph is built from ----

  /**
   * Who holds what and who waits for what, read while nothing changed (the change counter the same
   * before and after); null if the table kept changing for `attempts` reads.
   */
  snapshot(
    names: { resources: readonly string[]; threads: readonly string[] },
    flags: { shareable: readonly boolean[]; preemptible: boolean },
    attempts = 50,
  ): LockTableSnapshot | null {
    for (let i = 0; i < attempts; i++) {
      const version = this.version;
      const resources = names.resources.map((name, id) => ({
        id,
        name,
        shareable: flags.shareable[id] ?? false,
        preemptible: flags.preemptible,
        holders: this.holders(id),
      }));
      const threads = names.threads.map((name, id) => ({
        id,
        name,
        phase: PHASE_NAMES[this.phase(id)] ?? 'running',
        waitingFor: this.waitingFor(id),
      }));
      if (this.version === version) return { version, resources, threads };
    }
    return null;
  }
}

export function bitsToIds(bits: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < 31; i++) if (bits & (1 << i)) ids.push(i);
  return ids;
}
