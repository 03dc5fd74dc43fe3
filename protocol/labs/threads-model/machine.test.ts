import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finalCounters, findDeadlock, findExclusionViolation, mostLostUpdates, mostOvertaken } from './explore.ts';
import { initialState, randomRun, replay, step, ThreadsModel, type MachineState } from './machine.ts';
import { asm, checkProgram, ProgramError, type Program } from './program.ts';
import { makeProgram, PROGRAMS } from './programs.ts';

const small = { threads: 2, iterations: 2, gapAt: 'none' } as const;

describe('threads model: golden cases', () => {
  it('the race: some schedule loses updates (the smallest: both load 0), and the counter can end anywhere from 2 to 4', () => {
    const race = makeProgram('race', small);
    const lost = mostLostUpdates(race);
    expect(lost.complete).toBe(true);
    expect(lost.best).toBe(2);
    expect(replay(race, lost.schedule).state.mem[0]).toBe(2);
    expect(finalCounters(race).values).toEqual([2, 3, 4]);
    // Two threads in the read-modify-write at once, found in 4 steps: set, set, csEnter, csEnter.
    const both = findExclusionViolation(race, 'counter');
    expect(both.best).toBe(1);
    expect(both.schedule).toHaveLength(4);
  });

  it.each([
    'mutex',
    'binary-semaphore',
    'counting-semaphore',
    'monitor-buffer',
    'peterson',
    'spin-lock',
    'ticket-lock',
  ])('%s: exhaustively, never two in the critical section, never a lost update, never a deadlock', (id) => {
    const program = makeProgram(id, { ...small, iterations: id === 'peterson' ? 1 : 2 });
    for (const [region, limit] of Object.entries(program.regions!)) {
      const violation = findExclusionViolation(program, region, limit);
      expect(violation.complete).toBe(true);
      expect(violation.best).toBe(0);
    }
    const lost = mostLostUpdates(program);
    expect(lost.complete).toBe(true);
    expect(lost.best).toBe(0);
    expect(findDeadlock(program).best).toBe(0);
    expect(finalCounters(program).values).toEqual([program.counter!.expected]);
  });

  it("Peterson's algorithm holds exhaustively for two rounds each, with waiting bounded by one entry", () => {
    const program = makeProgram('peterson', small);
    const violation = findExclusionViolation(program, 'counter');
    expect(violation.complete).toBe(true);
    expect(violation.best).toBe(0);
    expect(violation.states).toBeGreaterThan(20_000);
    expect(mostOvertaken(program).best).toBe(1);
  });

  it('too much milk, attempt 1 fails on the known schedule: both check milk and note before either leaves the note', () => {
    const program = makeProgram('milk-1', small);
    const A = 0;
    const B = 1;
    // A: load milk, milk == 0, load note, note == 0; then B the same; then each leaves a note and buys.
    const schedule = [A, A, A, A, B, B, B, B, A, A, A, A, A, B, B, B, B, B];
    const { state, events } = replay(program, schedule);
    expect(state.mem[0]).toBe(2);
    expect(state.threads.every((thread) => thread.status === 'done')).toBe(true);
    expect(events.filter((event) => event.kind === 'fadd').map((event) => event.thread)).toEqual([A, B]);
    expect(finalCounters(program).values).toEqual([1, 2]);
  });

  it('too much milk, attempt 2 never buys twice but can leave no milk; attempt 3 always buys exactly one', () => {
    expect(finalCounters(makeProgram('milk-2', small))).toMatchObject({ values: [0, 1], complete: true });
    expect(findExclusionViolation(makeProgram('milk-2', small), 'buy').best).toBe(0);
    expect(finalCounters(makeProgram('milk-3', small))).toMatchObject({ values: [1], complete: true });
  });

  it('bounded waiting: a waiting thread is overtaken by every round of the spin lock (and the mutex), at most once by the ticket lock', () => {
    for (const iterations of [2, 3]) {
      const params = { ...small, iterations };
      expect(mostOvertaken(makeProgram('spin-lock', params)).best).toBe(iterations);
      expect(mostOvertaken(makeProgram('mutex', params)).best).toBe(iterations);
      expect(mostOvertaken(makeProgram('ticket-lock', params)).best).toBe(1);
    }
  });
});

describe('threads model: stepping', () => {
  it('you are the scheduler: steps forward by choice, refuses a blocked thread, and steps back exactly', () => {
    const program = makeProgram('mutex', { threads: 2, iterations: 1, gapAt: 'none' });
    const model = new ThreadsModel(program);
    // T0: set i, want, lock m (acquired).
    for (let i = 0; i < 3; i++) expect(model.step(0)).toBe(true);
    expect(model.state.mutexes.m).toEqual({ owner: 0, waiters: [] });
    // T1: set i, want, lock m: blocks.
    for (let i = 0; i < 3; i++) expect(model.step(1)).toBe(true);
    expect(model.events.at(-1)).toMatchObject({ kind: 'block', thread: 1, obj: 'm' });
    expect(model.runnable).toEqual([0]);
    expect(model.step(1)).toBe(false);
    const beforeUnlock = model.state;
    // T0 runs to its unlock, which wakes T1.
    while (model.events.at(-1)!.kind !== 'release') model.step(0);
    expect(model.events.at(-1)).toMatchObject({ kind: 'release', thread: 0, woke: 1 });
    expect(model.state.threads[1]!.status).toBe('ready');
    while (model.state !== beforeUnlock) expect(model.back()).toBe(true);
    expect(model.runnable).toEqual([0]);
    while (model.back());
    expect(model.state).toEqual(initialState(program));
    expect(model.events).toEqual([]);
  });

  it('a seed gives the same schedule on every run, and back then forward repeats it', () => {
    const program = makeProgram('monitor-buffer', { threads: 4, iterations: 3 });
    const first = randomRun(program, 42);
    expect(first.outcome.finished).toBe(true);
    expect(randomRun(program, 42)).toEqual(first);
    const model = new ThreadsModel(program, 42);
    for (let i = 0; i < 30; i++) model.step();
    for (let i = 0; i < 10; i++) model.back();
    model.run();
    expect(model.schedule).toEqual(first.schedule);
    expect(model.events).toEqual(first.events);
  });

  it("refuses a program's own mistakes with a clear error", () => {
    const unlockFree: Program = {
      id: 'bad',
      title: 'bad',
      vars: {},
      mutexes: ['m'],
      threads: [{ name: 'T0', code: [{ op: 'unlock', obj: 'm' }] }],
    };
    expect(() => step(unlockFree, initialState(unlockFree), 0)).toThrow(/unlocks m it does not hold/);
    expect(() => checkProgram({ ...unlockFree, mutexes: [] })).toThrow(ProgramError);
    expect(() => asm([{ op: 'jump', to: 'nowhere' }])).toThrow(/no label nowhere/);
    expect(() => makeProgram('race', { threads: 0, iterations: 1 })).toThrow(RangeError);
    expect(() => makeProgram('nope', small)).toThrow(/no program "nope"/);
  });
});

describe('threads model: properties over random schedules', () => {
  const withLimits = (state: MachineState, program: Program) =>
    Object.entries(program.regions ?? {}).every(([region, limit]) => state.inside[region]!.length <= limit);

  it("a semaphore's count stays in [0, max] and no region ever holds more than its limit, for every program and seed", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...PROGRAMS.filter((info) => info.id !== 'race' && info.id !== 'milk-1').map((info) => info.id),
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (id, threads, iterations, seed) => {
          const program = makeProgram(id, { threads, iterations });
          const model = new ThreadsModel(program, seed);
          while (model.step()) {
            expect(withLimits(model.state, program)).toBe(true);
            for (const [name, sem] of Object.entries(model.state.semaphores)) {
              expect(sem.count).toBeGreaterThanOrEqual(0);
              expect(sem.count).toBeLessThanOrEqual(program.semaphores![name]!.max);
            }
          }
          // Attempt 2 of "too much milk" may end with none bought (융통성 fails): never with too much.
          expect(model.outcome()).toMatchObject({ finished: true });
          const { lostUpdates } = model.outcome();
          if (id === 'milk-2') expect([0, 1]).toContain(lostUpdates);
          else expect(lostUpdates).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
