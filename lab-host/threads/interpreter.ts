/**
 * One real thread of a Program, running on a worker thread over the run's SharedArrayBuffer. Every
 * shared cell is read and written with Atomics (each instruction indivisible, as in the model: the
 * race comes from interleaving the load and the store, not from torn words).
 *
 * The primitives are built from Atomics alone, as a futex-based library builds them: each object has
 * a guard (Drepper's three-state mutex: Atomics.compareExchange, then Atomics.wait / Atomics.notify
 * when contended) around its state and a FIFO queue of waiting threads; a thread that must wait
 * parks on its own word (Atomics.wait) and the thread that releases or signals unparks the first in
 * the queue (Atomics.notify), so "who woke whom" is known exactly. Nothing is handed over: the woken
 * thread tries again, as in the model (model/machine.ts).
 */
import type { EventKind, ThreadEvent } from '../../protocol/labs/threads-result.ts';
import {
  compare,
  int32,
  ProgramError,
  type Address,
  type Instr,
  type Operand,
  type Program,
} from '../../protocol/labs/threads-model/program.ts';
import { CLOCK, CURRENT, MAX_OVERTAKEN, MAX_THREADS, NAP_WORD, QUEUE_WORDS, type Layout } from './layout.ts';

export interface ThreadOptions {
  /** Gated (a replay: step numbers from the runner) or free (a global sequence number per event). */
  readonly gated: boolean;
  /** Busy-spin iterations per `gap` instruction. */
  readonly gapSpins: number;
  /** Keep at most this many events (free runs keep only synchronization events). */
  readonly maxEvents: number;
  /**
   * Free runs: after SPINS_BEFORE_NAP turns round a loop without entering a critical section, sleep
   * 50 us (Atomics.wait with a timeout), as real spin locks yield. Without it, with more spinning
   * threads than cores, the thread whose turn it is waits whole time slices (a ticket lock, 4
   * threads on 2 loaded cores, did not finish in 60 s). Timing only: no step changes.
   */
  readonly napWhileSpinning?: boolean;
}

const SPINS_BEFORE_NAP = 64;
const NAP_MS = 0.05;

export interface ThreadStats {
  blocks: number;
  wakes: number;
  csEntries: number;
}

/** Events a free run keeps: what the history graph draws. */
const FREE_RUN_KINDS: ReadonlySet<EventKind> = new Set([
  'acquire',
  'block',
  'release',
  'signal',
  'wait',
  'cs-enter',
  'cs-exit',
]);

let sink = 0;

/** Drepper's mutex ("Futexes are tricky", mutex2): 0 free, 1 locked, 2 locked with waiters. */
function guardLock(view: Int32Array, at: number): void {
  let c = Atomics.compareExchange(view, at, 0, 1);
  if (c === 0) return;
  if (c !== 2) c = Atomics.exchange(view, at, 2);
  while (c !== 0) {
    Atomics.wait(view, at, 2);
    c = Atomics.exchange(view, at, 2);
  }
}

function guardUnlock(view: Int32Array, at: number): void {
  if (Atomics.sub(view, at, 1) !== 1) {
    Atomics.store(view, at, 0);
    Atomics.notify(view, at, 1);
  }
}

function enqueue(view: Int32Array, queue: number, thread: number): void {
  const tail = view[queue + 1]!;
  view[queue + 2 + (tail % MAX_THREADS)] = thread;
  view[queue + 1] = tail + 1;
}

/** The first waiting thread, or undefined. Called with the object's guard held. */
function dequeue(view: Int32Array, queue: number): number | undefined {
  const head = view[queue]!;
  if (head === view[queue + 1]) return undefined;
  view[queue] = head + 1;
  return view[queue + 2 + (head % MAX_THREADS)];
}

export class RealThread {
  pc = 0;
  /** Back from a condition wait of this monitor: the next step enters it again. */
  reenter: string | null = null;
  blocked = false;
  readonly regs: Record<string, number> = {};
  readonly events: ThreadEvent[] = [];
  eventsDropped = 0;
  readonly stats: ThreadStats = { blocks: 0, wakes: 0, csEntries: 0 };
  private readonly code: readonly Instr[];
  private turnsWithoutEntering = 0;

  constructor(
    private readonly view: Int32Array,
    private readonly layout: Layout,
    private readonly program: Program,
    readonly thread: number,
    private readonly options: ThreadOptions,
  ) {
    this.code = program.threads[thread]!.code;
  }

  get done(): boolean {
    return !this.blocked && this.reenter === null && this.pc >= this.code.length;
  }

  /** Whether this thread is parked: blocked and not yet woken. */
  get parked(): boolean {
    return this.blocked && Atomics.load(this.view, this.layout.park + this.thread) === 1;
  }

  /** Sleeps until woken (a free run's blocking wait). */
  sleepUntilWoken(): void {
    const at = this.layout.park + this.thread;
    while (Atomics.load(this.view, at) === 1) Atomics.wait(this.view, at, 1);
    this.blocked = false;
  }

  /** Runs to the end (a free run). */
  runFree(): void {
    while (!this.done) {
      this.step();
      if (this.blocked) this.sleepUntilWoken();
    }
  }

  /** One indivisible step: the current instruction, or entering the monitor again after a condition wait. */
  step(): void {
    const view = this.view;
    const layout = this.layout;
    const me = this.thread;
    this.blocked = false;
    if (this.reenter !== null) {
      const base = layout.monitor[this.reenter]!;
      if (this.take(base, base + 2)) {
        this.emit('acquire', this.pc - 1, { obj: this.reenter });
        this.reenter = null;
      } else this.emit('block', this.pc - 1, { obj: this.reenter });
      return;
    }
    const instr = this.code[this.pc]!;
    const pc = this.pc;
    let advance = true;
    switch (instr.op) {
      case 'load': {
        const { cell, name } = this.cell(instr.addr);
        this.regs[instr.reg] = Atomics.load(view, cell);
        this.emit('load', pc, { obj: name, value: this.regs[instr.reg]! });
        break;
      }
      case 'store': {
        const { cell, name } = this.cell(instr.addr);
        const value = int32(this.value(instr.src));
        Atomics.store(view, cell, value);
        this.emit('store', pc, { obj: name, value });
        break;
      }
      case 'set':
      case 'add':
        this.regs[instr.reg] = int32((instr.op === 'add' ? (this.regs[instr.reg] ?? 0) : 0) + this.value(instr.src));
        this.emit(instr.op, pc, { obj: instr.reg, value: this.regs[instr.reg]! });
        break;
      case 'cas': {
        const { cell, name } = this.cell(instr.addr);
        const old = Atomics.compareExchange(
          view,
          cell,
          int32(this.value(instr.expect)),
          int32(this.value(instr.desired)),
        );
        this.regs[instr.reg] = old;
        this.emit('cas', pc, { obj: name, value: old });
        break;
      }
      case 'fadd': {
        const { cell, name } = this.cell(instr.addr);
        const old = Atomics.add(view, cell, int32(this.value(instr.src)));
        if (instr.reg) this.regs[instr.reg] = old;
        this.emit('fadd', pc, { obj: name, value: old });
        break;
      }
      case 'lock':
      case 'enter': {
        const base = instr.op === 'lock' ? layout.mutex[instr.obj]! : layout.monitor[instr.obj]!;
        if (Atomics.load(view, base + 1) === me + 1) this.fail(`${instr.op}s ${instr.obj} it already holds`);
        if (this.take(base, base + 2)) this.emit('acquire', pc, { obj: instr.obj });
        else {
          advance = false;
          this.emit('block', pc, { obj: instr.obj });
        }
        break;
      }
      case 'unlock':
      case 'exit': {
        const base = instr.op === 'unlock' ? layout.mutex[instr.obj]! : layout.monitor[instr.obj]!;
        guardLock(view, base);
        if (view[base + 1] !== me + 1) {
          guardUnlock(view, base);
          this.fail(`${instr.op === 'unlock' ? 'unlocks' : 'exits'} ${instr.obj} it does not hold`);
        }
        Atomics.store(view, base + 1, 0);
        const woke = this.wake(dequeue(view, base + 2));
        guardUnlock(view, base);
        this.emit('release', pc, { obj: instr.obj, ...woke });
        break;
      }
      case 'semWait': {
        const base = layout.semaphore[instr.obj]!;
        guardLock(view, base);
        const count = view[base + 1]!;
        if (count > 0) {
          Atomics.store(view, base + 1, count - 1);
          guardUnlock(view, base);
          this.emit('acquire', pc, { obj: instr.obj, value: count - 1 });
        } else {
          this.park(base + 2);
          guardUnlock(view, base);
          advance = false;
          this.emit('block', pc, { obj: instr.obj, value: 0 });
        }
        break;
      }
      case 'semSignal': {
        const base = layout.semaphore[instr.obj]!;
        guardLock(view, base);
        const count = view[base + 1]!;
        if (count >= this.program.semaphores![instr.obj]!.max) {
          guardUnlock(view, base);
          this.fail(`signals ${instr.obj} past its maximum`);
        }
        Atomics.store(view, base + 1, count + 1);
        const woke = this.wake(dequeue(view, base + 2));
        guardUnlock(view, base);
        this.emit('signal', pc, { obj: instr.obj, value: count + 1, ...woke });
        break;
      }
      case 'cwait': {
        const base = layout.monitor[instr.obj]!;
        guardLock(view, base);
        if (view[base + 1] !== me + 1) {
          guardUnlock(view, base);
          this.fail(`waits on ${instr.obj}.${instr.cond} outside the monitor`);
        }
        Atomics.store(view, base + 1, 0);
        const woke = this.wake(dequeue(view, base + 2));
        this.park(this.condQueue(instr.obj, instr.cond));
        guardUnlock(view, base);
        this.reenter = instr.obj;
        this.emit('wait', pc, { obj: `${instr.obj}.${instr.cond}`, ...woke });
        break;
      }
      case 'csignal': {
        const base = layout.monitor[instr.obj]!;
        guardLock(view, base);
        if (view[base + 1] !== me + 1) {
          guardUnlock(view, base);
          this.fail(`signals ${instr.obj}.${instr.cond} outside the monitor`);
        }
        const woke = this.wake(dequeue(view, this.condQueue(instr.obj, instr.cond)));
        guardUnlock(view, base);
        this.emit('signal', pc, { obj: `${instr.obj}.${instr.cond}`, ...woke });
        break;
      }
      case 'branch': {
        const taken = compare(this.value(instr.left), instr.cmp, this.value(instr.right));
        this.emit('branch', pc, { value: taken ? 1 : 0 });
        if (taken) {
          if (instr.to <= pc) this.turnedBack();
          this.pc = instr.to;
          advance = false;
        }
        break;
      }
      case 'jump':
        this.emit('jump', pc);
        if (instr.to <= pc) this.turnedBack();
        this.pc = instr.to;
        advance = false;
        break;
      case 'csEnter': {
        const index = layout.regionNames.indexOf(instr.region);
        const at = layout.regions + 2 * index;
        const inside = Atomics.add(view, at, 1) + 1;
        raiseTo(view, at + 1, inside);
        // Bounded waiting: everyone still waiting for this region is overtaken once more.
        for (let other = 0; other < this.program.threads.length; other++) {
          if (other !== me && Atomics.load(view, layout.waiting + other) === index + 1)
            raiseTo(view, MAX_OVERTAKEN, Atomics.add(view, layout.overtaken + other, 1) + 1);
        }
        Atomics.store(view, layout.waiting + me, 0);
        this.stats.csEntries++;
        this.turnsWithoutEntering = 0;
        this.emit('cs-enter', pc, { obj: instr.region, value: inside });
        break;
      }
      case 'csExit': {
        const at = layout.regions + 2 * layout.regionNames.indexOf(instr.region);
        this.emit('cs-exit', pc, { obj: instr.region, value: Atomics.sub(view, at, 1) - 1 });
        break;
      }
      case 'want':
        Atomics.store(view, layout.overtaken + me, 0);
        Atomics.store(view, layout.waiting + me, layout.regionNames.indexOf(instr.region) + 1);
        this.emit('want', pc, { obj: instr.region });
        break;
      case 'gap':
        for (let i = 0; i < this.options.gapSpins; i++) sink = (Math.imul(sink, 31) + i) | 0;
        this.emit('gap', pc);
        break;
    }
    if (advance) this.pc++;
  }

  private turnedBack(): void {
    if (this.options.gated || !this.options.napWhileSpinning) return;
    if (++this.turnsWithoutEntering % SPINS_BEFORE_NAP === 0) Atomics.wait(this.view, NAP_WORD, 0, NAP_MS);
  }

  /** Takes a lock word (mutex or monitor) or joins its queue and parks; true when taken. */
  private take(base: number, queue: number): boolean {
    const view = this.view;
    guardLock(view, base);
    if (view[base + 1] === 0) {
      Atomics.store(view, base + 1, this.thread + 1);
      guardUnlock(view, base);
      return true;
    }
    this.park(queue);
    guardUnlock(view, base);
    return false;
  }

  /** Joins `queue` and marks this thread parked; the caller holds the guard, so no wake-up is lost. */
  private park(queue: number): void {
    enqueue(this.view, queue, this.thread);
    Atomics.store(this.view, this.layout.park + this.thread, 1);
    this.blocked = true;
    this.stats.blocks++;
  }

  private wake(waiter: number | undefined): { woke?: number } {
    if (waiter === undefined) return {};
    Atomics.store(this.view, this.layout.park + waiter, 0);
    Atomics.notify(this.view, this.layout.park + waiter, 1);
    this.stats.wakes++;
    return { woke: waiter };
  }

  private condQueue(monitor: string, cond: string): number {
    const index = this.program.monitors![monitor]!.conds.indexOf(cond);
    return this.layout.monitor[monitor]! + 2 + QUEUE_WORDS * (1 + index);
  }

  private cell(addr: Address): { cell: number; name: string } {
    const offset = addr.at ? (this.regs[addr.at] ?? 0) : 0;
    const size = this.layout.cells.size[addr.v]!;
    if (offset < 0 || offset >= size) this.fail(`${addr.v}[${offset}] is outside its ${size} cells`);
    return {
      cell: this.layout.mem + this.layout.cells.base[addr.v]! + offset,
      name: addr.at ? `${addr.v}[${offset}]` : addr.v,
    };
  }

  private value(operand: Operand): number {
    return 'reg' in operand ? (this.regs[operand.reg] ?? 0) : operand.k;
  }

  private fail(message: string): never {
    throw new ProgramError(`${this.program.threads[this.thread]!.name}@${this.pc}: ${message}`);
  }

  private emit(kind: EventKind, pc: number, extra: { obj?: string; value?: number; woke?: number } = {}): void {
    if (!this.options.gated && !FREE_RUN_KINDS.has(kind)) return;
    const step = this.options.gated ? Atomics.load(this.view, CURRENT) : Atomics.add(this.view, CLOCK, 1);
    if (this.events.length >= this.options.maxEvents) {
      this.eventsDropped++;
      return;
    }
    this.events.push({ step, thread: this.thread, pc, kind, ...extra });
  }
}

/** Raises a word to at least `value` (a maximum kept by compare-and-swap). */
function raiseTo(view: Int32Array, at: number, value: number): void {
  for (let seen = Atomics.load(view, at); seen < value;) {
    const was = Atomics.compareExchange(view, at, seen, value);
    if (was === seen) return;
    seen = was;
  }
}
