/**
 * The threads page's view model: the model run in the page (requirements proved or broken, the
 * scheduler forward and back, a search that finds or proves), and what real runs sent back (a
 * recorded lab host answer: testing/recorded-runs.json) turned into totals, rows and a history graph.
 */
import { describe, expect, it } from 'vitest';
import { ReplayResult, ThreadsRunResult, type ProcessVsThread } from '../../../../protocol/labs/threads-result.ts';
import { compileChecker } from '../../../../protocol/rpc/schema.ts';
import {
  checkRequirements,
  historyGraph,
  memoryRatio,
  memoryRows,
  mostInside,
  raceRows,
  raceTotals,
  replayVerdict,
  runParams,
  SchedulerSession,
} from './threads-view-model.ts';
import recordedRuns from './testing/recorded-runs.json';

const recorded = recordedRuns as unknown as {
  race: ThreadsRunResult;
  mutex: ThreadsRunResult;
  replay: ReplayResult;
  processVsThread: ProcessVsThread;
};

describe('the recorded lab host answers', () => {
  it('are valid results of the schema', () => {
    expect(compileChecker(ThreadsRunResult).check(recorded.race)).toBe(true);
    expect(compileChecker(ThreadsRunResult).check(recorded.mutex)).toBe(true);
    expect(compileChecker(ReplayResult).check(recorded.replay)).toBe(true);
  });

  it('sum to lost updates for the race and none for the mutex', () => {
    const race = raceTotals(recorded.race.runs);
    expect(race.runs).toBe(recorded.race.runs.length);
    expect(race.lost).toBe(recorded.race.runs.reduce((sum, run) => sum + run.lostUpdates, 0));
    expect(race.lost).toBeGreaterThan(0);
    expect(race.worstInside!.maxInside).toBeGreaterThan(race.worstInside!.limit);
    expect(raceRows(recorded.race.runs).map((row) => row.final + row.lost)).toEqual(
      recorded.race.runs.map((run) => run.expected),
    );
    const mutex = raceTotals(recorded.mutex.runs);
    expect(mutex).toMatchObject({ lost: 0, runsLosing: 0, worstInside: { maxInside: 1, limit: 1 } });
  });

  it('draw a free run as lanes with an arrow from each releaser to the thread it woke', () => {
    const run = recorded.mutex.runs[0]!;
    const graph = historyGraph(run.events, ['T0', 'T1', 'T2', 'T3'], { syncOnly: true, max: 4000 });
    expect(graph.lanes).toEqual(['T0', 'T1', 'T2', 'T3']);
    const woke = run.events.filter((event) => event.woke !== undefined && event.kind === 'release');
    expect(graph.links.length).toBe(woke.length);
    for (const link of graph.links) {
      expect(link.thread1).not.toBe(link.thread2);
      expect(link.x2).toBeGreaterThan(link.x1);
    }
    const mutex = graph.objects.find((object) => object.name === 'm')!;
    expect(mutex.blocks).toBe(run.events.filter((event) => event.kind === 'block').length);
  });

  it('say whether a replay gave the model outcome', () => {
    const verdict = replayVerdict(recorded.replay, 'buy');
    expect(verdict).toMatchObject({ agree: true, modelInside: 2, realInside: 2, firstDifference: -1 });
    expect(verdict.realFinal).toBe(verdict.modelFinal);
  });

  it('compare a child process with a thread', () => {
    const pvt = recorded.processVsThread;
    const rows = memoryRows(pvt);
    expect(rows.filter((row) => row.what === 'process')).toHaveLength(pvt.workers);
    expect(memoryRatio(pvt)).toBeGreaterThan(1);
  });
});

describe('the requirements, on the model', () => {
  it('hold for the mutex except bounded waiting; the ticket lock keeps all three; the race breaks exclusion', () => {
    const mutex = checkRequirements('mutex');
    expect([mutex.exclusion.verdict, mutex.progress.verdict, mutex.bounded.verdict]).toEqual([
      'holds',
      'holds',
      'fails',
    ]);
    expect(mutex.complete).toBe(true);
    expect(mutex.bounded.schedule!.length).toBeGreaterThan(0);
    const ticket = checkRequirements('ticket-lock');
    expect([ticket.exclusion.verdict, ticket.progress.verdict, ticket.bounded.verdict]).toEqual([
      'holds',
      'holds',
      'holds',
    ]);
    const race = checkRequirements('race');
    expect(race.exclusion.verdict).toBe('fails');
    expect(race.exclusion.schedule).toBeDefined();
    const milk2 = checkRequirements('milk-2');
    expect(milk2.progress).toMatchObject({ verdict: 'fails', values: { why: 'nobody' } });
    expect(checkRequirements('binary-semaphore').bounded.verdict).toBe('not-shown');
  });
});

describe('you are the scheduler', () => {
  it('puts two roommates in the shop by hand, steps back out, and the search proves the mutex safe', () => {
    const session = new SchedulerSession({ program: 'milk-1', threads: 2, iterations: 1, gapAt: 'none' });
    // Both check the milk and the note before either leaves a note.
    for (const thread of [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1]) expect(session.pick(thread)).toBe(true);
    expect(session.violated).toBe(false);
    expect(session.pick(1)).toBe(true);
    expect(session.violated).toBe(true);
    expect(mostInside(session.events, 'buy')).toBe(2);
    session.back();
    expect(session.violated).toBe(false);
    expect(session.schedule).toHaveLength(11);

    const mutex = new SchedulerSession({ program: 'mutex', threads: 2, iterations: 1, gapAt: 'none' });
    expect(mutex.search()).toMatchObject({ kind: 'impossible' });
    const race = new SchedulerSession({ program: 'race', threads: 2, iterations: 1, gapAt: 'none' });
    const found = race.search();
    expect(found.kind).toBe('found');
    expect(race.violated).toBe(true);
    expect(race.schedule).toHaveLength(found.kind === 'found' ? found.steps : -1);
  });

  it('repeats a seeded random run, and shows each primitive in its panel', () => {
    const a = new SchedulerSession({ program: 'race', threads: 2, iterations: 2, gapAt: 'none' }, 7);
    const b = new SchedulerSession({ program: 'race', threads: 2, iterations: 2, gapAt: 'none' }, 7);
    a.randomRun();
    b.randomRun();
    expect(a.schedule).toEqual(b.schedule);
    const sem = new SchedulerSession({ program: 'binary-semaphore', threads: 3, iterations: 1, gapAt: 'none' });
    sem.pick(0);
    sem.pick(0); // T0 takes s
    sem.pick(1);
    sem.pick(1); // T1 finds it 0: blocked
    const panel = sem.panels().find((p) => p.kind === 'semaphore')!;
    expect(Object.fromEntries(panel.fields)).toEqual({ count: '0 / 1', waiters: 'T1' });
    expect(sem.threads()[1]).toMatchObject({ status: 'blocked', canStep: false });
  });

  it('asks the lab host only for what it accepts', () => {
    expect(runParams('peterson', { threads: 6, iterations: 5000, gapAt: 'none' })).toMatchObject({
      threads: 2,
      iterations: 2000,
    });
    expect(runParams('monitor-buffer', { threads: 5, iterations: 10, gapAt: 'none' }).threads).toBe(4);
    expect(runParams('race', { threads: 6, iterations: 5000, gapAt: 'load-store' })).toEqual({
      program: 'race',
      threads: 6,
      iterations: 5000,
      gapAt: 'load-store',
    });
  });
});
