// The deadlock lab's LabChannel handlers on real worker threads: a run with recovery by hand waits on
// the confirmed deadlock until deadlockRecover, then finishes; one run slot; a malformed banker state
// is a clear LAB_BAD_OPTIONS; the stall builds a real cycle through this thread (not blocked here:
// blocking is the lab host's end, e2e/lab-deadlock.spec.ts sees the browser's watchdog end it).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LabChannelErrorCode } from '../../protocol/interfaces/tab-lab.ts';
import type { DeadlockRunProgress, DeadlockSnapshotEvent } from '../../protocol/labs/deadlock-result.ts';
import { CodedError } from '../../protocol/rpc/errors.ts';
import { deadlockHandlers, type RunSlot } from './deadlock-channel.ts';
import { TEXTBOOK_STATE } from './model/banker.ts';
import { LockWorkerPool } from './runner.ts';
import { prepareStall, STALL_MAIN_THREAD } from './stall.ts';

// Starting worker threads under tsx is the slow part on a loaded machine: the tests share them.
const pool = new LockWorkerPool();
afterAll(() => pool.close());

function setup() {
  const snapshots: DeadlockSnapshotEvent[] = [];
  const progress: DeadlockRunProgress[] = [];
  let held: AbortController | undefined;
  const handlers = deadlockHandlers({
    takeRunSlot: (): RunSlot => {
      if (held) throw new CodedError(LabChannelErrorCode.LAB_RUN_IN_PROGRESS, 'taken');
      const controller = new AbortController();
      held = controller;
      return { signal: controller.signal, release: () => (held = undefined) };
    },
    emitSnapshot: (event) => snapshots.push(event),
    emitProgress: (event) => progress.push(event),
    pool,
  });
  return { handlers, snapshots, progress, stop: () => held?.abort() };
}

const call = { signal: new AbortController().signal };
const waitFor = async (check: () => boolean, ms = 60_000) => {
  for (const started = Date.now(); !check(); await new Promise((r) => setTimeout(r, 10)))
    if (Date.now() - started > ms) throw new Error('timed out');
};

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('deadlock channel', () => {
  it('recovery by hand: the run waits on the confirmed deadlock, recovers on deadlockRecover, finishes', async () => {
    const { handlers, snapshots, progress } = setup();
    const running = handlers.deadlockRun(
      {
        scene: 'transfer',
        strategy: 'none',
        runs: 1,
        seed: 3,
        live: true,
        recovery: { policy: 'youngest', action: 'rollback' },
      },
      call,
    );
    await waitFor(() => snapshots.some((s) => s.confirmed));
    const confirmed = snapshots.find((s) => s.confirmed)!;
    expect(confirmed.detection.deadlocked).toBe(true);
    expect(confirmed.detection.conditions.circularWait.cycles).toEqual([[0, 1]]);
    // A second run meanwhile is refused: one run slot.
    await expect(handlers.deadlockRun({ scene: 'transfer', strategy: 'none', runs: 1 }, call)).rejects.toMatchObject({
      code: LabChannelErrorCode.LAB_RUN_IN_PROGRESS,
    });
    // Still waiting: nothing recovered until asked.
    await new Promise((r) => setTimeout(r, 200));
    expect(progress.some((p) => p.recovery)).toBe(false);
    expect(handlers.deadlockRecover()).toEqual({ recovering: true });
    // The rolled-back round may deadlock again: each confirmed deadlock waits for its own Recover.
    let settled = false;
    void running.finally(() => (settled = true)).catch(() => {});
    let recovered = 1;
    while (!settled) {
      await new Promise((r) => setTimeout(r, 50));
      if (snapshots.filter((s) => s.confirmed).length > recovered && handlers.deadlockRecover().recovering) recovered++;
    }
    const result = await running;
    expect(result.outcomes).toEqual(['recovered']);
    expect(result.recoveries).toHaveLength(recovered);
    expect(result.recoveries[0]).toMatchObject({ victim: 1, action: 'rollback', policy: 'youngest' });
    expect(progress.filter((p) => p.recovery).map((p) => p.recovery!.victim)).toEqual(
      result.recoveries.map((r) => r.victim),
    );
    expect(result.work).toEqual([2, 2]);
    expect(handlers.deadlockRecover()).toEqual({ recovering: false });
  }, 120_000);

  it('a stop while the run waits on its deadlock ends it as stopped', async () => {
    const { handlers, snapshots, stop } = setup();
    const running = handlers.deadlockRun(
      {
        scene: 'philosophers',
        philosophers: 3,
        strategy: 'none',
        runs: 1,
        live: true,
        recovery: { policy: 'fewest-held', action: 'terminate' },
      },
      call,
    );
    await waitFor(() => snapshots.some((s) => s.confirmed));
    stop();
    await expect(running).rejects.toMatchObject({ code: LabChannelErrorCode.LAB_RUN_STOPPED });
  }, 120_000);

  it('refuses recovery with a prevention switch, and a malformed banker state, with clear errors', () => {
    const { handlers } = setup();
    expect(() =>
      handlers.deadlockRun(
        { scene: 'transfer', strategy: 'lock-order', runs: 1, recovery: { policy: 'youngest', action: 'terminate' } },
        call,
      ),
    ).toThrow(expect.objectContaining({ code: LabChannelErrorCode.LAB_BAD_OPTIONS }));
    const state = structuredClone(TEXTBOOK_STATE) as never as { allocation: number[][] };
    state.allocation[0]![0] = 9; // above P0's Max of A (7)
    expect(() => handlers.deadlockBanker({ state } as never)).toThrow(
      expect.objectContaining({ code: LabChannelErrorCode.LAB_BAD_OPTIONS }),
    );
    const textbook = handlers.deadlockBanker({
      state: structuredClone(TEXTBOOK_STATE) as never,
      ask: { process: 1, request: [1, 0, 2] },
    });
    expect(textbook.safety.sequence).toEqual([1, 3, 4, 0, 2]);
    expect(textbook.evaluation?.verdict).toBe('granted');
  });

  it('the stall: this thread holds A and is about to wait for B, held by a worker waiting for A', async () => {
    const setupStall = await prepareStall();
    cleanup = setupStall.cancel;
    const { snapshot, detection } = setupStall;
    expect(snapshot.resources.map((r) => r.holders)).toEqual([[STALL_MAIN_THREAD], [1]]);
    expect(snapshot.threads.map((t) => [t.phase, t.waitingFor])).toEqual([
      ['waiting', 1],
      ['waiting', 0],
    ]);
    expect(detection.deadlocked).toBe(true);
    expect(detection.conditions.circularWait.cycles).toEqual([[0, 1]]);
  }, 120_000);
});
