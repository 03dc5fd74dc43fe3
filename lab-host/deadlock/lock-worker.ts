/**
 * One thread of a scene (a philosopher, a transfer, an auditor): runs its program (programs.ts)
 * against the real lock table, run after run, as the runner (runner.ts) asks. The program runs
 * synchronously: a blocked thread is blocked in Atomics.wait, for real; every wait is a slice, so
 * the abort word ends it.
 */
import { parentPort } from 'node:worker_threads';
import { evaluateRequest } from './model/banker.ts';
import { LockTable, Phase } from './lock-table.ts';
import type { LockWorkerRequest, LockWorkerReply } from './lock-worker-messages.ts';
import { deriveSeed, seededRandom } from '../../protocol/experiments/stats.ts';

class Aborted extends Error {}

function runProgram(request: LockWorkerRequest): LockWorkerReply {
  const { thread: t, program, rounds, timing, strategy, claims } = request;
  const table = new LockTable(request.buffer, request.shape);
  const random = seededRandom(deriveSeed(request.seed, `thread ${t}`));
  const between = ([min, max]: readonly [number, number]) => min + random() * (max - min);
  const checkAbort = () => {
    if (table.aborted) throw new Aborted();
  };
  /** Sleeps in slices, so an abort ends it. */
  const pause = (ms: number) => {
    for (let left = ms; left > 0; left -= timing.sliceMs) {
      checkAbort();
      table.sleep(Math.min(left, timing.sliceMs));
    }
  };
  /** Preempted (by the switch, or rolled back by recovery): give everything back, start the round over. */
  const giveBack = () => {
    const released = table.releaseAll(t);
    if (strategy === 'banker') for (const r of released) bankerRelease(r);
    table.setWaitingFor(t, null);
    table.setPhase(t, Phase.running);
    table.countRestart(t);
    pause(between(timing.backoffMs));
  };
  const startWaiting = (resource: number) => {
    table.setWaitingFor(t, resource);
    table.swapPhase(t, Phase.running, Phase.waiting);
  };
  /** Got the lock while marked waiting: go on running, unless someone preempted us meanwhile. */
  const stopWaiting = (): boolean => {
    table.setWaitingFor(t, null);
    return table.phase(t) === Phase.running || table.swapPhase(t, Phase.waiting, Phase.running);
  };

  const bankerRelease = (resource: number) => {
    table.lockBooks();
    table.book(t, resource, -1);
    table.unlockBooks();
    table.bumpBankerGeneration();
  };

  /** The banker's gate: books the unit only when the state after it is safe; else waits for a release. */
  const bankerAcquire = (resource: number) => {
    let waiting = false;
    for (;;) {
      checkAbort();
      const generation = table.bankerGeneration();
      table.lockBooks();
      const state = {
        processes: claims.map((_, p) => `T${p}`),
        resources: claims[0]!.map((_, r) => `R${r}`),
        max: claims,
        allocation: table.allocation(),
        available: table.available(),
      };
      const request = state.resources.map((_, r) => (r === resource ? 1 : 0));
      const granted = evaluateRequest(state, t, request).verdict === 'granted';
      if (granted) table.book(t, resource, 1);
      table.unlockBooks();
      if (granted) break;
      if (!waiting) startWaiting(resource);
      waiting = true;
      table.waitBanker(generation, timing.sliceMs);
      table.countSlice(t);
    }
    // Booked: the lock is free or its holder is releasing it now (it releases before un-booking).
    while (!table.tryTake(resource, t)) {
      checkAbort();
      table.waitOnResource(resource, table.holderBits(resource), timing.sliceMs);
    }
    if (waiting) stopWaiting();
  };

  /** A blocking take; false when preempted while waiting (the caller starts the round over). */
  const acquire = (resource: number, shared: boolean): boolean => {
    if (shared) {
      table.takeShared(resource, t);
      return true;
    }
    if (strategy === 'banker') {
      bankerAcquire(resource);
      return true;
    }
    let waiting = false;
    for (;;) {
      checkAbort();
      if (table.tryTake(resource, t)) {
        if (!waiting || stopWaiting()) return true;
        giveBack();
        return false;
      }
      if (!waiting) startWaiting(resource);
      waiting = true;
      if (table.phase(t) === Phase.preempted) {
        giveBack();
        return false;
      }
      const bits = table.holderBits(resource);
      if (strategy === 'preemption') preemptIfYounger(resource, bits);
      if (bits !== 0) table.waitOnResource(resource, bits, timing.sliceMs);
      table.countSlice(t);
    }
  };

  /** The preemption switch: take the lock from a younger holder that is itself waiting. */
  const preemptIfYounger = (resource: number, bits: number) => {
    const holder = 31 - Math.clz32(bits); // the highest holder bit
    if (bits === 0 || holder <= t || table.phase(holder) !== Phase.waiting) return;
    if (!table.swapPhase(holder, Phase.waiting, Phase.preempted)) return;
    // The victim is now bound to give everything back; wake it where it waits.
    const victimWaits = table.waitingFor(holder);
    if (victimWaits !== null) table.wakeResource(victimWaits);
  };

  table.setPhase(t, Phase.running);
  parentPort!.postMessage({ type: 'ready' } satisfies LockWorkerReply);
  while (!table.waitGate(timing.sliceMs)) checkAbort();

  for (let round = 0; round < rounds; round++) {
    for (let pc = 0; pc < program.length;) {
      checkAbort();
      const step = program[pc]!;
      if (step.kind === 'acquire') {
        if (!acquire(step.resource, step.shared)) {
          pc = 0;
          continue;
        }
      } else if (step.kind === 'try') {
        if (!table.tryTake(step.resource, t)) {
          for (const r of table.releaseAll(t)) if (strategy === 'banker') bankerRelease(r);
          table.countRestart(t);
          pause(between(timing.backoffMs));
          pc = 0;
          continue;
        }
      } else if (step.kind === 'gap') pause(between(timing.gapMs));
      else if (step.kind === 'work') {
        pause(timing.workMs);
        table.countWork(t);
      } else {
        table.release(step.resource, t);
        if (strategy === 'banker') bankerRelease(step.resource);
      }
      pc++;
    }
  }
  table.setPhase(t, Phase.done);
  return { type: 'finished', work: table.work(t), restarts: table.restarts(t) };
}

parentPort!.on('message', (request: LockWorkerRequest) => {
  let reply: LockWorkerReply;
  try {
    reply = runProgram(request);
  } catch (error) {
    reply =
      error instanceof Aborted
        ? { type: 'aborted', work: 0, restarts: 0 }
        : { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(reply);
});
