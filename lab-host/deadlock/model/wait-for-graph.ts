/**
 * The resource-allocation graph and the wait-for graph (자원 할당 그래프, 대기 그래프), built from a
 * snapshot of the real lock table (lock-table.ts) or of the model (lock-program-model.ts): the same
 * types for both, so the page draws either and the detector judges either. Pure, no I/O.
 *
 * A thread waiting for a resource points at every other thread holding it; a cycle in that graph
 * is 환형 대기 (circular wait), and with single-instance locks it is a deadlock (교착 상태).
 */
export type ThreadPhase = 'running' | 'waiting' | 'done' | 'ended';

export interface ResourceSnapshot {
  readonly id: number;
  readonly name: string;
  /** Held by many at once (a read-only use): 상호 배제 does not hold for it. */
  readonly shareable: boolean;
  /** Its lock may be taken from a waiting holder: 비선점 does not hold for it. */
  readonly preemptible: boolean;
  /** Thread ids holding it now. */
  readonly holders: readonly number[];
}

export interface ThreadSnapshot {
  readonly id: number;
  readonly name: string;
  readonly phase: ThreadPhase;
  /** The resource it is blocked on, if any. */
  readonly waitingFor: number | null;
}

export interface LockTableSnapshot {
  readonly resources: readonly ResourceSnapshot[];
  readonly threads: readonly ThreadSnapshot[];
  /** The table's change counter when taken: two snapshots with the same version saw the same table. */
  readonly version: number;
}

export interface GraphEdge {
  /** 'request': thread -> resource it waits for; 'assignment': resource -> thread holding it. */
  readonly kind: 'request' | 'assignment';
  readonly thread: number;
  readonly resource: number;
}

/** Edges of the resource-allocation graph, requests first. */
export function allocationEdges(snapshot: LockTableSnapshot): GraphEdge[] {
  const requests = snapshot.threads
    .filter((thread) => thread.waitingFor !== null)
    .map((thread): GraphEdge => ({ kind: 'request', thread: thread.id, resource: thread.waitingFor! }));
  const assignments = snapshot.resources.flatMap((resource) =>
    resource.holders.map((holder): GraphEdge => ({ kind: 'assignment', thread: holder, resource: resource.id })),
  );
  return [...requests, ...assignments];
}

/** The wait-for graph: `waitsFor[t]` lists the threads t waits for (sorted, no duplicates). */
export function waitForGraph(snapshot: LockTableSnapshot): Map<number, number[]> {
  const holders = new Map(snapshot.resources.map((resource) => [resource.id, resource.holders]));
  const graph = new Map<number, number[]>();
  for (const thread of snapshot.threads) {
    const waited = thread.waitingFor === null ? [] : (holders.get(thread.waitingFor) ?? []);
    graph.set(
      thread.id,
      [...new Set(waited.filter((holder) => holder !== thread.id))].sort((a, b) => a - b),
    );
  }
  return graph;
}

export interface CycleSearch {
  /** Every elementary cycle, each starting at its smallest node, in the order found. */
  readonly cycles: number[][];
  /** True when the search stopped at `limit` cycles. */
  readonly truncated: boolean;
}

/**
 * Every elementary cycle of a directed graph: from each start node s, a depth-first search through
 * nodes greater than s only, so each cycle is found once, from its smallest node. Exponential in the
 * worst case, hence `limit`; wait-for graphs of locks are sparse and small.
 */
export function findCycles(graph: ReadonlyMap<number, readonly number[]>, limit = 1000): CycleSearch {
  const cycles: number[][] = [];
  const nodes = [...graph.keys()].sort((a, b) => a - b);
  for (const start of nodes) {
    const path = [start];
    const onPath = new Set(path);
    // Each frame: a node and the index of the next successor to try.
    const stack: { node: number; next: number }[] = [{ node: start, next: 0 }];
    while (stack.length) {
      const frame = stack.at(-1)!;
      const successors = graph.get(frame.node) ?? [];
      if (frame.next >= successors.length) {
        stack.pop();
        onPath.delete(path.pop()!);
        continue;
      }
      const to = successors[frame.next++]!;
      if (to === start) {
        cycles.push([...path]);
        if (cycles.length >= limit) return { cycles, truncated: true };
      } else if (to > start && !onPath.has(to) && graph.has(to)) {
        path.push(to);
        onPath.add(to);
        stack.push({ node: to, next: 0 });
      }
    }
  }
  return { cycles, truncated: false };
}

/** Where each of the four conditions (발생 조건) holds in a snapshot. */
export interface DeadlockConditions {
  /** 상호 배제: exclusive resources held while another thread waits for them. */
  readonly mutualExclusion: { readonly holds: boolean; readonly resources: readonly number[] };
  /** 점유 대기: threads holding at least one resource while waiting for another. */
  readonly holdAndWait: { readonly holds: boolean; readonly threads: readonly number[] };
  /** 비선점: held resources someone waits for whose lock cannot be taken away. */
  readonly noPreemption: { readonly holds: boolean; readonly resources: readonly number[] };
  /** 환형 대기: the cycles of the wait-for graph (thread ids). */
  readonly circularWait: { readonly holds: boolean; readonly cycles: readonly (readonly number[])[] };
}

export interface Detection {
  readonly deadlocked: boolean;
  /** Threads on some cycle. */
  readonly threads: readonly number[];
  readonly conditions: DeadlockConditions;
  readonly truncated: boolean;
}

/** The detector (탐지): cycles of the wait-for graph, and where each condition holds. */
export function detectDeadlock(snapshot: LockTableSnapshot, limit = 1000): Detection {
  const { cycles, truncated } = findCycles(waitForGraph(snapshot), limit);
  const waited = new Set(snapshot.threads.map((thread) => thread.waitingFor).filter((id) => id !== null));
  const contended = snapshot.resources.filter((resource) => resource.holders.length > 0 && waited.has(resource.id));
  const holding = new Set(snapshot.resources.flatMap((resource) => resource.holders));
  const mutualExclusion = contended.filter((resource) => !resource.shareable).map((resource) => resource.id);
  const holdAndWait = snapshot.threads
    .filter((thread) => thread.waitingFor !== null && holding.has(thread.id))
    .map((thread) => thread.id);
  const noPreemption = contended.filter((resource) => !resource.preemptible).map((resource) => resource.id);
  const onCycle = [...new Set(cycles.flat())].sort((a, b) => a - b);
  return {
    deadlocked: cycles.length > 0,
    threads: onCycle,
    truncated,
    conditions: {
      mutualExclusion: { holds: mutualExclusion.length > 0, resources: mutualExclusion },
      holdAndWait: { holds: holdAndWait.length > 0, threads: holdAndWait },
      noPreemption: { holds: noPreemption.length > 0, resources: noPreemption },
      circularWait: { holds: cycles.length > 0, cycles },
    },
  };
}

/** A cycle written from its smallest node, so two detections can be compared. */
export function canonicalCycle(cycle: readonly number[]): number[] {
  if (cycle.length === 0) return [];
  const at = cycle.indexOf(Math.min(...cycle));
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}
