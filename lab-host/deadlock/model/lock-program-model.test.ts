// The programs stepped exhaustively: without prevention some schedule deadlocks (and the detector
// sees the cycle and all four conditions); under each switch and under the banker, none does.
import { describe, expect, it } from 'vitest';
import { detectDeadlock } from './wait-for-graph.ts';
import { exploreAll, LockModel } from './lock-program-model.ts';
import { applicable, PREVENTION, type Scene, type Strategy } from './programs.ts';

const SCENES: { scene: Scene; philosophers?: number }[] = [
  { scene: 'philosophers', philosophers: 3 },
  { scene: 'philosophers', philosophers: 5 },
  { scene: 'transfer' },
  { scene: 'audit' },
];

describe.each(SCENES)('$scene $philosophers', ({ scene, philosophers }) => {
  it('without prevention some schedule deadlocks, with all four conditions and a cycle through every thread', () => {
    const { deadlocks, scheduleToDeadlock } = exploreAll({ scene, philosophers, strategy: 'none', rounds: 1 });
    expect(deadlocks).toHaveLength(1);
    const detection = detectDeadlock(deadlocks[0]!);
    expect(detection.deadlocked).toBe(true);
    expect(detection.threads).toHaveLength(philosophers ?? 2);
    for (const condition of Object.values(detection.conditions)) expect(condition.holds).toBe(true);
    expect(scheduleToDeadlock.length).toBeGreaterThan(0);
  });

  it.each(['lock-order', 'all-or-none', 'preemption', 'shareable', 'banker'] as Strategy[])(
    'with %s: no schedule deadlocks (two rounds each; one at a table of five, to stay small)',
    (strategy) => {
      if (!applicable(scene, strategy).ok) return; // reported as not applicable; checked below
      const { deadlocks, states } = exploreAll({ scene, philosophers, strategy, rounds: philosophers === 5 ? 1 : 2 });
      expect(states).toBeGreaterThan(10);
      expect(deadlocks).toEqual([]);
    },
  );
});

describe('the switches', () => {
  it('each breaks a different condition; sharing applies only where the scene only reads', () => {
    expect(new Set(Object.values(PREVENTION).map((p) => p.breaks)).size).toBe(4);
    expect(applicable('audit', 'shareable').ok).toBe(true);
    expect(applicable('transfer', 'shareable')).toMatchObject({ ok: false });
    expect(applicable('philosophers', 'shareable')).toMatchObject({ ok: false });
  });

  it('under the switch, the condition it breaks never holds in any reachable state of the seeded model', () => {
    const broken = { 'lock-order': 'circularWait', 'all-or-none': 'holdAndWait', preemption: 'noPreemption' } as const;
    for (const [strategy, condition] of Object.entries(broken)) {
      for (let seed = 1; seed <= 20; seed++) {
        const model = new LockModel(
          { scene: 'philosophers', philosophers: 4, strategy: strategy as Strategy, rounds: 2 },
          seed,
        );
        do expect(detectDeadlock(model.snapshot()).conditions[condition].holds).toBe(false);
        while (model.step());
        expect(model.finished).toBe(true);
      }
    }
  });
});

describe('LockModel', () => {
  it('a seeded run is repeatable, and back undoes a step exactly', () => {
    const config = { scene: 'philosophers', philosophers: 5, strategy: 'none', rounds: 3 } as const;
    const runs = [1, 1, 2].map((seed) => {
      const model = new LockModel(config, seed);
      return [model.run(), model.schedule.length].join();
    });
    expect(runs[0]).toBe(runs[1]);
    const model = new LockModel(config, 7);
    for (let i = 0; i < 5; i++) model.step();
    const before = model.state;
    model.step();
    model.back();
    expect(model.state).toEqual(before);
  });

  it('counts restarts under trylock with backoff', () => {
    let restarts = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const model = new LockModel({ scene: 'philosophers', philosophers: 5, strategy: 'all-or-none', rounds: 2 }, seed);
      expect(model.run()).toBe('finished');
      restarts += model.restarts;
    }
    expect(restarts).toBeGreaterThan(0);
  });
});
