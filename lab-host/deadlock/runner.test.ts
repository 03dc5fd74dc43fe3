// Real worker threads taking real locks: over N seeded runs, deadlocks above zero with no prevention,
// zero under each prevention switch and under the banker's gate; each real deadlock is a deadlocked
// state of the model; recovery ends or rolls back a victim chosen by the stated policy.
import { afterAll, describe, expect, it } from 'vitest';
import { exploreAll, tableKey } from './model/lock-program-model.ts';
import type { Scene, Strategy } from './model/programs.ts';
import { canonicalCycle } from './model/wait-for-graph.ts';
import { chooseVictim, LockWorkerPool, runScene, type SceneBatch } from './runner.ts';

const pool = new LockWorkerPool();
afterAll(() => pool.close());

const RUNS = 6;
const ROUNDS = 2;
/** Which of the four conditions held in at least one live snapshot of the real table. */
let conditionsSeen = new Set<string>();
const batch = (scene: Scene, strategy: Strategy, philosophers = 5, runs = RUNS) => {
  conditionsSeen = new Set();
  return runScene(
    {
      scene,
      strategy,
      philosophers,
      runs,
      seed: 18,
      rounds: ROUNDS,
      onSnapshot: (_run, _snapshot, detection) => {
        for (const [name, condition] of Object.entries(detection.conditions))
          if (condition.holds) conditionsSeen.add(name);
      },
    },
    pool,
  );
};

/** The condition each switch breaks, as the detector names it. */
const BROKEN = {
  'lock-order': 'circularWait',
  'all-or-none': 'holdAndWait',
  preemption: 'noPreemption',
  shareable: 'mutualExclusion',
} as const;

const summary = (result: SceneBatch) =>
  `${result.scene}${result.philosophers ? ` x${result.philosophers}` : ''} ${result.strategy}: ${result.deadlocks}/${result.runs.length} deadlocked, outcomes ${result.runs.map((run) => run.outcome).join(',')}, restarts ${result.runs.map((run) => run.restarts).join(',')}`;

function expectNoDeadlock(result: SceneBatch, threads: number): void {
  console.log(summary(result));
  expect(result.applicable).toBe(true);
  expect(result.runs).toHaveLength(RUNS);
  expect(result.deadlocks).toBe(0);
  for (const run of result.runs) {
    expect(run.errors).toEqual([]);
    expect(run.outcome).toBe('finished');
    expect(run.work).toEqual(Array(threads).fill(ROUNDS));
  }
}

describe.each([
  { scene: 'philosophers', philosophers: 5, threads: 5 },
  { scene: 'philosophers', philosophers: 3, threads: 3 },
  { scene: 'transfer', philosophers: 5, threads: 2 },
  { scene: 'audit', philosophers: 5, threads: 2 },
] as const)('$scene ($threads threads)', ({ scene, philosophers, threads }) => {
  it('without prevention: deadlocks in more than zero runs, each one a deadlocked state of the model', async () => {
    const result = await batch(scene, 'none', philosophers);
    console.log(summary(result));
    expect(result.deadlocks).toBeGreaterThan(0);
    expect([...conditionsSeen].sort()).toEqual(['circularWait', 'holdAndWait', 'mutualExclusion', 'noPreemption']);
    const model = exploreAll({ scene, philosophers, strategy: 'none', rounds: 1 });
    const modelKeys = new Set(model.deadlocks.map(tableKey));
    for (const run of result.runs.filter((r) => r.deadlock)) {
      expect(run.outcome).toBe('deadlocked');
      const { snapshot, detection } = run.deadlock!;
      // Built from the real table; the same table the model reaches, and the same cycle.
      expect(modelKeys.has(tableKey(snapshot))).toBe(true);
      expect(detection.conditions.circularWait.cycles.map(canonicalCycle)).toEqual(
        model.deadlocks[0] ? [canonicalCycle(Array.from({ length: threads }, (_, t) => t))] : [],
      );
      for (const condition of Object.values(detection.conditions)) expect(condition.holds).toBe(true);
      expect(run.work.every((work) => work < ROUNDS)).toBe(true);
    }
  }, 240_000);

  it.each(['lock-order', 'all-or-none', 'preemption', 'banker'] as const)(
    'with %s: no run deadlocks, every thread does all its work; the broken condition never held in a live snapshot',
    async (strategy) => {
      expectNoDeadlock(await batch(scene, strategy, philosophers), threads);
      if (strategy !== 'banker') expect(conditionsSeen.has(BROKEN[strategy])).toBe(false);
      // Under preemption a cycle may close for a moment: it is broken by taking a lock away.
      if (strategy !== 'preemption') expect(conditionsSeen.has('circularWait')).toBe(false);
    },
    240_000,
  );

  it('with a shareable resource: no deadlock where the scene only reads, else not applicable', async () => {
    const result = await batch(scene, 'shareable', philosophers);
    if (scene === 'audit') {
      expectNoDeadlock(result, threads);
      expect(conditionsSeen.has('mutualExclusion')).toBe(false);
    } else
      expect(result).toMatchObject({
        applicable: false,
        runs: [],
        reason: expect.stringContaining('cannot be shared'),
      });
  }, 240_000);
});

describe('recovery (탐지·복구)', () => {
  it('terminate: the detector finds the cycle, the policy picks the victim, its thread ends, the rest finish', async () => {
    pool.take(5);
    const before = pool.threadIds;
    const result = await runScene(
      {
        scene: 'philosophers',
        philosophers: 5,
        strategy: 'none',
        runs: 3,
        seed: 18,
        rounds: ROUNDS,
        recovery: { policy: 'fewest-held', action: 'terminate' },
      },
      pool,
    );
    expect(result.deadlocks).toBeGreaterThan(0);
    for (const run of result.runs.filter((r) => r.deadlock)) {
      expect(run.outcome).toBe('recovered');
      const [first] = run.recoveries;
      // Every philosopher holds one fork: the youngest on the cycle is the victim.
      expect(first!.victim).toBe(chooseVictim('fewest-held', first!.cycle, () => 1));
      expect(first!.victim).toBe(4);
      expect(first!.released).toEqual([4]);
      expect(first!.workLost).toBe(ROUNDS - run.work[4]!);
      run.work.forEach((work, t) => {
        if (t !== first!.victim) expect(work).toBe(ROUNDS);
      });
    }
    // The victim's thread was really ended and replaced by a new one; the others kept theirs.
    const after = pool.threadIds;
    expect(after[4]).not.toBe(before[4]);
    expect(after.slice(0, 4)).toEqual(before.slice(0, 4));
  }, 240_000);

  it('rollback: the victim gives its locks back and starts over; everyone finishes', async () => {
    const result = await runScene(
      {
        scene: 'transfer',
        strategy: 'none',
        runs: 3,
        seed: 18,
        rounds: ROUNDS,
        recovery: { policy: 'youngest', action: 'rollback' },
      },
      pool,
    );
    expect(result.deadlocks).toBeGreaterThan(0);
    for (const run of result.runs.filter((r) => r.deadlock)) {
      expect(run.outcome).toBe('recovered');
      expect(run.recoveries[0]).toMatchObject({ victim: 1, roundsRedone: 1, workLost: 0 });
      expect(run.restarts).toBeGreaterThanOrEqual(run.recoveries.length);
      expect(run.work).toEqual([ROUNDS, ROUNDS]);
    }
  }, 240_000);

  it('the policies as stated', () => {
    expect(chooseVictim('youngest', [0, 3, 2], () => 0)).toBe(3);
    expect(chooseVictim('fewest-held', [0, 3, 2], (t) => (t === 0 ? 1 : 2))).toBe(0);
    expect(chooseVictim('fewest-held', [0, 3, 2], () => 1)).toBe(3);
  });
});
