/**
 * The whole deadlock lab headless (`npm run lab:deadlock`, and later the lab page's "run all"):
 * every scene under every strategy on real worker threads, the exhaustive model of the same
 * programs, detection and recovery, the banker on the textbook instance, the two processes that
 * call each other synchronously, and starvation with aging off and on. One `DeadlockLabResult`.
 */
import {
  DEADLOCK_LAB_SCHEMA,
  type BankerReport,
  type DeadlockLabProgress,
  type DeadlockLabResult,
  type ModelCheck,
  type RecoveryRow,
  type StrategyRow,
} from '../../protocol/labs/deadlock-result.ts';
import { quantile } from '../../protocol/experiments/stats.ts';
import { runEnvironment } from '../ipc/environment.ts';
import { evaluateRequest, needOf, safetyCheck, TEXTBOOK_STATE } from './model/banker.ts';
import { exploreAll, tableKey } from './model/lock-program-model.ts';
import { PREVENTION, STRATEGIES, type Scene, type Strategy } from './model/programs.ts';
import { compareAging, DEFAULT_STARVATION } from './model/starvation.ts';
import {
  DEFAULT_TIMING,
  LockWorkerPool,
  RECOVERY_POLICIES,
  runScene,
  type RecoveryAction,
  type RecoveryPolicy,
  type SceneBatch,
} from './runner.ts';
import { runSyncCallScene } from './sync-call.ts';

export interface DeadlockLabOptions {
  /** Seeded runs per scene and strategy. */
  readonly runs?: number;
  readonly seed?: number;
  readonly philosophers?: number;
  readonly rounds?: number;
  readonly scenes?: readonly Scene[];
  /** The watchdog's threshold for the "ignoring it" scene. */
  readonly watchdogThresholdMs?: number;
  readonly onProgress?: (progress: DeadlockLabProgress) => void;
  readonly signal?: AbortSignal;
  /** A bundled lab host passes its built files: the lock worker and the sync-call peer. */
  readonly workerEntry?: URL;
  readonly syncPeerEntry?: string;
}

/**
 * The lab's own types mark arrays readonly; the schema's types do not. The shapes are the same (the
 * result is checked against the schema at run time, cli.ts and its test), so a copy stands in.
 */
const plain = <T>(value: unknown): T => structuredClone(value) as T;

const SCENES: readonly Scene[] = ['philosophers', 'transfer', 'audit'];
/** The model is explored exhaustively: a table of at most five keeps it to seconds. */
const MODEL_MAX_PHILOSOPHERS = 5;

const AVOIDANCE_HOW =
  "avoidance (회피): each request is granted only if the banker's safety check finds the state after it safe; otherwise the thread waits";
const NONE_HOW = 'no prevention: each thread takes its first lock, pauses (seeded), then takes its second';

export function strategyRow(batch: SceneBatch): StrategyRow {
  const prevention = batch.strategy === 'none' || batch.strategy === 'banker' ? null : PREVENTION[batch.strategy];
  const first = batch.runs.find((run) => run.deadlock);
  const lengths = batch.runs.map((run) => run.elapsedMs).sort((a, b) => a - b);
  return {
    scene: batch.scene,
    philosophers: batch.philosophers,
    strategy: batch.strategy,
    breaks: prevention?.breaks ?? null,
    how: prevention?.how ?? (batch.strategy === 'banker' ? AVOIDANCE_HOW : NONE_HOW),
    applicable: batch.applicable,
    ...(batch.reason ? { reason: batch.reason } : {}),
    runs: batch.runs.length,
    deadlocks: batch.deadlocks,
    rate: batch.rate,
    finished: batch.runs.filter((run) => run.outcome === 'finished').length,
    timeouts: batch.runs.filter((run) => run.outcome === 'timeout').length,
    restarts: batch.runs.reduce((sum, run) => sum + run.restarts, 0),
    medianRunMs: lengths.length ? quantile(lengths, 0.5) : 0,
    errors: batch.runs.flatMap((run) => run.errors).slice(0, 16),
    example: first
      ? plain<StrategyRow['example']>({
          run: first.index,
          snapshot: first.deadlock!.snapshot,
          detection: first.deadlock!.detection,
        })
      : null,
  };
}

export function bankerReport(): BankerReport {
  const safety = safetyCheck(TEXTBOOK_STATE);
  const afterP1 = evaluateRequest(TEXTBOOK_STATE, 1, [1, 0, 2]);
  const asks: { state: typeof TEXTBOOK_STATE; process: number; request: number[] }[] = [
    { state: TEXTBOOK_STATE, process: 1, request: [1, 0, 2] },
    { state: afterP1.state, process: 4, request: [3, 3, 0] },
    { state: afterP1.state, process: 0, request: [0, 2, 0] },
  ];
  return {
    source:
      "Silberschatz, Galvin & Gagne, Operating System Concepts: the banker's algorithm's example (P0-P4; A, B, C)",
    state: TEXTBOOK_STATE as BankerReport['state'],
    need: needOf(TEXTBOOK_STATE),
    safe: safety.safe,
    sequence: safety.sequence.map((p) => TEXTBOOK_STATE.processes[p]!),
    reason: safety.reason,
    steps: safety.steps.length,
    requests: asks.map(({ state, process, request }) => {
      const evaluation = evaluateRequest(state, process, request);
      return {
        process: state.processes[process]!,
        request,
        verdict: evaluation.verdict,
        explanation: evaluation.explanation,
      };
    }),
  };
}

export async function runDeadlockLab(options: DeadlockLabOptions = {}): Promise<DeadlockLabResult> {
  const startedAt = new Date().toISOString();
  const runs = options.runs ?? 10;
  const seed = options.seed ?? 1;
  const philosophers = options.philosophers ?? 5;
  const rounds = options.rounds ?? 2;
  const say = (line: string) => options.onProgress?.({ line: line.slice(0, 1024) });
  const scenes = options.scenes ?? SCENES;
  const strategies: StrategyRow[] = [];
  const models: ModelCheck[] = [];
  const recovery: RecoveryRow[] = [];
  const pool = new LockWorkerPool(options.workerEntry);
  try {
    for (const scene of scenes) {
      for (const strategy of STRATEGIES) {
        options.signal?.throwIfAborted();
        const batch = await runScene(
          { scene, philosophers, strategy, runs, seed, rounds, ...(options.signal ? { signal: options.signal } : {}) },
          pool,
        );
        const row = strategyRow(batch);
        strategies.push(row);
        say(
          batch.applicable
            ? `${scene} ${strategy}: ${batch.deadlocks}/${batch.runs.length} runs deadlocked (rate ${row.rate.toFixed(2)}), ${row.restarts} restarts`
            : `${scene} ${strategy}: not applicable (${batch.reason})`,
        );
        if (batch.applicable) models.push(modelCheck(scene, philosophers, strategy, batch));
      }
    }
    const recoveries: { scene: Scene; policy: RecoveryPolicy; action: RecoveryAction }[] = [
      { scene: 'philosophers', policy: 'fewest-held', action: 'terminate' },
      { scene: 'transfer', policy: 'youngest', action: 'rollback' },
    ];
    for (const { scene, policy, action } of recoveries.filter((r) => scenes.includes(r.scene))) {
      options.signal?.throwIfAborted();
      const batch = await runScene(
        {
          scene,
          philosophers,
          strategy: 'none',
          runs,
          seed,
          rounds,
          recovery: { policy, action },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        pool,
      );
      const records = batch.runs.flatMap((run) => run.recoveries);
      recovery.push({
        scene,
        philosophers: batch.philosophers,
        policy,
        action,
        policyText: RECOVERY_POLICIES[policy],
        runs: batch.runs.length,
        deadlocks: batch.deadlocks,
        recovered: batch.runs.filter((run) => run.outcome === 'recovered').length,
        recoveries: plain(records.slice(0, 256)),
        workLost: records.reduce((sum, record) => sum + record.workLost, 0),
        roundsRedone: records.reduce((sum, record) => sum + record.roundsRedone, 0),
      });
      say(
        `${scene} recovery (${action}, ${policy}): ${recovery.at(-1)!.recovered}/${batch.deadlocks} deadlocked runs recovered`,
      );
    }
  } finally {
    await pool.close();
  }

  const banker = bankerReport();
  say(`banker, textbook: ${banker.safe ? `safe <${banker.sequence.join(', ')}>` : `unsafe: ${banker.reason}`}`);

  options.signal?.throwIfAborted();
  const threshold = options.watchdogThresholdMs ?? 2000;
  const peerEntry = options.syncPeerEntry ? { peerEntry: options.syncPeerEntry } : {};
  const bothSync = await runSyncCallScene({ mode: 'both-sync', thresholdMs: threshold, ...peerEntry });
  say(
    `ignoring it, both call synchronously: deadlocked ${bothSync.deadlocked}, watchdog ${bothSync.detectedByWatchdog ? `reported it after ${bothSync.detectedAfterMs} ms` : 'did not report'}, ended: ${bothSync.peers.map((p) => p.ended).join(', ')}`,
  );
  const oneWay = await runSyncCallScene({ mode: 'one-way', thresholdMs: threshold, ...peerEntry });
  say(`Chrome's rule, one side calls: answered ${oneWay.peers[0]?.gotAnswer}, deadlocked ${oneWay.deadlocked}`);

  const { off, on } = compareAging({ seed });
  say(
    `starvation: p99 wait ${off.all.p99.toFixed(1)} -> ${on.all.p99.toFixed(1)} ticks with aging; longest ${off.all.longest} -> ${on.all.longest}`,
  );
  const { aging: _aging, ...starvationConfig } = { ...DEFAULT_STARVATION, seed };

  return {
    schema: DEADLOCK_LAB_SCHEMA,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: runEnvironment(),
    settings: {
      runs,
      seed,
      rounds,
      philosophers,
      timing: {
        gapMs: [...DEFAULT_TIMING.gapMs],
        workMs: DEFAULT_TIMING.workMs,
        backoffMs: [...DEFAULT_TIMING.backoffMs],
        sliceMs: DEFAULT_TIMING.sliceMs,
      },
    },
    strategies,
    models,
    recovery,
    banker,
    ignoring: plain({ bothSync, oneWay }),
    starvation: plain({ config: starvationConfig, off, on }),
  };
}

/** The exhaustive model of the same scene and strategy; the real deadlocks checked against it. */
function modelCheck(scene: Scene, philosophers: number, strategy: Strategy, batch: SceneBatch): ModelCheck {
  const n = Math.min(philosophers, MODEL_MAX_PHILOSOPHERS);
  const modelRounds = 1;
  const exploration = exploreAll({ scene, philosophers: n, strategy, rounds: modelRounds });
  const keys = new Set(exploration.deadlocks.map(tableKey));
  const real = batch.runs.filter((run) => run.deadlock);
  return {
    scene,
    philosophers: scene === 'philosophers' ? n : 0,
    strategy,
    rounds: modelRounds,
    states: exploration.states,
    deadlockedStates: exploration.deadlocks.length,
    realMatchesModel:
      real.length === 0 || n !== philosophers ? null : real.every((run) => keys.has(tableKey(run.deadlock!.snapshot))),
  };
}
