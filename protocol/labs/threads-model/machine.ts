/**
 * The pure model of threads running a Program (program.ts): each step, one ready thread runs one
 * instruction; the scheduler's choice is the only input. Seeded, steppable forward and back, no I/O.
 *
 * Blocking primitives wake without handing over: unlock / signal / exit wakes the first waiter
 * (FIFO), which tries again on its next step and may find the lock taken again by a thread that came
 * in meanwhile. A Mesa monitor: a thread woken from a condition wait first enters the monitor again.
 * The real threads (../interpreter.ts) do exactly this with Atomics, which a replay checks.
 */
import type { EventKind, ThreadEvent } from '../threads-result.ts';
import {
  cellLayout,
  checkProgram,
  compare,
  int32,
  ProgramError,
  type Address,
  type CellLayout,
  type Operand,
  type Program,
} from './program.ts';

export type { ThreadEvent };

export type ThreadStatus = 'ready' | 'blocked' | 'done';

export interface ThreadState {
  readonly pc: number;
  readonly regs: Readonly<Record<string, number>>;
  readonly status: ThreadStatus;
  /** Woken from a condition wait of this monitor: the next step enters it again. */
  readonly reenter: string | null;
  /** The region this thread waits for since its `want`, and how many entries of others it saw meanwhile. */
  readonly waiting: string | null;
  readonly overtaken: number;
}

export interface MachineState {
  readonly mem: readonly number[];
  readonly threads: readonly ThreadState[];
  readonly mutexes: Readonly<Record<string, { readonly owner: number; readonly waiters: readonly number[] }>>;
  readonly semaphores: Readonly<Record<string, { readonly count: number; readonly waiters: readonly number[] }>>;
  readonly monitors: Readonly<
    Record<
      string,
      {
        readonly owner: number;
        readonly entry: readonly number[];
        readonly conds: Readonly<Record<string, readonly number[]>>;
      }
    >
  >;
  /** Threads inside each critical-section region now. */
  readonly inside: Readonly<Record<string, readonly number[]>>;
  readonly maxInside: Readonly<Record<string, number>>;
  readonly maxOvertaken: number;
  readonly steps: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

export interface Outcome {
  readonly steps: number;
  /** The counter's final value and the value it should have (null when the program has none). */
  readonly counter: number | null;
  readonly expected: number | null;
  readonly lostUpdates: number | null;
  readonly maxInside: Readonly<Record<string, number>>;
  readonly maxOvertaken: number;
  readonly finished: boolean;
  /** No thread can step but some are not done: every one of them waits on another. */
  readonly deadlocked: boolean;
}

/** A program checked once, with its cell layout: what the step function needs. */
export interface Loaded {
  readonly program: Program;
  readonly layout: CellLayout;
}

const loadedCache = new WeakMap<Program, Loaded>();

export function load(program: Program): Loaded {
  let loaded = loadedCache.get(program);
  if (!loaded) {
    checkProgram(program);
    loaded = { program, layout: cellLayout(program) };
    loadedCache.set(program, loaded);
  }
  return loaded;
}

export function initialState(program: Program): MachineState {
  const { layout } = load(program);
  const regions = Object.keys(program.regions ?? {});
  return {
    mem: [...layout.init],
    threads: program.threads.map((thread) => ({
      pc: 0,
      regs: {},
      status: thread.code.length === 0 ? 'done' : 'ready',
      reenter: null,
      waiting: null,
      overtaken: 0,
    })),
    mutexes: Object.fromEntries((program.mutexes ?? []).map((name) => [name, { owner: -1, waiters: [] }])),
    semaphores: Object.fromEntries(
      Object.entries(program.semaphores ?? {}).map(([name, sem]) => [name, { count: sem.init, waiters: [] }]),
    ),
    monitors: Object.fromEntries(
      Object.entries(program.monitors ?? {}).map(([name, monitor]) => [
        name,
        { owner: -1, entry: [], conds: Object.fromEntries(monitor.conds.map((cond) => [cond, []])) },
      ]),
    ),
    inside: Object.fromEntries(regions.map((region) => [region, []])),
    maxInside: Object.fromEntries(regions.map((region) => [region, 0])),
    maxOvertaken: 0,
    steps: 0,
  };
}

export function runnable(state: MachineState): number[] {
  const ready: number[] = [];
  state.threads.forEach((thread, index) => {
    if (thread.status === 'ready') ready.push(index);
  });
  return ready;
}

/** The cell an address names, checked against the variable's size. */
export function cellIndex(
  layout: CellLayout,
  addr: Address,
  regs: Readonly<Record<string, number>>,
): { cell: number; name: string } {
  const offset = addr.at ? (regs[addr.at] ?? 0) : 0;
  const size = layout.size[addr.v]!;
  if (offset < 0 || offset >= size) throw new ProgramError(`${addr.v}[${offset}] is outside its ${size} cells`);
  return { cell: layout.base[addr.v]! + offset, name: addr.at ? `${addr.v}[${offset}]` : addr.v };
}

export function operandValue(operand: Operand, regs: Readonly<Record<string, number>>): number {
  return 'reg' in operand ? (regs[operand.reg] ?? 0) : operand.k;
}

/**
 * One step of `thread` (which must be ready): the new state and the step's event. Throws
 * ProgramError for a program's own mistake (unlocking a mutex it does not hold, signalling a
 * semaphore past its maximum, ...).
 */
export function step(
  program: Program,
  state: MachineState,
  thread: number,
): { state: MachineState; event: ThreadEvent } {
  const { layout } = load(program);
  const current = state.threads[thread];
  if (!current || current.status !== 'ready') throw new Error(`thread ${thread} cannot step now`);
  const next = cloneState(state);
  const me = next.threads[thread]!;
  const stepNumber = state.steps;
  next.steps++;
  const event = (kind: EventKind, extra: Partial<ThreadEvent> = {}, pc = me.pc): ThreadEvent => ({
    step: stepNumber,
    thread,
    pc,
    kind,
    ...extra,
  });
  const wake = (waiter: number | undefined): { woke?: number } => {
    if (waiter === undefined) return {};
    next.threads[waiter]!.status = 'ready';
    return { woke: waiter };
  };
  const fail = (message: string): never => {
    throw new ProgramError(`${program.threads[thread]!.name}@${me.pc}: ${message}`);
  };
  let result: ThreadEvent;

  if (me.reenter !== null) {
    // Back from a condition wait: enter the monitor again before going on.
    const monitor = next.monitors[me.reenter]!;
    const pc = me.pc - 1;
    if (monitor.owner === -1) {
      monitor.owner = thread;
      result = event('acquire', { obj: me.reenter }, pc);
      me.reenter = null;
    } else {
      monitor.entry.push(thread);
      me.status = 'blocked';
      result = event('block', { obj: me.reenter }, pc);
    }
  } else {
    const instr = program.threads[thread]!.code[me.pc]!;
    const regs = me.regs as Record<string, number>;
    const value = (operand: Operand) => operandValue(operand, regs);
    let advance = true;
    switch (instr.op) {
      case 'load': {
        const { cell, name } = cellIndex(layout, instr.addr, regs);
        regs[instr.reg] = next.mem[cell]!;
        result = event('load', { obj: name, value: regs[instr.reg]! });
        break;
      }
      case 'store': {
        const { cell, name } = cellIndex(layout, instr.addr, regs);
        next.mem[cell] = int32(value(instr.src));
        result = event('store', { obj: name, value: next.mem[cell] });
        break;
      }
      case 'set':
      case 'add':
        regs[instr.reg] = int32((instr.op === 'add' ? (regs[instr.reg] ?? 0) : 0) + value(instr.src));
        result = event(instr.op, { obj: instr.reg, value: regs[instr.reg]! });
        break;
      case 'cas': {
        const { cell, name } = cellIndex(layout, instr.addr, regs);
        const old = next.mem[cell]!;
        if (old === int32(value(instr.expect))) next.mem[cell] = int32(value(instr.desired));
        regs[instr.reg] = old;
        result = event('cas', { obj: name, value: old });
        break;
      }
      case 'fadd': {
        const { cell, name } = cellIndex(layout, instr.addr, regs);
        const old = next.mem[cell]!;
        next.mem[cell] = int32(old + value(instr.src));
        if (instr.reg) regs[instr.reg] = old;
        result = event('fadd', { obj: name, value: old });
        break;
      }
      case 'lock': {
        const mutex = next.mutexes[instr.obj]!;
        if (mutex.owner === thread) fail(`locks ${instr.obj} it already holds`);
        if (mutex.owner === -1) {
          mutex.owner = thread;
          result = event('acquire', { obj: instr.obj });
        } else {
          mutex.waiters.push(thread);
          me.status = 'blocked';
          advance = false;
          result = event('block', { obj: instr.obj });
        }
        break;
      }
      case 'unlock': {
        const mutex = next.mutexes[instr.obj]!;
        if (mutex.owner !== thread) fail(`unlocks ${instr.obj} it does not hold`);
        mutex.owner = -1;
        result = event('release', { obj: instr.obj, ...wake(mutex.waiters.shift()) });
        break;
      }
      case 'semWait': {
        const sem = next.semaphores[instr.obj]!;
        if (sem.count > 0) {
          sem.count--;
          result = event('acquire', { obj: instr.obj, value: sem.count });
        } else {
          sem.waiters.push(thread);
          me.status = 'blocked';
          advance = false;
          result = event('block', { obj: instr.obj, value: 0 });
        }
        break;
      }
      case 'semSignal': {
        const sem = next.semaphores[instr.obj]!;
        if (sem.count >= program.semaphores![instr.obj]!.max) fail(`signals ${instr.obj} past its maximum`);
        sem.count++;
        result = event('signal', { obj: instr.obj, value: sem.count, ...wake(sem.waiters.shift()) });
        break;
      }
      case 'enter': {
        const monitor = next.monitors[instr.obj]!;
        if (monitor.owner === thread) fail(`enters ${instr.obj} it is already in`);
        if (monitor.owner === -1) {
          monitor.owner = thread;
          result = event('acquire', { obj: instr.obj });
        } else {
          monitor.entry.push(thread);
          me.status = 'blocked';
          advance = false;
          result = event('block', { obj: instr.obj });
        }
        break;
      }
      case 'exit': {
        const monitor = next.monitors[instr.obj]!;
        if (monitor.owner !== thread) fail(`exits ${instr.obj} it is not in`);
        monitor.owner = -1;
        result = event('release', { obj: instr.obj, ...wake(monitor.entry.shift()) });
        break;
      }
      case 'cwait': {
        const monitor = next.monitors[instr.obj]!;
        if (monitor.owner !== thread) fail(`waits on ${instr.obj}.${instr.cond} outside the monitor`);
        monitor.owner = -1;
        const woke = wake(monitor.entry.shift());
        monitor.conds[instr.cond]!.push(thread);
        me.status = 'blocked';
        me.reenter = instr.obj;
        result = event('wait', { obj: `${instr.obj}.${instr.cond}`, ...woke });
        break;
      }
      case 'csignal': {
        const monitor = next.monitors[instr.obj]!;
        if (monitor.owner !== thread) fail(`signals ${instr.obj}.${instr.cond} outside the monitor`);
        result = event('signal', { obj: `${instr.obj}.${instr.cond}`, ...wake(monitor.conds[instr.cond]!.shift()) });
        break;
      }
      case 'branch': {
        const taken = compare(value(instr.left), instr.cmp, value(instr.right));
        result = event('branch', { value: taken ? 1 : 0 });
        if (taken) {
          me.pc = instr.to;
          advance = false;
        }
        break;
      }
      case 'jump':
        result = event('jump');
        me.pc = instr.to;
        advance = false;
        break;
      case 'csEnter': {
        const inside = next.inside[instr.region]!;
        inside.push(thread);
        next.maxInside[instr.region] = Math.max(next.maxInside[instr.region]!, inside.length);
        next.threads.forEach((other, index) => {
          if (index !== thread && other.waiting === instr.region) {
            other.overtaken++;
            next.maxOvertaken = Math.max(next.maxOvertaken, other.overtaken);
          }
        });
        me.waiting = null;
        me.overtaken = 0;
        result = event('cs-enter', { obj: instr.region, value: inside.length });
        break;
      }
      case 'csExit': {
        const inside = next.inside[instr.region]!;
        const at = inside.indexOf(thread);
        if (at < 0) fail(`leaves ${instr.region} it is not in`);
        inside.splice(at, 1);
        result = event('cs-exit', { obj: instr.region, value: inside.length });
        break;
      }
      case 'want':
        me.waiting = instr.region;
        me.overtaken = 0;
        result = event('want', { obj: instr.region });
        break;
      case 'gap':
        result = event('gap');
        break;
    }
    if (advance) me.pc++;
  }
  if (me.status === 'ready' && me.reenter === null && me.pc >= program.threads[thread]!.code.length) me.status = 'done';
  return { state: next, event: result };
}

/** A copy to change (structuredClone was most of the search's time). */
function cloneState(state: MachineState): Mutable<MachineState> {
  const mapValues = <T, U>(record: Readonly<Record<string, T>>, copy: (value: T) => U): Record<string, U> => {
    const out: Record<string, U> = {};
    for (const key in record) out[key] = copy(record[key]!);
    return out;
  };
  return {
    mem: [...state.mem],
    threads: state.threads.map((thread) => ({ ...thread, regs: { ...thread.regs } })),
    mutexes: mapValues(state.mutexes, (mutex) => ({ owner: mutex.owner, waiters: [...mutex.waiters] })),
    semaphores: mapValues(state.semaphores, (sem) => ({ count: sem.count, waiters: [...sem.waiters] })),
    monitors: mapValues(state.monitors, (monitor) => ({
      owner: monitor.owner,
      entry: [...monitor.entry],
      conds: mapValues(monitor.conds, (queue) => [...queue]),
    })),
    inside: mapValues(state.inside, (threads) => [...threads]),
    maxInside: { ...state.maxInside },
    maxOvertaken: state.maxOvertaken,
    steps: state.steps,
  };
}

export function outcome(program: Program, state: MachineState): Outcome {
  const { layout } = load(program);
  const counter = program.counter ? state.mem[layout.base[program.counter.v]!]! : null;
  const expected = program.counter?.expected ?? null;
  const finished = state.threads.every((thread) => thread.status === 'done');
  return {
    steps: state.steps,
    counter,
    expected,
    lostUpdates: counter === null || expected === null ? null : expected - counter,
    maxInside: state.maxInside,
    maxOvertaken: state.maxOvertaken,
    finished,
    deadlocked: !finished && runnable(state).length === 0,
  };
}

/** mulberry32: a small seeded generator, so a schedule is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The model you step through ("you are the scheduler"): forward by naming the thread or by the
 * seeded scheduler's pick, back one step at a time. Every state is kept, so back is exact.
 */
export class ThreadsModel {
  private readonly states: MachineState[];
  private readonly picks: number[] = [];
  private readonly log: ThreadEvent[] = [];

  constructor(
    readonly program: Program,
    readonly seed = 1,
  ) {
    this.states = [initialState(program)];
  }

  get state(): MachineState {
    return this.states.at(-1)!;
  }

  /** The threads that ran, in order: a schedule to replay. */
  get schedule(): readonly number[] {
    return this.picks;
  }

  get events(): readonly ThreadEvent[] {
    return this.log;
  }

  get runnable(): number[] {
    return runnable(this.state);
  }

  /** One step of `thread`, or of the seeded scheduler's pick; false when that thread (or none) can step. */
  step(thread?: number): boolean {
    const choices = runnable(this.state);
    if (choices.length === 0 || (thread !== undefined && !choices.includes(thread))) return false;
    // The draw depends on the seed and the step's number only, so back then forward repeats it.
    const draw = seededRandom(Math.imul(this.seed, 0x9e3779b1) ^ this.picks.length)();
    const chosen = thread ?? choices[Math.floor(draw * choices.length)]!;
    const { state, event } = step(this.program, this.state, chosen);
    this.states.push(state);
    this.picks.push(chosen);
    this.log.push(event);
    return true;
  }

  /** Undoes the last step; false at the start. */
  back(): boolean {
    if (this.states.length === 1) return false;
    this.states.pop();
    this.picks.pop();
    this.log.pop();
    return true;
  }

  /** Runs the seeded scheduler until no thread can step (or `maxSteps`). */
  run(maxSteps = 100_000): Outcome {
    for (let i = 0; i < maxSteps && this.step(); i++);
    return this.outcome();
  }

  outcome(): Outcome {
    return outcome(this.program, this.state);
  }
}

/** Replays a schedule from the start: the end state and every step's event; throws where a step is not possible. */
export function replay(program: Program, schedule: readonly number[]): { state: MachineState; events: ThreadEvent[] } {
  let state = initialState(program);
  const events: ThreadEvent[] = [];
  for (const thread of schedule) {
    const next = step(program, state, thread);
    state = next.state;
    events.push(next.event);
  }
  return { state, events };
}

/** A seeded random schedule run to the end (or `maxSteps`): the schedule, events and outcome. */
export function randomRun(
  program: Program,
  seed: number,
  maxSteps = 100_000,
): { schedule: number[]; events: ThreadEvent[]; outcome: Outcome; state: MachineState } {
  const model = new ThreadsModel(program, seed);
  const result = model.run(maxSteps);
  return { schedule: [...model.schedule], events: [...model.events], outcome: result, state: model.state };
}

/** `prefix`, then the lowest-numbered ready thread each step until none can step: a found schedule run to its end. */
export function finishSchedule(program: Program, prefix: readonly number[], maxSteps = 100_000): number[] {
  let { state } = replay(program, prefix);
  const schedule = [...prefix];
  for (let ready = runnable(state); ready.length > 0 && schedule.length < maxSteps; ready = runnable(state)) {
    state = step(program, state, ready[0]!).state;
    schedule.push(ready[0]!);
  }
  return schedule;
}
