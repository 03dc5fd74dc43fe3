/**
 * The whole threads lab, headless: the race on real threads (several runs), the same counter with
 * each primitive, what exhaustive search of the model proves or finds, schedules from the model
 * replayed on real threads, and process vs thread. What `npm run lab:threads` writes and what the
 * lab host will send the page (ThreadsLabResult, protocol/labs/threads-result.ts).
 */
import {
  THREADS_LAB_SCHEMA,
  type ModelFinding,
  type RealRun,
  type ReplayResult,
  type ThreadsLabProgress,
  type ThreadsLabResult,
} from '../../protocol/labs/threads-result.ts';
import { runEnvironment } from '../ipc/environment.ts';
import {
  finalCounters,
  findExclusionViolation,
  mostLostUpdates,
  mostOvertaken,
} from '../../protocol/labs/threads-model/explore.ts';
import { finishSchedule, randomRun, replay, type ThreadEvent } from '../../protocol/labs/threads-model/machine.ts';
import { cellLayout, type Program } from '../../protocol/labs/threads-model/program.ts';
import { makeProgram, type ProgramParams } from '../../protocol/labs/threads-model/programs.ts';
import { processVsThread } from './process-vs-thread.ts';
import { ThreadPool } from './runner.ts';

export interface ThreadsLabOptions {
  /** Threads and iterations of the race and of the primitives' runs (default 4 and 20,000). */
  readonly threads?: number;
  readonly iterations?: number;
  /** Busy-spin iterations of the gap (default 200) and where it goes (default between load and store). */
  readonly gapSpins?: number;
  readonly gapAt?: ProgramParams['gapAt'];
  /** Race runs, seeds 1..n (default 8). */
  readonly raceRuns?: number;
  /** Smaller runs throughout. */
  readonly quick?: boolean;
  readonly processVsThread?: boolean;
  readonly onProgress?: (progress: ThreadsLabProgress) => void;
  readonly signal?: AbortSignal;
}

/** Primitives whose wait spins: run on two threads (more spinning threads than cores convoy). */
const SPINNING = ['peterson', 'spin-lock', 'ticket-lock'];
const BLOCKING = ['mutex', 'binary-semaphore', 'counting-semaphore', 'monitor-buffer'];

export async function runThreadsLab(options: ThreadsLabOptions = {}): Promise<ThreadsLabResult> {
  const startedAt = new Date().toISOString();
  const report = options.onProgress ?? (() => {});
  const say = (line: string) => report({ line });
  const threads = options.threads ?? 4;
  const iterations = options.iterations ?? (options.quick ? 2000 : 20_000);
  const gapSpins = options.gapSpins ?? 200;
  const gapAt = options.gapAt ?? 'load-store';
  const raceRuns = options.raceRuns ?? (options.quick ? 3 : 8);
  const errors: string[] = [];
  const checkAbort = () => options.signal?.throwIfAborted();
  const pool = new ThreadPool();
  const race: RealRun[] = [];
  const primitives: RealRun[] = [];
  try {
    const raceProgram = makeProgram('race', { threads, iterations, gapAt });
    for (let seed = 1; seed <= raceRuns; seed++) {
      checkAbort();
      const run = await pool.runFree(raceProgram, { gapSpins, seed, iterations, gapAt, signal: options.signal });
      checkAbort();
      race.push(run);
      if (run.error) errors.push(`race ${seed}: ${run.error}`);
      report({
        line: `race ${seed}/${raceRuns}: ${run.final} of ${run.expected}, ${run.lostUpdates} lost updates (${run.wallMs} ms)`,
        race: run,
      });
    }
    for (const id of [...BLOCKING, ...SPINNING]) {
      checkAbort();
      const spinning = SPINNING.includes(id);
      const its = spinning ? Math.max(1, Math.floor(iterations / 20)) : iterations;
      const program = makeProgram(id, { threads: spinning ? 2 : threads, iterations: its, gapAt });
      const run = await pool.runFree(program, { gapSpins, seed: 1, iterations: its, gapAt, signal: options.signal });
      checkAbort();
      primitives.push(run);
      if (run.error) errors.push(`${id}: ${run.error}`);
      report({
        line: `${id}: ${run.final} of ${run.expected}, ${run.lostUpdates} lost; most inside ${run.regions.map((r) => `${r.region} ${r.maxInside}/${r.limit}`).join(', ')}; most overtaken ${run.maxOvertaken}`,
        primitive: run,
      });
    }

    checkAbort();
    const model = modelFindings();
    for (const finding of model)
      say(`model ${finding.program}: ${finding.property}: ${finding.holds ? 'holds' : 'fails'} (${finding.detail})`);

    const replays: ReplayResult[] = [];
    const small = { threads: 2, iterations: 2, gapAt };
    const raceSmall = makeProgram('race', small);
    const mutexSmall = makeProgram('mutex', { ...small, threads: 3 });
    const milk = makeProgram('milk-1', small);
    for (const [program, schedule] of [
      [raceSmall, mostLostUpdates(raceSmall).schedule],
      // Found: both roommates buying at once; then run to the end, so the milk is counted.
      [milk, finishSchedule(milk, findExclusionViolation(milk, 'buy').schedule)],
      [mutexSmall, randomRun(mutexSmall, 3).schedule],
    ] as [Program, number[]][]) {
      checkAbort();
      const result = await replayOnThreads(pool, program, schedule);
      replays.push(result);
      if (!result.agree) errors.push(`replay ${program.id}: differs at event ${result.firstDifference}`);
      report({
        line: `replay ${program.id}: ${schedule.length} steps, ${result.agree ? 'the same' : 'DIFFERENT'} event for event; final ${result.realFinal} (model ${result.modelFinal})`,
        replay: result,
      });
    }

    let pvt: ThreadsLabResult['processVsThread'] = null;
    if (options.processVsThread !== false) {
      checkAbort();
      try {
        pvt = await processVsThread({ workers: threads, iterations: options.quick ? 200_000 : 2_000_000 });
        say(
          `process vs thread: children ${pvt.processes.childCounters.join(', ')} (parent ${pvt.processes.parentCounter}); threads shared ${pvt.threads.sharedCounter}; RSS per child ${pvt.processes.childRssMiB.join(', ')} MiB, per thread ${pvt.threads.rssPerThreadMiB} MiB`,
        );
      } catch (error) {
        errors.push(`process vs thread: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return {
      schema: THREADS_LAB_SCHEMA,
      startedAt,
      finishedAt: new Date().toISOString(),
      environment: runEnvironment(),
      race,
      primitives,
      model,
      replays,
      processVsThread: pvt,
      errors: errors.map((error) => error.slice(0, 2048)),
    };
  } finally {
    await pool.close();
  }
}

/** A model schedule on real threads, compared event for event. */
export async function replayOnThreads(
  pool: ThreadPool,
  program: Program,
  schedule: readonly number[],
): Promise<ReplayResult> {
  const model = replay(program, schedule);
  const real = await pool.replay(program, schedule);
  const key = (event: ThreadEvent | undefined) => JSON.stringify(event ?? null);
  let firstDifference = -1;
  for (let i = 0; i < Math.max(model.events.length, real.events.length); i++) {
    if (key(model.events[i]) !== key(real.events[i])) {
      firstDifference = i;
      break;
    }
  }
  const counterCell = (mem: readonly number[]) =>
    program.counter ? (mem[cellLayout(program).base[program.counter.v]!] ?? 0) : 0;
  return {
    program: program.id,
    schedule: [...schedule],
    modelEvents: model.events,
    realEvents: real.events,
    agree: firstDifference === -1 && !real.error,
    firstDifference,
    modelFinal: counterCell(model.state.mem),
    realFinal: real.counter ?? 0,
  };
}

/** What exhaustive search proves or finds, on two threads and two rounds each (small enough to see every state). */
export function modelFindings(): ModelFinding[] {
  const findings: ModelFinding[] = [];
  const small = { threads: 2, iterations: 2, gapAt: 'none' } as const;
  const exclusion = (id: string, region = 'counter', params: ProgramParams = small) => {
    const program = makeProgram(id, params);
    const limit = program.regions![region]!;
    const found = findExclusionViolation(program, region, limit);
    findings.push({
      program: id,
      property: `mutual exclusion (상호 배제): at most ${limit} in ${region}`,
      states: found.states,
      complete: found.complete,
      holds: found.best === 0,
      ...(found.best > 0 ? { counterexample: found.schedule } : {}),
      detail:
        found.best > 0
          ? `${limit + 1} inside after ${found.schedule.length} steps`
          : `proved over ${found.states} states`,
    });
  };
  const race = makeProgram('race', small);
  const lost = mostLostUpdates(race);
  findings.push({
    program: 'race',
    property: 'no lost update',
    states: lost.states,
    complete: lost.complete,
    holds: lost.best === 0,
    counterexample: lost.schedule,
    detail: `final counter can be ${finalCounters(race).values.join(', ')} of ${race.counter!.expected}; at worst ${lost.best} lost`,
  });
  exclusion('race');
  for (const id of ['mutex', 'binary-semaphore', 'counting-semaphore', 'peterson', 'spin-lock', 'ticket-lock'])
    exclusion(id);
  exclusion('counting-semaphore', 'pool');
  exclusion('monitor-buffer', 'buffer');
  exclusion('milk-1', 'buy');
  for (const id of ['milk-1', 'milk-2', 'milk-3']) {
    const program = makeProgram(id, small);
    const finals = finalCounters(program);
    findings.push({
      program: id,
      property: 'exactly one milk bought',
      states: finals.states,
      complete: finals.complete,
      holds: finals.values.length === 1 && finals.values[0] === 1,
      detail: `milk can end as ${finals.values.join(' or ')}`,
    });
  }
  for (const id of ['peterson', 'ticket-lock', 'spin-lock', 'mutex']) {
    for (const iterations of [2, 3]) {
      const found = mostOvertaken(makeProgram(id, { ...small, iterations }));
      findings.push({
        program: id,
        property: `bounded waiting (한정 대기), ${iterations} rounds each: overtaken at most once`,
        states: found.states,
        complete: found.complete,
        holds: found.best <= 1,
        ...(found.best > 1 ? { counterexample: found.schedule } : {}),
        detail: `a waiting thread can see ${found.best} entries of the other`,
      });
    }
  }
  return findings;
}
