/**
 * A pure model of the shared-memory ring (shared-ring.ts, native/ipc_native.cc): one writer and one
 * reader thread, each step one of them doing one indivisible thing (write one word, read one word,
 * publish, free a slot). Seeded, steppable forward and back, no I/O. With the handshake the writer
 * waits while the ring is full and the reader while it is empty; without it the writer never waits,
 * and some schedules tear a message (a read sees words of two different messages) or lose one.
 *
 * A message is `wordsPerMessage` words all holding its number, so a read is torn exactly when its
 * words differ, as the real runner's header and trailer seq do.
 */
export interface RingModelConfig {
  readonly slotCount: number;
  readonly wordsPerMessage: number;
  readonly messages: number;
  readonly handshake: boolean;
}

export type Thread = 'writer' | 'reader';

export interface RingRead {
  readonly index: number;
  readonly words: readonly number[];
  readonly torn: boolean;
}

export interface RingState {
  /** slots[slot][word]: the message number written there (-1: never written). */
  readonly slots: readonly (readonly number[])[];
  readonly published: number;
  readonly consumed: number;
  /** The writer's next message and the next word of it (== wordsPerMessage: publish next). */
  readonly writer: { readonly message: number; readonly word: number };
  /** The reader's next read, the words copied so far (all copied: free the slot next). */
  readonly reader: { readonly index: number; readonly copied: readonly number[] };
  readonly reads: readonly RingRead[];
}

export interface RingOutcome {
  readonly reads: number;
  readonly torn: number;
  readonly duplicates: number;
  /** Messages never read whole. */
  readonly lost: number;
}

export function initialState(config: RingModelConfig): RingState {
  checkConfig(config);
  return {
    slots: Array.from({ length: config.slotCount }, () => Array<number>(config.wordsPerMessage).fill(-1)),
    published: 0,
    consumed: 0,
    writer: { message: 0, word: 0 },
    reader: { index: 0, copied: [] },
    reads: [],
  };
}

function checkConfig(config: RingModelConfig): void {
  for (const [name, value] of Object.entries(config)) {
    if (name !== 'handshake' && (!Number.isInteger(value) || (value as number) < 1)) {
      throw new RangeError(`${name} must be a whole number from 1 (got ${String(value)})`);
    }
  }
}

/** Whether `thread` can take a step: not finished, and (with the handshake) not waiting. */
export function canStep(config: RingModelConfig, state: RingState, thread: Thread): boolean {
  if (thread === 'writer') {
    const { message, word } = state.writer;
    if (message >= config.messages) return false;
    const full = message - state.consumed >= config.slotCount;
    return !(config.handshake && word === 0 && full);
  }
  const { index, copied } = state.reader;
  if (index >= config.messages) return false;
  // Even without the handshake the reader waits for the writer's count to move (as the runner does).
  return copied.length > 0 || state.published !== index;
}

/** One indivisible step of `thread` (which must be able to step). */
export function step(config: RingModelConfig, state: RingState, thread: Thread): RingState {
  if (!canStep(config, state, thread)) throw new Error(`the ${thread} cannot step now`);
  if (thread === 'writer') {
    const { message, word } = state.writer;
    if (word < config.wordsPerMessage) {
      const slot = message % config.slotCount;
      const slots = state.slots.map((words, i) =>
        i === slot ? words.map((w, j) => (j === word ? message : w)) : words,
      );
      return { ...state, slots, writer: { message, word: word + 1 } };
    }
    return { ...state, published: message + 1, writer: { message: message + 1, word: 0 } };
  }
  const { index, copied } = state.reader;
  if (copied.length < config.wordsPerMessage) {
    const word = state.slots[index % config.slotCount]![copied.length]!;
    return { ...state, reader: { index, copied: [...copied, word] } };
  }
  const read: RingRead = { index, words: copied, torn: copied.some((word) => word !== copied[0]) };
  return { ...state, consumed: index + 1, reader: { index: index + 1, copied: [] }, reads: [...state.reads, read] };
}

export function runnable(config: RingModelConfig, state: RingState): Thread[] {
  return (['writer', 'reader'] as const).filter((thread) => canStep(config, state, thread));
}

export function outcome(config: RingModelConfig, state: RingState): RingOutcome {
  const seen = new Set<number>();
  let torn = 0;
  let duplicates = 0;
  for (const read of state.reads) {
    if (read.torn) torn++;
    else if (seen.has(read.words[0]!)) duplicates++;
    else seen.add(read.words[0]!);
  }
  return { reads: state.reads.length, torn, duplicates, lost: config.messages - seen.size };
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
 * The model you step through: forward by a seeded scheduler or by naming the thread, back by one
 * step at a time. Every state is kept, so back is exact.
 */
export class RingModel {
  private readonly states: RingState[];
  private readonly threads: Thread[] = [];

  constructor(
    readonly config: RingModelConfig,
    readonly seed = 1,
  ) {
    this.states = [initialState(config)];
  }

  get state(): RingState {
    return this.states.at(-1)!;
  }

  /** The threads that ran, in order: a schedule to replay. */
  get schedule(): readonly Thread[] {
    return this.threads;
  }

  get finished(): boolean {
    return runnable(this.config, this.state).length === 0;
  }

  /** One step of `thread`, or of the seeded scheduler's pick; false when that thread (or none) can step. */
  step(thread?: Thread): boolean {
    const choices = runnable(this.config, this.state);
    if (choices.length === 0 || (thread && !choices.includes(thread))) return false;
    // The draw depends on the seed and the step's number only, so back then forward repeats it.
    const draw = seededRandom(Math.imul(this.seed, 0x9e3779b1) ^ this.threads.length)();
    const chosen = thread ?? choices[Math.floor(draw * choices.length)]!;
    this.states.push(step(this.config, this.state, chosen));
    this.threads.push(chosen);
    return true;
  }

  /** Undoes the last step; false at the start. */
  back(): boolean {
    if (this.states.length === 1) return false;
    this.states.pop();
    this.threads.pop();
    return true;
  }

  run(maxSteps = 1_000_000): RingOutcome {
    for (let i = 0; i < maxSteps && this.step(); i++);
    return outcome(this.config, this.state);
  }

  outcome(): RingOutcome {
    return outcome(this.config, this.state);
  }
}

/** Replays a schedule from the start; throws where a step is not possible. */
export function replay(config: RingModelConfig, schedule: readonly Thread[]): RingState {
  return schedule.reduce((state, thread) => step(config, state, thread), initialState(config));
}

/**
 * Every reachable end state, by depth-first search over distinct states: the largest number of torn
 * reads any schedule gives, and one schedule that gives it.
 */
export function exploreAll(config: RingModelConfig): { states: number; maxTorn: number; worstSchedule: Thread[] } {
  const visited = new Set<string>();
  let maxTorn = 0;
  let worstSchedule: Thread[] = [];
  const stack: { state: RingState; schedule: Thread[] }[] = [{ state: initialState(config), schedule: [] }];
  while (stack.length) {
    const { state, schedule } = stack.pop()!;
    const key = JSON.stringify([state.slots, state.published, state.consumed, state.writer, state.reader, state.reads]);
    if (visited.has(key)) continue;
    visited.add(key);
    const torn = outcome(config, state).torn;
    if (torn > maxTorn) {
      maxTorn = torn;
      worstSchedule = schedule;
    }
    for (const thread of runnable(config, state))
      stack.push({ state: step(config, state, thread), schedule: [...schedule, thread] });
  }
  return { states: visited.size, maxTorn, worstSchedule };
}
