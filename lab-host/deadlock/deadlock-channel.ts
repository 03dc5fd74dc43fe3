/**
 * The deadlock lab's LabChannel handlers (`deadlock…` in protocol/interfaces/tab-lab.ts), one set per
 * tab's channel, served by lab-channels.ts. Runs take the host's one run slot (the threads of two
 * runs would compete for the same two cores and measure each other); the banker and the starvation
 * model are pure and answer at once. Recovery by hand: a run with `recovery` waits, once a deadlock is
 * confirmed, for this tab's deadlockRecover (or a stop).
 */
import { LabChannelErrorCode } from '../../protocol/interfaces/tab-lab.ts';
import type {
  BankerCheckRequest,
  BankerCheckResult,
  DeadlockRunOptions,
  DeadlockRunProgress,
  DeadlockRunResult,
  DeadlockSnapshotEvent,
  DeadlockStallStarted,
  SafetyCheckSchema,
  StarvationComparison,
  StarvationOptions,
  SyncCallOptions,
  SyncCallReport,
} from '../../protocol/labs/deadlock-result.ts';
import { CodedError } from '../../protocol/rpc/errors.ts';
import { strategyRow } from './deadlock-lab.ts';
import { BankerInputError, evaluateRequest, needOf, safetyCheck, type SafetyResult } from './model/banker.ts';
import { compareAging, DEFAULT_STARVATION } from './model/starvation.ts';
import type { Detection, LockTableSnapshot } from './model/wait-for-graph.ts';
import { runScene, type LockWorkerPool, type RecoveryRecord } from './runner.ts';
import { prepareStall, STALL_MAIN_THREAD } from './stall.ts';
import { runSyncCallScene } from './sync-call.ts';

/** The host's run slot, held for one call: its signal aborts on stop, a cancelled call or the channel closing. */
export interface RunSlot {
  readonly signal: AbortSignal;
  release(): void;
}

export interface DeadlockChannelContext {
  /** Takes the host's one run slot for this tab (throws LAB_RUN_IN_PROGRESS when taken). */
  readonly takeRunSlot: (callSignal: AbortSignal) => RunSlot;
  readonly emitSnapshot: (event: DeadlockSnapshotEvent) => void;
  readonly emitProgress: (event: DeadlockRunProgress) => void;
  /** Worker threads to reuse across runs (tests share one); by default each run starts its own. */
  readonly pool?: LockWorkerPool;
  /** After deadlockStall answered: blocks this process's main thread (the default does it for real). */
  readonly afterStallAnswer?: (block: () => void) => void;
}

/** Live snapshots at most this often (a table of 16 philosophers changes hundreds of times a second). */
const SNAPSHOT_EVERY_MS = 40;

const plain = <T>(value: unknown): T => structuredClone(value) as T;

function safetyOf(result: SafetyResult): SafetyCheckSchema {
  return plain<SafetyCheckSchema>({
    safe: result.safe,
    sequence: result.sequence,
    steps: result.steps,
    work: result.work,
    reason: result.reason,
  });
}

const stopped = (what: string) => new CodedError(LabChannelErrorCode.LAB_RUN_STOPPED, `The ${what} was stopped`);

export function deadlockHandlers(context: DeadlockChannelContext) {
  /** The deadlock this tab's run waits on, to be recovered by deadlockRecover. */
  let awaitingRecovery: (() => void) | undefined;

  /** Runs `work` in the run slot; a failure becomes LAB_RUN_STOPPED (stopped) or LAB_RUN_FAILED. */
  async function inSlot<T>(callSignal: AbortSignal, what: string, work: (signal: AbortSignal) => Promise<T>) {
    const slot = context.takeRunSlot(callSignal);
    try {
      return await work(slot.signal);
    } catch (error) {
      if (slot.signal.aborted) throw stopped(what);
      if (error instanceof CodedError) throw error;
      throw new CodedError(LabChannelErrorCode.LAB_RUN_FAILED, `The ${what} failed: ${(error as Error).message}`);
    } finally {
      awaitingRecovery = undefined;
      slot.release();
    }
  }

  return {
    deadlockRun: (options: DeadlockRunOptions, { signal: callSignal }: { signal: AbortSignal }) => {
      if (options.recovery && options.strategy !== 'none')
        throw new CodedError(
          LabChannelErrorCode.LAB_BAD_OPTIONS,
          'Recovery is for runs without prevention or avoidance (strategy "none")',
        );
      if (options.scene !== 'philosophers' && options.philosophers !== undefined)
        throw new CodedError(LabChannelErrorCode.LAB_BAD_OPTIONS, 'philosophers is for the philosophers scene');
      return inSlot(callSignal, 'deadlock run', async (signal): Promise<DeadlockRunResult> => {
        let lastSent = -Infinity;
        const recoveries: RecoveryRecord[] = [];
        const snapshotEvent = (run: number, snapshot: LockTableSnapshot, detection: Detection, confirmed: boolean) =>
          context.emitSnapshot(plain({ run, snapshot, detection, confirmed, mainThread: null }));
        const batch = await runScene(
          {
            scene: options.scene,
            ...(options.philosophers === undefined ? {} : { philosophers: options.philosophers }),
            strategy: options.strategy,
            runs: options.runs,
            seed: options.seed ?? 1,
            signal,
            ...(options.live
              ? {
                  onSnapshot: (run, snapshot, detection) => {
                    const now = performance.now();
                    // A cycle is always sent: the page lights it the moment it closes.
                    if (!detection.deadlocked && now - lastSent < SNAPSHOT_EVERY_MS) return;
                    lastSent = now;
                    snapshotEvent(run, snapshot, detection, false);
                  },
                  onDeadlock: (run, snapshot, detection) => {
                    snapshotEvent(run, snapshot, detection, true);
                    context.emitProgress({
                      line: `run ${run}: deadlock confirmed, cycle ${detection.conditions.circularWait.cycles[0]?.map((t) => snapshot.threads[t]?.name).join(' -> ')}`,
                    });
                  },
                }
              : {}),
            ...(options.recovery
              ? {
                  recovery: {
                    ...options.recovery,
                    decide: () =>
                      new Promise<void>((resolve, reject) => {
                        if (signal.aborted) return reject(signal.reason);
                        awaitingRecovery = resolve;
                        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
                      }),
                  },
                  onRecovery: (run, record) => {
                    recoveries.push(record);
                    context.emitProgress(
                      plain({
                        line: `run ${run}: recovered by ${record.action} of ${record.victimName} (${record.policy}); released ${record.released.length} locks`,
                        recovery: record,
                      }),
                    );
                  },
                }
              : {}),
          },
          context.pool,
        );
        if (signal.aborted) throw stopped('deadlock run');
        const threads = batch.runs[0]?.work.length ?? 0;
        return {
          row: strategyRow(batch),
          outcomes: batch.runs.map((run) => run.outcome),
          recoveries: plain(recoveries.slice(0, 256)),
          work: Array.from({ length: threads }, (_, t) => batch.runs.reduce((sum, run) => sum + (run.work[t] ?? 0), 0)),
        };
      });
    },

    deadlockRecover: () => {
      const recover = awaitingRecovery;
      awaitingRecovery = undefined;
      recover?.();
      return { recovering: recover !== undefined };
    },

    deadlockBanker: (request: BankerCheckRequest): BankerCheckResult => {
      try {
        const { state, ask } = request;
        const result: BankerCheckResult = { need: needOf(state), safety: safetyOf(safetyCheck(state)) };
        if (!ask) return result;
        const evaluation = evaluateRequest(state, ask.process, ask.request);
        return {
          ...result,
          evaluation: plain({
            verdict: evaluation.verdict,
            explanation: evaluation.explanation,
            safety: evaluation.safety ? safetyOf(evaluation.safety) : null,
            state: evaluation.state,
          }),
        };
      } catch (error) {
        if (error instanceof BankerInputError) throw new CodedError(LabChannelErrorCode.LAB_BAD_OPTIONS, error.message);
        throw error;
      }
    },

    deadlockSyncCall: (options: SyncCallOptions, { signal }: { signal: AbortSignal }) =>
      inSlot(signal, 'sync-call scene', async (): Promise<SyncCallReport> => {
        const result = await runSyncCallScene({ mode: options.mode, thresholdMs: options.thresholdMs ?? 1000 });
        context.emitProgress({
          line: `${options.mode}: deadlocked ${result.deadlocked}, watchdog ${result.detectedByWatchdog ? `reported it after ${result.detectedAfterMs} ms` : 'did not report'}`,
        });
        return plain(result);
      }),

    deadlockStarvation: (options: StarvationOptions): StarvationComparison => {
      const config = {
        seed: options.seed ?? DEFAULT_STARVATION.seed,
        agingEvery: options.agingEvery ?? DEFAULT_STARVATION.agingEvery,
        ticks: options.ticks ?? DEFAULT_STARVATION.ticks,
      };
      try {
        return plain({ ...config, ...compareAging(config) });
      } catch (error) {
        throw new CodedError(LabChannelErrorCode.LAB_BAD_OPTIONS, (error as Error).message);
      }
    },

    deadlockStall: (_: object, { signal }: { signal: AbortSignal }) =>
      inSlot(signal, 'stall', async (): Promise<DeadlockStallStarted> => {
        const setup = await prepareStall();
        context.emitSnapshot(
          plain({
            run: 0,
            snapshot: setup.snapshot,
            detection: setup.detection,
            confirmed: setup.detection.deadlocked,
            mainThread: STALL_MAIN_THREAD,
          }),
        );
        const block = () => setup.block();
        // After the answer is on its way: a short timer lets the socket write it first.
        (context.afterStallAnswer ?? ((go) => setTimeout(go, 100)))(block);
        return {
          hostPid: process.pid,
          thresholdNote: 'nothing in the lab host handles it: only the browser watchdog, pinging from outside, can',
        };
      }),
  };
}
