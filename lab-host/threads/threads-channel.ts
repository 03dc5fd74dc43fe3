/**
 * The threads lab as the lab://threads page uses it over its lab channel (LabChannel's `runThreads`,
 * `replayThreads`, `measureProcessVsThread`): only what needs real threads or processes. The model
 * (protocol/labs/threads-model/) runs in the page itself; a schedule it found comes here to be
 * replayed on real workers. Workers are kept in one pool for the host's life (a run that had to be
 * stopped ends its workers; the pool starts new ones next time). The caller (lab-channels.ts) holds
 * the host's one run slot around each call.
 */
import { LabChannelErrorCode } from '../../protocol/interfaces/tab-lab.ts';
import { makeProgram, programInfo } from '../../protocol/labs/threads-model/programs.ts';
import type { Program } from '../../protocol/labs/threads-model/program.ts';
import { replay } from '../../protocol/labs/threads-model/machine.ts';
import type {
  ProcessVsThread,
  ProcessVsThreadOptions,
  RealRun,
  ReplayResult,
  ThreadsLabProgress,
  ThreadsProgramParams,
  ThreadsReplayOptions,
  ThreadsRunOptions,
  ThreadsRunResult,
} from '../../protocol/labs/threads-result.ts';
import { CodedError } from '../../protocol/rpc/errors.ts';
import { runEnvironment } from '../ipc/environment.ts';
import { processVsThread } from './process-vs-thread.ts';
import { ThreadPool } from './runner.ts';
import { replayOnThreads } from './threads-lab.ts';

/** Programs whose waiting spins: more spinning threads than cores only convoy (README: "Spinning programs"). */
const SPINNING = new Set(['peterson', 'spin-lock', 'ticket-lock', 'milk-3']);
/** A free run that has not ended by then is stopped and reported (a deadlock, a livelock). */
const RUN_TIMEOUT_MS = 60_000;

const badOptions = (message: string) => new CodedError(LabChannelErrorCode.LAB_BAD_OPTIONS, message);

/** The program a page's parameters name, or LAB_BAD_OPTIONS saying why not. */
export function programFor(params: ThreadsProgramParams): Program {
  const info = programInfo(params.program);
  if (info.fixedThreads !== undefined && params.threads !== info.fixedThreads)
    throw badOptions(`${params.program} is for exactly ${info.fixedThreads} threads (asked for ${params.threads})`);
  if (SPINNING.has(params.program) && params.threads > 2)
    throw badOptions(`${params.program} spins while it waits: at most 2 threads (asked for ${params.threads})`);
  try {
    return makeProgram(params.program, {
      threads: params.threads,
      iterations: params.iterations,
      ...(params.gapAt ? { gapAt: params.gapAt } : {}),
    });
  } catch (error) {
    throw badOptions((error as Error).message);
  }
}

export class ThreadsChannel {
  private pool: ThreadPool | undefined;

  private threads(): ThreadPool {
    this.pool ??= new ThreadPool();
    return this.pool;
  }

  /** `runs` free runs (seeds 1..runs), each reported as it ends. */
  async run(
    options: ThreadsRunOptions,
    signal: AbortSignal,
    onProgress: (progress: ThreadsLabProgress) => void,
  ): Promise<ThreadsRunResult> {
    const program = programFor(options);
    const runs: RealRun[] = [];
    const total = options.runs ?? 1;
    for (let seed = 1; seed <= total; seed++) {
      signal.throwIfAborted();
      const run = await this.threads().runFree(program, {
        gapSpins: options.gapSpins ?? 200,
        seed,
        iterations: options.iterations,
        ...(options.gapAt ? { gapAt: options.gapAt } : {}),
        timeoutMs: RUN_TIMEOUT_MS,
        signal,
      });
      signal.throwIfAborted();
      runs.push(run);
      const line = `${program.id} ${seed}/${total}: ${run.final} of ${run.expected}, ${run.lostUpdates} lost; most inside ${run.regions.map((r) => `${r.region} ${r.maxInside}/${r.limit}`).join(', ')} (${run.wallMs} ms)${run.error ? `; ${run.error}` : ''}`;
      onProgress(program.id === 'race' ? { line, race: run } : { line, primitive: run });
    }
    return { runs, environment: runEnvironment() };
  }

  /** The page's schedule on real workers; a schedule the model itself cannot take is refused first. */
  async replay(options: ThreadsReplayOptions, signal: AbortSignal): Promise<ReplayResult> {
    const program = programFor(options);
    try {
      replay(program, options.schedule);
    } catch (error) {
      throw badOptions(`the model cannot take this schedule: ${(error as Error).message}`);
    }
    signal.throwIfAborted();
    return replayOnThreads(this.threads(), program, options.schedule);
  }

  async processVsThread(options: ProcessVsThreadOptions, signal: AbortSignal): Promise<ProcessVsThread> {
    signal.throwIfAborted();
    return processVsThread(options);
  }

  async dispose(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
