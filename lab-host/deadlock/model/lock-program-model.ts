/**
 * A pure model of a scene's threads running their programs (programs.ts) over single-instance
 * locks: each step one thread does one thing (take, try, pause, work, release, or take a lock from a
 * waiting holder under the preemption switch). Seeded, steppable forward and back, no I/O; its
 * snapshots are the same `LockTableSnapshot` the real lock table gives, so one detector judges both,
 * and `exploreAll` lists every deadlocked state any schedule reaches (none under each switch).
 */
import { evaluateRequest, type BankerState } from './banker.ts';
import { claimsOf, programFor, sceneSpec, type Scene, type SceneSpec, type Step, type Strategy } from './programs.ts';
import type { LockTableSnapshot } from './wait-for-graph.ts';
import { seededRandom } from '../../../protocol/experiments/stats.ts';

export interface LockModelConfig {
  readonly scene: Scene;
  readonly strategy: Strategy;
  /** Philosophers at the table (the philosophers scene only). */
  readonly philosophers?: number;
  /** Times each thread runs its program. */
  readonly rounds: number;
}

export interface ModelThreadState {
  /** The next step of the program. */
  readonly pc: number;
  readonly round: number;
}

export interface LockModelState {
  /** holders[r]: the threads holding resource r, ascending. */
  readonly holders: readonly (readonly number[])[];
  readonly threads: readonly ModelThreadState[];
}

export type ModelAction =
  | { readonly thread: number; readonly kind: 'step' }
  /** `thread` takes every lock from `victim`, which starts its round over. */
  | { readonly thread: number; readonly kind: 'preempt'; readonly victim: number };

export class LockModelSetup {
  readonly spec: SceneSpec;
  readonly programs: readonly (readonly Step[])[];
  readonly claims: number[][];

  constructor(readonly config: LockModelConfig) {
    if (!Number.isInteger(config.rounds) || config.rounds < 1 || config.rounds > 100)
      throw new RangeError(`rounds must be a whole number from 1 to 100 (got ${config.rounds})`);
    this.spec = sceneSpec(config.scene, config.philosophers ?? 5);
    this.programs = this.spec.threads.map((_, t) => programFor(this.spec, config.strategy, t));
    this.claims = claimsOf(this.spec);
  }

  initial(): LockModelState {
    return {
      holders: this.spec.resources.map(() => []),
      threads: this.spec.threads.map(() => ({ pc: 0, round: 0 })),
    };
  }

  done(state: LockModelState, thread: number): boolean {
    return state.threads[thread]!.round >= this.config.rounds;
  }

  /** The resource `thread` is blocked on now, or null (running, or done). */
  blockedOn(state: LockModelState, thread: number): number | null {
    if (this.done(state, thread)) return null;
    const step = this.programs[thread]![state.threads[thread]!.pc]!;
    if (step.kind !== 'acquire' || step.shared) return null;
    if (state.holders[step.resource]!.length > 0) return step.resource;
    if (this.config.strategy === 'banker' && !this.bankerGrants(state, thread, step.resource)) return step.resource;
    return null;
  }

  /** The banker's answer to "may `thread` have one unit of `resource` now?". */
  bankerGrants(state: LockModelState, thread: number, resource: number): boolean {
    const banker: BankerState = {
      processes: this.spec.threads,
      resources: this.spec.resources.map((r) => r.name),
      max: this.claims,
      allocation: this.spec.threads.map((_, t) =>
        this.spec.resources.map((_, r) => (state.holders[r]!.includes(t) ? 1 : 0)),
      ),
      available: state.holders.map((holders) => (holders.length ? 0 : 1)),
    };
    const request = this.spec.resources.map((_, r) => (r === resource ? 1 : 0));
    return evaluateRequest(banker, thread, request).verdict === 'granted';
  }

  actions(state: LockModelState): ModelAction[] {
    const actions: ModelAction[] = [];
    for (let t = 0; t < this.spec.threads.length; t++) {
      if (this.done(state, t)) continue;
      const blocked = this.blockedOn(state, t);
      if (blocked === null) {
        actions.push({ thread: t, kind: 'step' });
        continue;
      }
      // Preemption (the switch): a younger holder that is itself waiting gives its locks up.
      if (this.config.strategy === 'preemption')
        for (const holder of state.holders[blocked]!)
          if (holder > t && this.blockedOn(state, holder) !== null)
            actions.push({ thread: t, kind: 'preempt', victim: holder });
    }
    return actions;
  }

  apply(state: LockModelState, action: ModelAction): LockModelState {
    const holders = state.holders.map((list) => [...list]);
    const threads = [...state.threads];
    const releaseAll = (thread: number) => {
      for (const list of holders) {
        const at = list.indexOf(thread);
        if (at >= 0) list.splice(at, 1);
      }
    };
    if (action.kind === 'preempt') {
      releaseAll(action.victim);
      threads[action.victim] = { ...threads[action.victim]!, pc: 0 };
      return { holders, threads };
    }
    const t = action.thread;
    const { pc, round } = threads[t]!;
    const program = this.programs[t]!;
    const step = program[pc]!;
    let next = pc + 1;
    if (step.kind === 'acquire') holders[step.resource] = [...holders[step.resource]!, t].sort((a, b) => a - b);
    else if (step.kind === 'try') {
      if (holders[step.resource]!.length === 0) holders[step.resource]!.push(t);
      else {
        releaseAll(t);
        next = 0;
      }
    } else if (step.kind === 'release') holders[step.resource] = holders[step.resource]!.filter((h) => h !== t);
    threads[t] = next >= program.length ? { pc: 0, round: round + 1 } : { pc: next, round };
    return { holders, threads };
  }

  /** The lock table this state stands for, as the real table's snapshot would show it. */
  snapshot(state: LockModelState, version = 0): LockTableSnapshot {
    return {
      version,
      resources: this.spec.resources.map((resource, id) => ({
        id,
        name: resource.name,
        shareable: this.config.strategy === 'shareable' && resource.readOnly,
        preemptible: this.config.strategy === 'preemption',
        holders: state.holders[id]!,
      })),
      threads: this.spec.threads.map((name, id) => {
        const waitingFor = this.blockedOn(state, id);
        return {
          id,
          name,
          phase: this.done(state, id) ? 'done' : waitingFor !== null ? 'waiting' : 'running',
          waitingFor,
        };
      }),
    };
  }

  /** Stuck: some thread is not done and none can move. */
  deadlocked(state: LockModelState): boolean {
    return this.actions(state).length === 0 && state.threads.some((_, t) => !this.done(state, t));
  }
}

/** Who holds what and who waits for what: what two snapshots must share to be the same table. */
export function tableKey(snapshot: LockTableSnapshot): string {
  return JSON.stringify([
    snapshot.resources.map((resource) => [...resource.holders].sort((a, b) => a - b)),
    snapshot.threads.map((thread) => thread.waitingFor),
  ]);
}

export interface Exploration {
  readonly states: number;
  /** Distinct deadlocked tables (tableKey) any schedule reaches. */
  readonly deadlocks: readonly LockTableSnapshot[];
  /** One schedule reaching the first deadlock found (empty when none). */
  readonly scheduleToDeadlock: readonly ModelAction[];
}

/** Every reachable state, depth first over distinct states. */
export function exploreAll(config: LockModelConfig, maxStates = 2_000_000): Exploration {
  const setup = new LockModelSetup(config);
  const visited = new Set<string>();
  const deadlocks = new Map<string, LockTableSnapshot>();
  let scheduleToDeadlock: ModelAction[] = [];
  const stack: { state: LockModelState; schedule: ModelAction[] }[] = [{ state: setup.initial(), schedule: [] }];
  while (stack.length) {
    const { state, schedule } = stack.pop()!;
    const key = JSON.stringify(state);
    if (visited.has(key)) continue;
    if (visited.size >= maxStates) throw new Error(`more than ${maxStates} states: choose a smaller scene`);
    visited.add(key);
    if (setup.deadlocked(state)) {
      const snapshot = setup.snapshot(state);
      if (deadlocks.size === 0) scheduleToDeadlock = schedule;
      deadlocks.set(tableKey(snapshot), snapshot);
      continue;
    }
    for (const action of setup.actions(state))
      stack.push({ state: setup.apply(state, action), schedule: [...schedule, action] });
  }
  return { states: visited.size, deadlocks: [...deadlocks.values()], scheduleToDeadlock };
}

/**
 * The model you step through: forward by a seeded scheduler or by naming the action, back one step
 * at a time (every state is kept). Counts restarts (a failed try, a preemption) as it goes.
 */
export class LockModel {
  readonly setup: LockModelSetup;
  private readonly states: LockModelState[];
  private readonly taken: ModelAction[] = [];

  constructor(
    config: LockModelConfig,
    readonly seed = 1,
  ) {
    this.setup = new LockModelSetup(config);
    this.states = [this.setup.initial()];
  }

  get state(): LockModelState {
    return this.states.at(-1)!;
  }

  get schedule(): readonly ModelAction[] {
    return this.taken;
  }

  get finished(): boolean {
    return this.state.threads.every((_, t) => this.setup.done(this.state, t));
  }

  get deadlocked(): boolean {
    return this.setup.deadlocked(this.state);
  }

  /** Round restarts so far: failed tries and preemptions. */
  get restarts(): number {
    let restarts = 0;
    this.taken.forEach((action, i) => {
      const before = this.states[i]!;
      const after = this.states[i + 1]!;
      if (action.kind === 'preempt') restarts++;
      else if (
        after.threads[action.thread]!.pc === 0 &&
        after.threads[action.thread]!.round === before.threads[action.thread]!.round
      )
        restarts++;
    });
    return restarts;
  }

  snapshot(): LockTableSnapshot {
    return this.setup.snapshot(this.state, this.taken.length);
  }

  step(action?: ModelAction): boolean {
    const choices = this.setup.actions(this.state);
    if (choices.length === 0) return false;
    let chosen =
      choices[Math.floor(seededRandom(Math.imul(this.seed, 0x9e3779b1) ^ this.taken.length)() * choices.length)]!;
    if (action) {
      const match = choices.find((choice) => JSON.stringify(choice) === JSON.stringify(action));
      if (!match) return false;
      chosen = match;
    }
    this.states.push(this.setup.apply(this.state, chosen));
    this.taken.push(chosen);
    return true;
  }

  back(): boolean {
    if (this.states.length === 1) return false;
    this.states.pop();
    this.taken.pop();
    return true;
  }

  /** Steps until finished or stuck (or maxSteps, a livelock guard). */
  run(maxSteps = 100_000): 'finished' | 'deadlocked' | 'gave-up' {
    for (let i = 0; i < maxSteps && this.step(); i++);
    return this.finished ? 'finished' : this.deadlocked ? 'deadlocked' : 'gave-up';
  }
}
