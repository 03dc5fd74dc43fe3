/**
 * What the lab://threads page asks the lab host, on real worker threads: runs reported as they end,
 * a model schedule replayed with the model's outcome, bad parameters refused with LAB_BAD_OPTIONS.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LabChannelErrorCode } from '../../protocol/interfaces/tab-lab.ts';
import { findExclusionViolation } from '../../protocol/labs/threads-model/explore.ts';
import { finishSchedule } from '../../protocol/labs/threads-model/machine.ts';
import { makeProgram } from '../../protocol/labs/threads-model/programs.ts';
import { ThreadsRunResult, type ThreadsLabProgress } from '../../protocol/labs/threads-result.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { ThreadsChannel } from './threads-channel.ts';

const channel = new ThreadsChannel();
afterAll(() => channel.dispose());
const never = new AbortController().signal;

describe('ThreadsChannel', () => {
  it('runs the race (updates lost) and the mutex (none), each run reported before the answer', async () => {
    const seen: ThreadsLabProgress[] = [];
    const race = await channel.run({ program: 'race', threads: 4, iterations: 2000, runs: 3 }, never, (progress) =>
      seen.push(progress),
    );
    expect(compileChecker(ThreadsRunResult).check(race)).toBe(true);
    expect(seen.map((progress) => progress.race?.lostUpdates)).toEqual(race.runs.map((run) => run.lostUpdates));
    expect(race.runs.reduce((sum, run) => sum + run.lostUpdates, 0)).toBeGreaterThan(0);
    const mutex = await channel.run({ program: 'mutex', threads: 4, iterations: 2000, runs: 1 }, never, () => {});
    expect(mutex.runs[0]).toMatchObject({ final: 8000, lostUpdates: 0, regions: [{ maxInside: 1, limit: 1 }] });
  }, 120_000);

  it('replays a schedule the model found (two roommates buying) with the same outcome', async () => {
    const params = { program: 'milk-1', threads: 2, iterations: 1 } as const;
    const program = makeProgram('milk-1', params);
    const schedule = finishSchedule(program, findExclusionViolation(program, 'buy').schedule);
    const result = await channel.replay({ ...params, schedule }, never);
    expect(result).toMatchObject({ agree: true, firstDifference: -1, modelFinal: 2, realFinal: 2 });
  }, 60_000);

  it('refuses what the lab cannot run, saying why', async () => {
    await expect(
      channel.run({ program: 'peterson', threads: 3, iterations: 10 }, never, () => {}),
    ).rejects.toMatchObject({ code: LabChannelErrorCode.LAB_BAD_OPTIONS, message: /exactly 2 threads/ });
    await expect(
      channel.replay(
        { program: 'race', threads: 2, iterations: 1, schedule: Array.from({ length: 12 }, () => 0) },
        never,
      ),
    ).rejects.toMatchObject({ code: LabChannelErrorCode.LAB_BAD_OPTIONS, message: /cannot take this schedule/ });
  });
});
