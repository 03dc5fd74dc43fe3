// The detector against references: Tarjan's strongly connected components (the nodes on some cycle)
// and brute force (every elementary cycle), over random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocationEdges,
  canonicalCycle,
  detectDeadlock,
  findCycles,
  waitForGraph,
  type LockTableSnapshot,
} from './wait-for-graph.ts';

/** Tarjan's SCC: the nodes that lie on some cycle (a component of two or more, or a self-loop). */
function nodesOnCyclesByTarjan(graph: ReadonlyMap<number, readonly number[]>): number[] {
  let index = 0;
  const indices = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  const result: number[] = [];
  const connect = (node: number): void => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!indices.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, indices.get(to)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: number[] = [];
      let popped: number;
      do {
        popped = stack.pop()!;
        onStack.delete(popped);
        component.push(popped);
      } while (popped !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) result.push(...component);
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) connect(node);
  return result.sort((a, b) => a - b);
}

/** Brute force: every sequence of distinct nodes starting at its smallest, kept when all its edges exist. */
function countCyclesByBruteForce(graph: ReadonlyMap<number, readonly number[]>): number {
  const nodes = [...graph.keys()];
  const edge = (a: number, b: number) => (graph.get(a) ?? []).includes(b);
  const isCycle = (path: number[]) => path.every((node, i) => edge(node, path[(i + 1) % path.length]!));
  let count = 0;
  const extend = (path: number[]): void => {
    if (isCycle(path)) count++;
    for (const next of nodes) if (next > path[0]! && !path.includes(next)) extend([...path, next]);
  };
  for (const start of nodes) extend([start]);
  return count;
}

const randomGraph = (maxNodes: number) =>
  fc.integer({ min: 1, max: maxNodes }).chain((size) =>
    fc
      .array(fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: size }), {
        minLength: size,
        maxLength: size,
      })
      .map((lists) => new Map(lists.map((successors, node) => [node, successors.sort((a, b) => a - b)]))),
  );

describe('findCycles', () => {
  it('finds exactly the nodes Tarjan puts on cycles, over random graphs', () => {
    fc.assert(
      fc.property(randomGraph(9), (graph) => {
        const { cycles, truncated } = findCycles(graph, 100_000);
        expect(truncated).toBe(false);
        expect([...new Set(cycles.flat())].sort((a, b) => a - b)).toEqual(nodesOnCyclesByTarjan(graph));
      }),
      { numRuns: 400 },
    );
  });

  it('every cycle it reports is real, none twice, and none missed (brute force)', () => {
    fc.assert(
      fc.property(randomGraph(6), (graph) => {
        const { cycles } = findCycles(graph, 100_000);
        for (const cycle of cycles) {
          expect(new Set(cycle).size).toBe(cycle.length);
          cycle.forEach((node, i) => expect(graph.get(node)).toContain(cycle[(i + 1) % cycle.length]));
          expect(canonicalCycle(cycle)).toEqual(cycle);
        }
        expect(new Set(cycles.map((cycle) => cycle.join(','))).size).toBe(cycles.length);
        expect(cycles.length).toBe(countCyclesByBruteForce(graph));
      }),
      { numRuns: 400 },
    );
  });

  it('stops at the limit and says so', () => {
    const complete = new Map([0, 1, 2, 3, 4].map((n) => [n, [0, 1, 2, 3, 4].filter((m) => m !== n)]));
    expect(findCycles(complete, 5)).toMatchObject({ truncated: true });
    expect(findCycles(complete, 5).cycles).toHaveLength(5);
  });
});

/** Five philosophers each holding the fork on the left and waiting for the one on the right. */
const philosophersDeadlocked = (shareable = false): LockTableSnapshot => ({
  version: 10,
  resources: [0, 1, 2, 3, 4].map((id) => ({ id, name: `fork ${id}`, shareable, preemptible: false, holders: [id] })),
  threads: [0, 1, 2, 3, 4].map((id) => ({ id, name: `P${id}`, phase: 'waiting', waitingFor: (id + 1) % 5 })),
});

describe('detectDeadlock', () => {
  it('finds the philosophers cycle and all four conditions, each where it holds', () => {
    const snapshot = philosophersDeadlocked();
    expect(allocationEdges(snapshot)).toHaveLength(10);
    expect(waitForGraph(snapshot).get(4)).toEqual([0]);
    const detection = detectDeadlock(snapshot);
    expect(detection.deadlocked).toBe(true);
    expect(detection.threads).toEqual([0, 1, 2, 3, 4]);
    expect(detection.conditions).toEqual({
      mutualExclusion: { holds: true, resources: [0, 1, 2, 3, 4] },
      holdAndWait: { holds: true, threads: [0, 1, 2, 3, 4] },
      noPreemption: { holds: true, resources: [0, 1, 2, 3, 4] },
      circularWait: { holds: true, cycles: [[0, 1, 2, 3, 4]] },
    });
  });

  it('a chain of waits is no deadlock; a shareable resource takes mutual exclusion away', () => {
    const chain: LockTableSnapshot = {
      ...philosophersDeadlocked(),
      threads: philosophersDeadlocked().threads.map((thread) =>
        thread.id === 4 ? { ...thread, phase: 'running', waitingFor: null } : thread,
      ),
    };
    const detection = detectDeadlock(chain);
    expect(detection.deadlocked).toBe(false);
    expect(detection.conditions.holdAndWait.threads).toEqual([0, 1, 2, 3]);
    expect(detectDeadlock(philosophersDeadlocked(true)).conditions.mutualExclusion).toEqual({
      holds: false,
      resources: [],
    });
  });
});
