/**
 * The scenes and the prevention switches, as programs: each thread's list of steps (take a lock,
 * pause, work, release). The pure model (lock-program-model.ts) steps these programs; the real
 * workers (lock-worker.ts) run the very same lists against the real lock table, so the two are one
 * program seen twice.
 */
export type Scene = 'philosophers' | 'transfer' | 'audit';

/**
 * How deadlock is dealt with in a run. The four prevention switches (예방) each break exactly one of
 * the four conditions; 'banker' is avoidance (회피); 'none' lets it happen (then detection and
 * recovery, 탐지·복구, or nothing).
 */
export type Strategy = 'none' | 'lock-order' | 'all-or-none' | 'preemption' | 'shareable' | 'banker';

export type Condition = 'mutual-exclusion' | 'hold-and-wait' | 'no-preemption' | 'circular-wait';

export const STRATEGIES: readonly Strategy[] = [
  'none',
  'lock-order',
  'all-or-none',
  'preemption',
  'shareable',
  'banker',
];

/** What each prevention switch breaks, and how (the notes' wording in parentheses). */
export const PREVENTION: Record<Exclude<Strategy, 'none' | 'banker'>, { breaks: Condition; how: string }> = {
  'lock-order': {
    breaks: 'circular-wait',
    how: 'every thread takes its locks in one global order (lowest resource number first): a cycle of waits cannot close (순환대기 조건 제거: 자원에 고유 번호를 매기고 번호 순서대로 요구)',
  },
  'all-or-none': {
    breaks: 'hold-and-wait',
    how: 'take the first lock, then only try the second; if it is taken, give the first back, back off (seeded) and start over: nobody waits while holding (점유 대기 조건 제거)',
  },
  preemption: {
    breaks: 'no-preemption',
    how: 'a waiting thread takes a lock from a holder that is itself waiting, if the holder is younger (a higher number); the holder gives everything back and starts over (비선점 조건 제거)',
  },
  shareable: {
    breaks: 'mutual-exclusion',
    how: 'a read-only resource is taken shared: many holders at once, nobody waits for it (상호 배제 조건 제거: 자원의 공유를 허용); possible only where the use is read-only',
  },
};

export interface SceneResource {
  readonly name: string;
  /** The scene only reads it, so it may be taken shared (the 'shareable' switch). */
  readonly readOnly: boolean;
}

export interface SceneSpec {
  readonly resources: readonly SceneResource[];
  readonly threads: readonly string[];
  /** Each thread's two resources, in the order it takes them without prevention. */
  readonly needs: readonly (readonly [number, number])[];
}

export const MAX_PHILOSOPHERS = 16;

export function sceneSpec(scene: Scene, philosophers = 5): SceneSpec {
  if (scene === 'philosophers') {
    const n = philosophers;
    if (!Number.isInteger(n) || n < 2 || n > MAX_PHILOSOPHERS)
      throw new RangeError(`philosophers must be a whole number from 2 to ${MAX_PHILOSOPHERS} (got ${n})`);
    return {
      resources: Array.from({ length: n }, (_, i) => ({ name: `fork ${i}`, readOnly: false })),
      threads: Array.from({ length: n }, (_, i) => `philosopher ${i}`),
      // Left fork first, then the right one.
      needs: Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const),
    };
  }
  // transfer: two accounts written; audit: two ledgers only read, in opposite orders.
  const [a, b] = scene === 'transfer' ? ['account A', 'account B'] : ['ledger A', 'ledger B'];
  const readOnly = scene === 'audit';
  return {
    resources: [
      { name: a, readOnly },
      { name: b, readOnly },
    ],
    threads: scene === 'transfer' ? ['transfer A->B', 'transfer B->A'] : ['audit A,B', 'audit B,A'],
    needs: [
      [0, 1],
      [1, 0],
    ],
  };
}

/** Whether a strategy can apply to a scene, and if not, why. */
export function applicable(scene: Scene, strategy: Strategy): { ok: true } | { ok: false; reason: string } {
  if (strategy !== 'shareable') return { ok: true };
  return sceneSpec(scene, 2).resources.every((resource) => resource.readOnly)
    ? { ok: true }
    : {
        ok: false,
        reason: `the ${scene} scene writes its resources (${scene === 'philosophers' ? 'a fork is in one hand at a time' : 'a transfer changes both balances'}): they cannot be shared`,
      };
}

export type Step =
  /** Take the lock, waiting while it is held (shared: many holders). */
  | { readonly kind: 'acquire'; readonly resource: number; readonly shared: boolean }
  /** Try the lock once; if held, give back every lock held, back off and start the round over. */
  | { readonly kind: 'try'; readonly resource: number }
  /** The pause between the first and second lock that makes the deadlock likely (seeded length). */
  | { readonly kind: 'gap' }
  /** The critical section (임계 구역): eat, move money, compare ledgers. */
  | { readonly kind: 'work' }
  | { readonly kind: 'release'; readonly resource: number };

/** One round of thread `thread`'s program under `strategy`. */
export function programFor(spec: SceneSpec, strategy: Strategy, thread: number): Step[] {
  const need = spec.needs[thread];
  if (!need) throw new RangeError(`no thread ${thread}`);
  const [first, second] = strategy === 'lock-order' ? [...need].sort((x, y) => x - y) : need;
  const shared = strategy === 'shareable';
  const take = (resource: number): Step => ({
    kind: 'acquire',
    resource,
    shared: shared && spec.resources[resource]!.readOnly,
  });
  return [
    take(first!),
    { kind: 'gap' },
    strategy === 'all-or-none' ? { kind: 'try', resource: second! } : take(second!),
    { kind: 'work' },
    { kind: 'release', resource: second! },
    { kind: 'release', resource: first! },
  ];
}

/** The banker's Max: each thread may hold one unit of each of its two resources. */
export function claimsOf(spec: SceneSpec): number[][] {
  return spec.needs.map((need) => spec.resources.map((_, r) => (need.includes(r) ? 1 : 0)));
}
