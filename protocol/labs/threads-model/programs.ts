/**
 * The lab's programs, one per scene of the notes (공유 자원, 경쟁 상태, 임계 영역, 뮤텍스, 세마포어,
 * 모니터, 상호 배제 / 융통성 / 한정 대기). Each is made for a number of threads and iterations; the
 * model explores it and the real worker threads run the very same instructions.
 */
import { asm, at, k, r, type AsmLine, type Instr, type Program } from './program.ts';

export interface ProgramParams {
  /** Threads running the loop (Peterson, "too much milk": always 2). */
  readonly threads: number;
  /** Times each thread goes round its loop. */
  readonly iterations: number;
  /**
   * Where a `gap` (a preemption window; a busy spin on a real thread) goes in the counter's
   * read-modify-write: between the load and the store (the race's window), after it, or nowhere.
   */
  readonly gapAt?: 'load-store' | 'after-store' | 'none';
}

export type ProgramId =
  | 'race'
  | 'mutex'
  | 'binary-semaphore'
  | 'counting-semaphore'
  | 'monitor-buffer'
  | 'peterson'
  | 'spin-lock'
  | 'ticket-lock'
  | 'milk-1'
  | 'milk-2'
  | 'milk-3';

export interface ProgramInfo {
  readonly id: ProgramId;
  readonly title: string;
  /** What it shows, in a sentence. */
  readonly shows: string;
  /** Fixed thread count, when the algorithm is for exactly that many. */
  readonly fixedThreads?: number;
  readonly make: (params: ProgramParams) => Program;
}

/** counter++ as three instructions (load, add, store): the read-modify-write that races. */
function increment(gapAt: ProgramParams['gapAt'] = 'load-store'): AsmLine[] {
  return [
    { op: 'load', reg: 'r', addr: at('count') },
    ...(gapAt === 'load-store' ? [{ op: 'gap' } as const] : []),
    { op: 'add', reg: 'r', src: k(1) },
    { op: 'store', addr: at('count'), src: r('r') },
    ...(gapAt === 'after-store' ? [{ op: 'gap' } as const] : []),
  ];
}

/** Each thread: `iterations` times, entry; counter++ in region `counter`; exit. */
function loop(iterations: number, entry: AsmLine[], body: AsmLine[], exit: AsmLine[]): Instr[] {
  return asm([
    { op: 'set', reg: 'i', src: k(iterations) },
    { label: 'top' },
    ...entry,
    ...body,
    ...exit,
    { op: 'add', reg: 'i', src: k(-1) },
    { op: 'branch', left: r('i'), cmp: '>', right: k(0), to: 'top' },
  ]);
}

function checkParams(params: ProgramParams): void {
  if (!Number.isInteger(params.threads) || params.threads < 1 || params.threads > 16)
    throw new RangeError(`threads must be a whole number from 1 to 16 (got ${params.threads})`);
  if (!Number.isInteger(params.iterations) || params.iterations < 1 || params.iterations > 10_000_000)
    throw new RangeError(`iterations must be a whole number from 1 to 10,000,000 (got ${params.iterations})`);
}

const counterProgram = (
  id: ProgramId,
  title: string,
  params: ProgramParams,
  declare: Omit<Program, 'id' | 'title' | 'vars' | 'threads' | 'counter'> & { vars?: Program['vars'] },
  entry: AsmLine[],
  exit: AsmLine[],
  region: string = 'counter',
): Program => {
  checkParams(params);
  const body: AsmLine[] = [{ op: 'csEnter', region }, ...increment(params.gapAt), { op: 'csExit', region }];
  return {
    id,
    title,
    ...declare,
    vars: { count: {}, ...declare.vars },
    regions: { counter: 1, ...declare.regions },
    counter: { v: 'count', expected: params.threads * params.iterations },
    threads: Array.from({ length: params.threads }, (_, index) => ({
      name: `T${index}`,
      code: loop(params.iterations, entry, body, exit),
    })),
  };
};

function peterson(params: ProgramParams): Program {
  checkParams({ ...params, threads: 2 });
  const thread = (me: number): Instr[] => {
    const other = 1 - me;
    return loop(
      params.iterations,
      [
        { op: 'store', addr: at(`flag${me}`), src: k(1) },
        { op: 'store', addr: at('turn'), src: k(other) },
        { op: 'want', region: 'counter' },
        { label: 'spin' },
        { op: 'load', reg: 'f', addr: at(`flag${other}`) },
        { op: 'branch', left: r('f'), cmp: '==', right: k(0), to: 'in' },
        { op: 'load', reg: 't', addr: at('turn') },
        { op: 'branch', left: r('t'), cmp: '!=', right: k(other), to: 'in' },
        { op: 'jump', to: 'spin' },
        { label: 'in' },
      ],
      [{ op: 'csEnter', region: 'counter' }, ...increment(params.gapAt), { op: 'csExit', region: 'counter' }],
      [{ op: 'store', addr: at(`flag${me}`), src: k(0) }],
    );
  };
  return {
    id: 'peterson',
    title: "Peterson's algorithm",
    vars: { count: {}, flag0: {}, flag1: {}, turn: {} },
    regions: { counter: 1 },
    counter: { v: 'count', expected: 2 * params.iterations },
    threads: [
      { name: 'T0', code: thread(0) },
      { name: 'T1', code: thread(1) },
    ],
  };
}

/** Buying milk: one atomic step inside region `buy`, so the count of purchases is exact. */
const buy: AsmLine[] = [
  { op: 'csEnter', region: 'buy' },
  { op: 'fadd', addr: at('milk'), src: k(1) },
  { op: 'csExit', region: 'buy' },
];

const milkProgram = (id: ProgramId, title: string, threads: [AsmLine[], AsmLine[]]): Program => ({
  id,
  title,
  vars: { milk: {}, note: {}, noteA: {}, noteB: {} },
  // Two in "buy" is never a race on the count (fadd), but it is too much milk.
  regions: { buy: 1 },
  counter: { v: 'milk', expected: 1 },
  threads: [
    { name: 'A', code: asm(threads[0]) },
    { name: 'B', code: asm(threads[1]) },
  ],
});

/** Attempt 1: if no milk and no note, leave a note, buy, remove the note. Both can check before either leaves a note. */
function milk1(): Program {
  const roommate: AsmLine[] = [
    { op: 'load', reg: 'm', addr: at('milk') },
    { op: 'branch', left: r('m'), cmp: '!=', right: k(0), to: 'end' },
    { op: 'load', reg: 'n', addr: at('note') },
    { op: 'branch', left: r('n'), cmp: '!=', right: k(0), to: 'end' },
    { op: 'store', addr: at('note'), src: k(1) },
    ...buy,
    { op: 'store', addr: at('note'), src: k(0) },
    { label: 'end' },
  ];
  return milkProgram('milk-1', 'Too much milk, attempt 1 (one shared note)', [roommate, roommate]);
}

/** Attempt 2: each leaves a labelled note first, buys only if the other has none. Never too much; both may back off (nobody buys). */
function milk2(): Program {
  const roommate = (mine: string, theirs: string): AsmLine[] => [
    { op: 'store', addr: at(mine), src: k(1) },
    { op: 'load', reg: 'n', addr: at(theirs) },
    { op: 'branch', left: r('n'), cmp: '!=', right: k(0), to: 'skip' },
    { op: 'load', reg: 'm', addr: at('milk') },
    { op: 'branch', left: r('m'), cmp: '!=', right: k(0), to: 'skip' },
    ...buy,
    { label: 'skip' },
    { op: 'store', addr: at(mine), src: k(0) },
  ];
  return milkProgram('milk-2', 'Too much milk, attempt 2 (labelled notes)', [
    roommate('noteA', 'noteB'),
    roommate('noteB', 'noteA'),
  ]);
}

/** Attempt 3: A waits while B's note is up; B as in attempt 2. Always exactly one milk (but A spins, and it is not symmetric). */
function milk3(): Program {
  const a: AsmLine[] = [
    { op: 'store', addr: at('noteA'), src: k(1) },
    { label: 'wait' },
    { op: 'load', reg: 'n', addr: at('noteB') },
    { op: 'branch', left: r('n'), cmp: '!=', right: k(0), to: 'wait' },
    { op: 'load', reg: 'm', addr: at('milk') },
    { op: 'branch', left: r('m'), cmp: '!=', right: k(0), to: 'skip' },
    ...buy,
    { label: 'skip' },
    { op: 'store', addr: at('noteA'), src: k(0) },
  ];
  const b: AsmLine[] = [
    { op: 'store', addr: at('noteB'), src: k(1) },
    { op: 'load', reg: 'n', addr: at('noteA') },
    { op: 'branch', left: r('n'), cmp: '!=', right: k(0), to: 'skip' },
    { op: 'load', reg: 'm', addr: at('milk') },
    { op: 'branch', left: r('m'), cmp: '!=', right: k(0), to: 'skip' },
    ...buy,
    { label: 'skip' },
    { op: 'store', addr: at('noteB'), src: k(0) },
  ];
  return milkProgram('milk-3', 'Too much milk, attempt 3 (A waits for B)', [a, b]);
}

/** Bounded buffer (N slots) in a monitor: producers wait on notFull, consumers on notEmpty (Mesa: re-check in a loop). */
export const BUFFER_SLOTS = 2;

function monitorBuffer(params: ProgramParams): Program {
  checkParams(params);
  const pairs = Math.max(1, Math.floor(params.threads / 2));
  const wrap = (reg: string, label: string): AsmLine[] => [
    { op: 'add', reg, src: k(1) },
    { op: 'branch', left: r(reg), cmp: '<', right: k(BUFFER_SLOTS), to: label },
    { op: 'set', reg, src: k(0) },
    { label },
  ];
  const producer = asm([
    { op: 'set', reg: 'i', src: k(params.iterations) },
    { label: 'top' },
    { op: 'enter', obj: 'm' },
    { label: 'check' },
    { op: 'load', reg: 'c', addr: at('count') },
    { op: 'branch', left: r('c'), cmp: '<', right: k(BUFFER_SLOTS), to: 'put' },
    { op: 'cwait', obj: 'm', cond: 'notFull' },
    { op: 'jump', to: 'check' },
    { label: 'put' },
    { op: 'csEnter', region: 'buffer' },
    { op: 'load', reg: 'p', addr: at('in') },
    { op: 'store', addr: at('buf', 'p'), src: k(1) },
    ...wrap('p', 'wrapped'),
    { op: 'store', addr: at('in'), src: r('p') },
    { op: 'add', reg: 'c', src: k(1) },
    { op: 'store', addr: at('count'), src: r('c') },
    { op: 'csExit', region: 'buffer' },
    { op: 'csignal', obj: 'm', cond: 'notEmpty' },
    { op: 'exit', obj: 'm' },
    { op: 'add', reg: 'i', src: k(-1) },
    { op: 'branch', left: r('i'), cmp: '>', right: k(0), to: 'top' },
  ]);
  const consumer = asm([
    { op: 'set', reg: 'i', src: k(params.iterations) },
    { label: 'top' },
    { op: 'enter', obj: 'm' },
    { label: 'check' },
    { op: 'load', reg: 'c', addr: at('count') },
    { op: 'branch', left: r('c'), cmp: '>', right: k(0), to: 'take' },
    { op: 'cwait', obj: 'm', cond: 'notEmpty' },
    { op: 'jump', to: 'check' },
    { label: 'take' },
    { op: 'csEnter', region: 'buffer' },
    { op: 'load', reg: 'q', addr: at('out') },
    { op: 'load', reg: 'x', addr: at('buf', 'q') },
    // Emptied, so an item read twice shows as a 0 added to the sum.
    { op: 'store', addr: at('buf', 'q'), src: k(0) },
    ...wrap('q', 'wrapped'),
    { op: 'store', addr: at('out'), src: r('q') },
    { op: 'add', reg: 'c', src: k(-1) },
    { op: 'store', addr: at('count'), src: r('c') },
    { op: 'load', reg: 's', addr: at('consumed') },
    { op: 'add', reg: 's', src: r('x') },
    { op: 'store', addr: at('consumed'), src: r('s') },
    { op: 'csExit', region: 'buffer' },
    { op: 'csignal', obj: 'm', cond: 'notFull' },
    { op: 'exit', obj: 'm' },
    { op: 'add', reg: 'i', src: k(-1) },
    { op: 'branch', left: r('i'), cmp: '>', right: k(0), to: 'top' },
  ]);
  return {
    id: 'monitor-buffer',
    title: `Monitor: bounded buffer of ${BUFFER_SLOTS}, producers and consumers`,
    vars: { buf: { size: BUFFER_SLOTS }, count: {}, in: {}, out: {}, consumed: {} },
    monitors: { m: { conds: ['notFull', 'notEmpty'] } },
    regions: { buffer: 1 },
    counter: { v: 'consumed', expected: pairs * params.iterations },
    threads: [
      ...Array.from({ length: pairs }, (_, index) => ({ name: `P${index}`, code: producer })),
      ...Array.from({ length: pairs }, (_, index) => ({ name: `C${index}`, code: consumer })),
    ],
  };
}

export const PROGRAMS: readonly ProgramInfo[] = [
  {
    id: 'race',
    title: 'Race condition: counter++ without a lock',
    shows: '경쟁 상태: two threads load the same value, both store value+1, one update is lost',
    make: (params) => counterProgram('race', 'Race condition: counter++ without a lock', params, {}, [], []),
  },
  {
    id: 'mutex',
    title: 'Mutex: lock() / unlock()',
    shows: '뮤텍스: mutual exclusion holds; the wait is not bounded (a thread woken may find it taken again)',
    make: (params) =>
      counterProgram(
        'mutex',
        'Mutex: lock() / unlock()',
        params,
        { mutexes: ['m'] },
        [
          { op: 'want', region: 'counter' },
          { op: 'lock', obj: 'm' },
        ],
        [{ op: 'unlock', obj: 'm' }],
      ),
  },
  {
    id: 'binary-semaphore',
    title: 'Binary semaphore: wait / signal',
    shows: '바이너리 세마포어: a count of 0 or 1 guards the counter',
    make: (params) =>
      counterProgram(
        'binary-semaphore',
        'Binary semaphore: wait / signal',
        params,
        { semaphores: { s: { init: 1, max: 1 } } },
        [{ op: 'semWait', obj: 's' }],
        [{ op: 'semSignal', obj: 's' }],
      ),
  },
  {
    id: 'counting-semaphore',
    title: 'Counting semaphore: at most 2 inside, a binary one around the counter',
    shows: '카운팅 세마포어: two threads may be in the pool at once; the counter itself still needs its own lock',
    make: (params) =>
      counterProgram(
        'counting-semaphore',
        'Counting semaphore: at most 2 inside, a binary one around the counter',
        params,
        { semaphores: { pool: { init: 2, max: 2 }, s: { init: 1, max: 1 } }, regions: { pool: 2 } },
        [{ op: 'semWait', obj: 'pool' }, { op: 'csEnter', region: 'pool' }, { op: 'gap' }, { op: 'semWait', obj: 's' }],
        [
          { op: 'semSignal', obj: 's' },
          { op: 'csExit', region: 'pool' },
          { op: 'semSignal', obj: 'pool' },
        ],
      ),
  },
  {
    id: 'monitor-buffer',
    title: 'Monitor: bounded-buffer producer / consumer',
    shows: '모니터: mutual exclusion is automatic; condition variables make producers and consumers wait',
    make: monitorBuffer,
  },
  {
    id: 'peterson',
    title: "Peterson's algorithm",
    shows: 'mutual exclusion, progress and bounded waiting from loads and stores alone (two threads)',
    fixedThreads: 2,
    make: peterson,
  },
  {
    id: 'spin-lock',
    title: 'Spin lock (compare-and-swap): a thread can starve',
    shows: '한정 대기 fails: whenever the waiting thread tries, the other holds the lock again',
    make: (params) =>
      counterProgram(
        'spin-lock',
        'Spin lock (compare-and-swap): a thread can starve',
        params,
        { vars: { lock: {} } },
        [
          { op: 'want', region: 'counter' },
          { label: 'spin' },
          { op: 'cas', reg: 'o', addr: at('lock'), expect: k(0), desired: k(1) },
          { op: 'branch', left: r('o'), cmp: '!=', right: k(0), to: 'spin' },
        ],
        [{ op: 'store', addr: at('lock'), src: k(0) }],
      ),
  },
  {
    id: 'ticket-lock',
    title: 'Ticket lock (fetch-and-add): waiting is bounded',
    shows: '한정 대기 holds: once a thread has its ticket, every other enters at most once before it',
    make: (params) =>
      counterProgram(
        'ticket-lock',
        'Ticket lock (fetch-and-add): waiting is bounded',
        params,
        { vars: { next: {}, serving: {} } },
        [
          { op: 'fadd', reg: 't', addr: at('next'), src: k(1) },
          { op: 'want', region: 'counter' },
          { label: 'spin' },
          { op: 'load', reg: 's', addr: at('serving') },
          { op: 'branch', left: r('s'), cmp: '!=', right: r('t'), to: 'spin' },
        ],
        [{ op: 'fadd', addr: at('serving'), src: k(1) }],
      ),
  },
  {
    id: 'milk-1',
    title: 'Too much milk, attempt 1',
    shows: 'a note is not a lock: both check, both buy',
    fixedThreads: 2,
    make: milk1,
  },
  {
    id: 'milk-2',
    title: 'Too much milk, attempt 2',
    shows: 'never too much, but both can back off and nobody buys (융통성 fails)',
    fixedThreads: 2,
    make: milk2,
  },
  {
    id: 'milk-3',
    title: 'Too much milk, attempt 3',
    shows: 'always exactly one milk; A busy-waits',
    fixedThreads: 2,
    make: milk3,
  },
];

export function programInfo(id: string): ProgramInfo {
  const info = PROGRAMS.find((candidate) => candidate.id === id);
  if (!info) throw new RangeError(`no program "${id}" (have ${PROGRAMS.map((p) => p.id).join(', ')})`);
  return info;
}

export function makeProgram(id: string, params: ProgramParams): Program {
  return programInfo(id).make(params);
}
