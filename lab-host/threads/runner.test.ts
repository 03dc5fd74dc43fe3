/**
 * Real worker threads over one SharedArrayBuffer (no mock): the race loses updates, every primitive
 * loses none, and a schedule from the model replays on the real threads event for event. Nothing
 * here depends on timing: lost updates come from a real preemption window (a busy `gap` between the
 * load and the store), summed over several runs; the primitives' checks are exact.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { findExclusionViolation, mostLostUpdates } from '../../protocol/labs/threads-model/explore.ts';
import { randomRun, replay } from '../../protocol/labs/threads-model/machine.ts';
import { makeProgram, PROGRAMS } from '../../protocol/labs/threads-model/programs.ts';
import { BLOCKS, randomProgram } from '../../protocol/labs/threads-model/random-program.ts';
import { ThreadPool } from './runner.ts';

const pool = new ThreadPool();
afterAll(() => pool.close());

describe('threads on real workers: free runs', () => {
  it('without a lock, counter++ loses updates (summed over 4 seeded runs of 4 threads x 5,000)', async () => {
    const program = makeProgram('race', { threads: 4, iterations: 5000, gapAt: 'load-store' });
    let lost = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const run = await pool.runFree(program, { gapSpins: 200, seed, iterations: 5000 });
      expect(run.error).toBeUndefined();
      expect(run.final).toBeGreaterThan(0);
      expect(run.final).toBeLessThanOrEqual(run.expected);
      lost += run.lostUpdates;
    }
    expect(lost).toBeGreaterThan(0);
  }, 120_000);

  it.each(['mutex', 'binary-semaphore', 'counting-semaphore', 'monitor-buffer'])(
    '%s: the count is exact (no lost update), never more inside than the limit, and every block is followed by one wake',
    async (id) => {
      const program = makeProgram(id, { threads: 4, iterations: 2000, gapAt: 'load-store' });
      const run = await pool.runFree(program, { gapSpins: 200, seed: 7, iterations: 2000 });
      expect(run.error).toBeUndefined();
      expect(run.lostUpdates).toBe(0);
      expect(run.final).toBe(program.counter!.expected);
      for (const region of run.regions) {
        expect(region.maxInside).toBeGreaterThanOrEqual(1);
        expect(region.maxInside).toBeLessThanOrEqual(region.limit);
      }
      // A parked thread is woken exactly once by another: the history graph's lines are whole.
      const blocks = run.perThread.reduce((sum, thread) => sum + thread.blocks, 0);
      const wakes = run.perThread.reduce((sum, thread) => sum + thread.wakes, 0);
      expect(wakes).toBe(blocks);
      for (const event of run.events.filter((e) => e.woke !== undefined)) {
        expect(event.woke).not.toBe(event.thread);
        expect(['release', 'signal', 'wait']).toContain(event.kind);
      }
    },
    120_000,
  );

  it.each(['peterson', 'spin-lock', 'ticket-lock'])(
    '%s on two threads: exact count, one inside at a time',
    async (id) => {
      const program = makeProgram(id, { threads: 2, iterations: 300, gapAt: 'load-store' });
      const run = await pool.runFree(program, { gapSpins: 50, iterations: 300 });
      expect(run.error).toBeUndefined();
      expect(run.final).toBe(600);
      expect(run.regions[0]!.maxInside).toBe(1);
    },
    120_000,
  );

  it('a program that deadlocks is stopped at its deadline with an error, and the pool goes on', async () => {
    const program = {
      id: 'deadlock',
      title: 'waits on a semaphore nobody signals',
      vars: {},
      semaphores: { s: { init: 0, max: 1 } },
      threads: [{ name: 'T0', code: [{ op: 'semWait', obj: 's' } as const] }],
    };
    const run = await pool.runFree(program, { timeoutMs: 1500 });
    expect(run.error).toMatch(/timed out/);
    const after = await pool.runFree(makeProgram('mutex', { threads: 2, iterations: 10 }));
    expect(after.final).toBe(20);
  });

  it("a program's own mistake on one thread ends the run at once with that thread's error", async () => {
    const program = {
      id: 'bad-unlock',
      title: 'T1 unlocks a mutex T0 holds',
      vars: {},
      mutexes: ['m'],
      threads: [
        { name: 'T0', code: [{ op: 'lock', obj: 'm' } as const, { op: 'lock', obj: 'm' } as const] },
        { name: 'T1', code: [{ op: 'gap' } as const, { op: 'unlock', obj: 'm' } as const] },
      ],
    };
    const run = await pool.runFree(program, { gapSpins: 1_000_000, timeoutMs: 60_000 });
    // Its own error, not "timed out": it did not wait out the deadline for the thread left parked.
    expect(run.error).toMatch(/^T[01]@1: (unlocks m it does not hold|locks m it already holds)$/);
  }, 90_000);

  it('a run stopped by its signal ends at once with "aborted", its threads ended, and the pool goes on', async () => {
    const endless = makeProgram('race', { threads: 2, iterations: 10_000_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const run = await pool.runFree(endless, { gapSpins: 1000, signal: controller.signal });
    expect(run.error).toBe('aborted');
    expect(run.final).toBeLessThan(run.expected);
    const after = await pool.runFree(makeProgram('binary-semaphore', { threads: 2, iterations: 10 }));
    expect(after.final).toBe(20);
  });
});

describe('threads on real workers: replaying model schedules', () => {
  it("the race's worst schedule (found exhaustively) loses the same updates on real threads", async () => {
    const program = makeProgram('race', { threads: 2, iterations: 2, gapAt: 'load-store' });
    const worst = mostLostUpdates(program);
    expect(worst.best).toBe(2);
    const real = await pool.replay(program, worst.schedule);
    expect(real.error).toBeUndefined();
    expect(real.counter).toBe(2);
    expect(real.events).toEqual(replay(program, worst.schedule).events);
    // And the schedule putting both threads in the critical section does so on real threads.
    const both = findExclusionViolation(program, 'counter');
    const realBoth = await pool.replay(program, both.schedule);
    expect(realBoth.events.filter((e) => e.kind === 'cs-enter').map((e) => e.value)).toEqual([1, 2]);
  });

  it('too much milk, attempt 1: the known schedule buys two on real threads', async () => {
    const program = makeProgram('milk-1', { threads: 2, iterations: 1 });
    const schedule = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const real = await pool.replay(program, schedule);
    expect(real.counter).toBe(2);
    expect(real.events).toEqual(replay(program, schedule).events);
  });

  it('a schedule naming a thread that is blocked on the real threads is refused, not followed', async () => {
    const program = makeProgram('mutex', { threads: 2, iterations: 1 });
    // T0: set, want, lock (holds it); T1: set, want, lock (blocks); then T1 again.
    const real = await pool.replay(program, [0, 0, 0, 1, 1, 1, 1]);
    expect(real.error).toMatch(/step 6: thread 1 cannot step on the real threads/);
    expect(real.events).toHaveLength(6);
  });

  it('every catalogue program: a seeded model schedule replays event for event, with the same memory', async () => {
    for (const info of PROGRAMS) {
      const program = info.make({ threads: 3, iterations: 2 });
      const model = randomRun(program, 11);
      const real = await pool.replay(program, model.schedule);
      expect(real.error, info.id).toBeUndefined();
      expect(real.events, info.id).toEqual(model.events);
      expect(real.mem, info.id).toEqual(model.state.mem);
    }
  }, 60_000);

  it('property: random programs and schedules, the model and the real replay agree event for event; a semaphore stays in [0, max], a mutex holds one', async () => {
    const blocks = fc.array(fc.constantFrom(...BLOCKS), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.array(blocks, { minLength: 2, maxLength: 3 }), fc.integer(), async (threads, seed) => {
        const program = randomProgram(threads);
        const model = randomRun(program, seed);
        expect(model.outcome.finished).toBe(true);
        const real = await pool.replay(program, model.schedule);
        expect(real.error).toBeUndefined();
        expect(real.events).toEqual(model.events);
        expect(real.mem).toEqual(model.state.mem);
        for (const event of real.events) {
          if (event.obj === 's' && event.value !== undefined) expect(event.value).toBeGreaterThanOrEqual(0);
          if (event.obj === 's' && event.value !== undefined) expect(event.value).toBeLessThanOrEqual(1);
          if (
            event.obj === 'pool' &&
            event.kind !== 'cs-enter' &&
            event.kind !== 'cs-exit' &&
            event.value !== undefined
          )
            expect(event.value).toBeLessThanOrEqual(2);
          if (event.kind === 'cs-enter' && event.obj === 'mutex') expect(event.value).toBe(1);
        }
        // The same program free on real threads: the mutex's region never holds two.
        const free = await pool.runFree(program);
        expect(free.error).toBeUndefined();
        expect(free.regions.find((region) => region.region === 'mutex')!.maxInside).toBeLessThanOrEqual(1);
        expect(free.regions.find((region) => region.region === 'pool')!.maxInside).toBeLessThanOrEqual(2);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
