/**
 * The threads lab's tiny instruction set: threads over shared variables (공유 자원), each step one
 * indivisible instruction. The model (machine.ts) and the real worker threads (../interpreter.ts)
 * both run it, so a schedule found in the model can be replayed on real threads.
 *
 * Shared variables are whole numbers in named cells (a variable may be an array: `size` cells);
 * registers are each thread's own. Only load, store, cas and fadd touch shared memory; set, add and
 * branch are local. `gap` is a preemption point: one step that does nothing in the model, a busy spin
 * on a real thread (it widens the window in which another thread may run).
 */

/** A register's value or a constant. */
export type Operand = { readonly reg: string } | { readonly k: number };

/** A shared variable's cell: `v[reg]` when `at` names a register, else `v[0]`. */
export interface Address {
  readonly v: string;
  readonly at?: string;
}

export type Cmp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Instr =
  | { readonly op: 'load'; readonly reg: string; readonly addr: Address }
  | { readonly op: 'store'; readonly addr: Address; readonly src: Operand }
  | { readonly op: 'set'; readonly reg: string; readonly src: Operand }
  | { readonly op: 'add'; readonly reg: string; readonly src: Operand }
  /** Atomic compare-and-swap: `reg` gets the old value; the cell becomes `desired` if it held `expect`. */
  | {
      readonly op: 'cas';
      readonly reg: string;
      readonly addr: Address;
      readonly expect: Operand;
      readonly desired: Operand;
    }
  /** Atomic fetch-and-add: `reg` (if any) gets the old value. */
  | { readonly op: 'fadd'; readonly reg?: string; readonly addr: Address; readonly src: Operand }
  /** Mutex (뮤텍스): lock() / unlock(). A thread that finds it locked blocks until woken, then tries again. */
  | { readonly op: 'lock' | 'unlock'; readonly obj: string }
  /** Semaphore (세마포어): wait (P) and signal (V). */
  | { readonly op: 'semWait' | 'semSignal'; readonly obj: string }
  /** Monitor (모니터): enter / exit its lock, and wait / signal one of its condition variables (Mesa). */
  | { readonly op: 'enter' | 'exit'; readonly obj: string }
  | { readonly op: 'cwait' | 'csignal'; readonly obj: string; readonly cond: string }
  | { readonly op: 'branch'; readonly left: Operand; readonly cmp: Cmp; readonly right: Operand; readonly to: number }
  | { readonly op: 'jump'; readonly to: number }
  /** Marks entering / leaving a critical section (임계 영역) named `region`: what the checks count. */
  | { readonly op: 'csEnter' | 'csExit'; readonly region: string }
  /** Marks the end of the entry section's doorway: from here the thread waits for `region` (for bounded waiting). */
  | { readonly op: 'want'; readonly region: string }
  | { readonly op: 'gap' };

export type Op = Instr['op'];

export interface VarDecl {
  readonly size?: number;
  readonly init?: number;
}

export interface SemaphoreDecl {
  readonly init: number;
  readonly max: number;
}

export interface MonitorDecl {
  readonly conds: readonly string[];
}

export interface ThreadCode {
  readonly name: string;
  readonly code: readonly Instr[];
}

export interface Program {
  readonly id: string;
  readonly title: string;
  readonly vars: Readonly<Record<string, VarDecl>>;
  readonly mutexes?: readonly string[];
  readonly semaphores?: Readonly<Record<string, SemaphoreDecl>>;
  readonly monitors?: Readonly<Record<string, MonitorDecl>>;
  /** Critical-section regions and how many threads each may hold at once (1: mutual exclusion). */
  readonly regions?: Readonly<Record<string, number>>;
  readonly threads: readonly ThreadCode[];
  /** The variable whose final value is checked, and the value it must reach. */
  readonly counter?: { readonly v: string; readonly expected: number };
}

/** A program's cells: each variable's first cell and its size, in declaration order. */
export interface CellLayout {
  readonly base: Readonly<Record<string, number>>;
  readonly size: Readonly<Record<string, number>>;
  readonly cells: number;
  readonly init: readonly number[];
}

export function cellLayout(program: Program): CellLayout {
  const base: Record<string, number> = {};
  const size: Record<string, number> = {};
  const init: number[] = [];
  for (const [name, decl] of Object.entries(program.vars)) {
    base[name] = init.length;
    size[name] = decl.size ?? 1;
    for (let i = 0; i < size[name]; i++) init.push(decl.init ?? 0);
  }
  return { base, size, cells: init.length, init };
}

export class ProgramError extends Error {
  override name = 'ProgramError';
}

/** Checks names, jump targets and limits, so a bad program is refused before anything runs. */
export function checkProgram(program: Program): void {
  const fail = (message: string) => {
    throw new ProgramError(`${program.id}: ${message}`);
  };
  if (program.threads.length < 1 || program.threads.length > 16) fail('needs 1 to 16 threads');
  const mutexes = new Set(program.mutexes ?? []);
  const semaphores = program.semaphores ?? {};
  const monitors = program.monitors ?? {};
  const regions = program.regions ?? {};
  for (const [name, sem] of Object.entries(semaphores))
    if (!(
      Number.isInteger(sem.max) &&
      sem.max >= 1 &&
      Number.isInteger(sem.init) &&
      sem.init >= 0 &&
      sem.init <= sem.max
    ))
      fail(`semaphore ${name} needs 0 <= init <= max, max >= 1`);
  for (const [name, decl] of Object.entries(program.vars))
    if (decl.size !== undefined && !(Number.isInteger(decl.size) && decl.size >= 1 && decl.size <= 1024))
      fail(`variable ${name} needs a size from 1 to 1024`);
  if (program.counter && !(program.counter.v in program.vars)) fail(`counter ${program.counter.v} is not a variable`);
  for (const thread of program.threads) {
    if (thread.code.length > 4096) fail(`${thread.name}: at most 4096 instructions`);
    thread.code.forEach((instr, pc) => {
      const where = `${thread.name}@${pc} (${instr.op})`;
      const needVar = (addr: Address) => {
        if (!(addr.v in program.vars)) fail(`${where}: no variable ${addr.v}`);
      };
      switch (instr.op) {
        case 'load':
        case 'store':
        case 'cas':
        case 'fadd':
          needVar(instr.addr);
          break;
        case 'lock':
        case 'unlock':
          if (!mutexes.has(instr.obj)) fail(`${where}: no mutex ${instr.obj}`);
          break;
        case 'semWait':
        case 'semSignal':
          if (!(instr.obj in semaphores)) fail(`${where}: no semaphore ${instr.obj}`);
          break;
        case 'enter':
        case 'exit':
          if (!(instr.obj in monitors)) fail(`${where}: no monitor ${instr.obj}`);
          break;
        case 'cwait':
        case 'csignal':
          if (!monitors[instr.obj]?.conds.includes(instr.cond))
            fail(`${where}: no condition ${instr.obj}.${instr.cond}`);
          break;
        case 'branch':
        case 'jump':
          if (!Number.isInteger(instr.to) || instr.to < 0 || instr.to > thread.code.length)
            fail(`${where}: bad target`);
          break;
        case 'csEnter':
        case 'csExit':
        case 'want':
          if (!(instr.region in regions)) fail(`${where}: no region ${instr.region}`);
          break;
        default:
          break;
      }
    });
  }
}

/** A label in assembly: `{ label: 'top' }`; jumps and branches name labels in `to`. */
type LabelledInstr =
  | Exclude<Instr, { op: 'branch' } | { op: 'jump' }>
  | { readonly op: 'branch'; readonly left: Operand; readonly cmp: Cmp; readonly right: Operand; readonly to: string }
  | { readonly op: 'jump'; readonly to: string };

export type AsmLine = LabelledInstr | { readonly label: string };

/** Resolves labels to instruction indices (a label at the end means "past the last instruction": done). */
export function asm(lines: readonly AsmLine[]): Instr[] {
  const labels = new Map<string, number>();
  let pc = 0;
  for (const line of lines) {
    if ('label' in line) {
      if (labels.has(line.label)) throw new ProgramError(`label ${line.label} twice`);
      labels.set(line.label, pc);
    } else pc++;
  }
  const target = (label: string) => {
    const to = labels.get(label);
    if (to === undefined) throw new ProgramError(`no label ${label}`);
    return to;
  };
  return lines.flatMap((line): Instr[] => {
    if ('label' in line) return [];
    if (line.op === 'branch' || line.op === 'jump') return [{ ...line, to: target(line.to) }];
    return [line];
  });
}

// Short forms for writing programs.
export const r = (reg: string): Operand => ({ reg });
export const k = (value: number): Operand => ({ k: value });
export const at = (v: string, index?: string): Address => (index ? { v, at: index } : { v });

/** One instruction as text, for logs and the page: `load r, x`. */
export function describe(instr: Instr): string {
  const operand = (o: Operand) => ('reg' in o ? o.reg : String(o.k));
  const address = (a: Address) => (a.at ? `${a.v}[${a.at}]` : a.v);
  switch (instr.op) {
    case 'load':
      return `load ${instr.reg}, ${address(instr.addr)}`;
    case 'store':
      return `store ${address(instr.addr)}, ${operand(instr.src)}`;
    case 'set':
      return `set ${instr.reg}, ${operand(instr.src)}`;
    case 'add':
      return `add ${instr.reg}, ${operand(instr.src)}`;
    case 'cas':
      return `cas ${instr.reg}, ${address(instr.addr)}, ${operand(instr.expect)} -> ${operand(instr.desired)}`;
    case 'fadd':
      return `fadd ${instr.reg ?? '_'}, ${address(instr.addr)}, ${operand(instr.src)}`;
    case 'cwait':
    case 'csignal':
      return `${instr.op} ${instr.obj}.${instr.cond}`;
    case 'branch':
      return `if ${operand(instr.left)} ${instr.cmp} ${operand(instr.right)} goto ${instr.to}`;
    case 'jump':
      return `goto ${instr.to}`;
    case 'csEnter':
    case 'csExit':
    case 'want':
      return `${instr.op} ${instr.region}`;
    case 'gap':
      return 'gap';
    default:
      return `${instr.op} ${instr.obj}`;
  }
}

export function compare(left: number, cmp: Cmp, right: number): boolean {
  switch (cmp) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

/** Int32 arithmetic, as the real Int32Array cells do it. */
export const int32 = (value: number): number => value | 0;
