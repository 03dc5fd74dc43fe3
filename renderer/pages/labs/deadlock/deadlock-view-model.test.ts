// The deadlock page's view model over a real recorded run (testing/recorded-result.json: `npx tsx
// lab-host/deadlock/cli.ts --quick --runs 2`, real threads on this machine), and every text key the
// view asks for present in both languages.
import { describe, expect, it } from 'vitest';
import { compileChecker } from '../../../../protocol/rpc/schema.ts';
import { DeadlockLabResult } from '../../../../protocol/labs/deadlock-result.ts';
import enDeadlock from '../i18n/en/deadlock.json';
import koDeadlock from '../i18n/ko/deadlock.json';
import recorded from './testing/recorded-result.json';
import {
  agingSummary,
  allocationGraph,
  conditionRows,
  deriveNeed,
  formatRate,
  histogramBars,
  nextStall,
  parseCount,
  rateRow,
  safetyView,
  STALL_IDLE,
  stallSeconds,
  TEXTBOOK_FORM,
} from './deadlock-view-model.ts';

const result = recorded as unknown as DeadlockLabResult;

describe('the deadlock page view model', () => {
  it('reads a real recorded run that the schema accepts', () => {
    const checker = compileChecker(DeadlockLabResult);
    expect(checker.check(result), checker.check(result) ? '' : checker.explain(result)).toBe(true);
  });

  it('draws the real deadlocked table of five philosophers as a ring, every edge of it on the cycle', () => {
    const row = result.strategies.find((r) => r.scene === 'philosophers' && r.strategy === 'none')!;
    const example = row.example!;
    const graph = allocationGraph(example.snapshot, example.detection);
    expect(graph.nodes.filter((n) => n.kind === 'thread')).toHaveLength(5);
    expect(graph.nodes.filter((n) => n.kind === 'resource')).toHaveLength(5);
    // Each philosopher holds one fork and waits for the next: 5 assignment + 5 request edges, all on the cycle.
    expect(graph.edges.filter((e) => e.kind === 'assignment' && e.onCycle)).toHaveLength(5);
    expect(graph.edges.filter((e) => e.kind === 'request' && e.onCycle)).toHaveLength(5);
    expect(graph.nodes.every((n) => n.onCycle)).toBe(true);
    expect(graph.cycles).toEqual([
      ['philosopher 0', 'philosopher 1', 'philosopher 2', 'philosopher 3', 'philosopher 4'],
    ]);
    // Laid out on the circle inside the box, alternating thread and resource.
    for (const node of graph.nodes) {
      expect(node.x).toBeGreaterThan(0);
      expect(node.x).toBeLessThan(graph.width);
    }
    expect(graph.nodes.map((n) => n.kind).slice(0, 4)).toEqual(['resource', 'thread', 'resource', 'thread']);
    // Every edge of the ring joins neighbours on the circle (no chord across it).
    const slot = new Map(graph.nodes.map((n, i) => [n.key, i]));
    for (const edge of graph.edges) {
      const apart = Math.abs(slot.get(edge.from)! - slot.get(edge.to)!);
      expect(Math.min(apart, graph.nodes.length - apart), edge.key).toBe(1);
    }
    const rows = conditionRows(example.snapshot, example.detection);
    expect(rows.map((r) => [r.id, r.holds])).toEqual([
      ['mutual-exclusion', true],
      ['hold-and-wait', true],
      ['no-preemption', true],
      ['circular-wait', true],
    ]);
    expect(rows[3]!.where[0]).toBe(
      'philosopher 0 → philosopher 1 → philosopher 2 → philosopher 3 → philosopher 4 → philosopher 0',
    );
  });

  it('lights nothing when the table has no cycle (a holder that waits for nobody)', () => {
    const example = result.strategies.find((r) => r.scene === 'transfer' && r.strategy === 'none')!.example!;
    // The same table with one thread no longer waiting: the cycle is open.
    const snapshot = {
      ...example.snapshot,
      threads: example.snapshot.threads.map((t, i) =>
        i === 0 ? { ...t, phase: 'running' as const, waitingFor: null } : t,
      ),
    };
    const detection = {
      ...example.detection,
      deadlocked: false,
      threads: [],
      conditions: {
        ...example.detection.conditions,
        circularWait: { holds: false, cycles: [] },
        holdAndWait: { holds: true, threads: [1] },
      },
    };
    const graph = allocationGraph(snapshot, detection);
    expect(graph.edges.some((e) => e.onCycle)).toBe(false);
    expect(graph.edges.filter((e) => e.kind === 'request')).toHaveLength(1);
    expect(conditionRows(snapshot, detection).find((r) => r.id === 'circular-wait')!.holds).toBe(false);
  });

  it('shows the measured rates: above zero without prevention, zero with each switch', () => {
    const rows = result.strategies.filter((r) => r.scene === 'philosophers').map(rateRow);
    expect(rows.find((r) => r.strategy === 'none')!.deadlocks).toBeGreaterThan(0);
    for (const row of rows.filter((r) => r.strategy !== 'none' && r.applicable))
      expect(row.deadlocks, row.strategy).toBe(0);
    expect(formatRate({ deadlocks: 3, runs: 10, rate: 0.3 })).toBe('3/10 (30%)');
  });

  it("derives Need, reads typed cells, and steps the banker's safety check", () => {
    expect(deriveNeed(TEXTBOOK_FORM).need).toEqual(result.banker.need);
    expect(deriveNeed({ ...TEXTBOOK_FORM, max: [[0, 0, 0], ...TEXTBOOK_FORM.max.slice(1)] }).overClaimed).toEqual([
      { process: 0, resource: 1 },
    ]);
    expect([parseCount('7'), parseCount(' 12 '), parseCount('-1'), parseCount('1.5'), parseCount('x')]).toEqual([
      7,
      12,
      null,
      null,
      null,
    ]);
    // The textbook's safety check as the lab host's model makes it: replayed from its recorded steps count.
    const steps = result.banker.steps;
    expect(steps).toBeGreaterThan(5);
  });

  it('follows a safety check step by step: Work grows by each finished row, the sequence as it goes', () => {
    const safety = {
      safe: true,
      sequence: [1, 0],
      steps: [
        { kind: 'compare' as const, process: 0, need: [2], work: [1], fits: false },
        { kind: 'compare' as const, process: 1, need: [1], work: [1], fits: true },
        { kind: 'finish' as const, process: 1, work: [3] },
        { kind: 'compare' as const, process: 0, need: [2], work: [3], fits: true },
        { kind: 'finish' as const, process: 0, work: [4] },
      ],
      work: [4],
      reason: '',
    };
    expect(safetyView(safety, [1], 2, 0)).toMatchObject({ work: [1], finish: [false, false], current: null });
    expect(safetyView(safety, [1], 2, 1)).toMatchObject({ current: { process: 0, kind: 'compare', fits: false } });
    expect(safetyView(safety, [1], 2, 3)).toMatchObject({ work: [3], finish: [false, true], sequence: [1] });
    expect(safetyView(safety, [1], 2, 99)).toMatchObject({ shown: 5, done: true, work: [4], sequence: [1, 0] });
  });

  it('draws the recorded wait histograms of both runs on the same buckets, and p99 falls with aging', () => {
    const { off, on } = result.starvation;
    const bars = histogramBars(off, on);
    const offBars = bars.filter((b) => b.aging === 'off');
    const onBars = bars.filter((b) => b.aging === 'on');
    expect(offBars.map((b) => b.bucket)).toEqual(onBars.map((b) => b.bucket));
    expect(offBars.reduce((sum, b) => sum + b.count, 0)).toBe(off.all.count);
    expect(onBars.reduce((sum, b) => sum + b.count, 0)).toBe(on.all.count);
    expect(offBars[0]!.bucket).toBe('0');
    // The empty tail up to the horizon is left out.
    expect(bars.at(-1)!.count + bars.at(offBars.length - 1)!.count).toBeGreaterThan(0);
    const summary = agingSummary(off, on);
    expect(summary.p99On).toBeLessThan(summary.p99Off);
    expect(summary.p99Ratio).toBeLessThan(1);
  });

  it('tells the stall from the browser watchdog: stalled, host ended, a new host', () => {
    let state = nextStall(STALL_IDLE, { type: 'start' });
    // A labHostChanged before the stall began is someone else's restart.
    expect(nextStall(state, { type: 'host-changed', running: false, at: 5 }).phase).toBe('starting');
    state = nextStall(state, { type: 'stalled', pid: 100, at: 1000 });
    state = nextStall(state, { type: 'host-changed', running: false, at: 6200 });
    expect(state).toMatchObject({ phase: 'host-ended', stalledPid: 100 });
    expect(stallSeconds(state)).toBe('5.2');
    state = nextStall(state, { type: 'host-changed', running: true, at: 7000 });
    state = nextStall(state, { type: 'new-host', pid: 101 });
    expect(state).toMatchObject({ phase: 'restarted', stalledPid: 100, newPid: 101 });
    // Missing the "ended" word (the page reconnected late) still reads as a restart.
    const late = nextStall(nextStall(nextStall(STALL_IDLE, { type: 'start' }), { type: 'stalled', pid: 1, at: 0 }), {
      type: 'host-changed',
      running: true,
      at: 3000,
    });
    expect(late.phase).toBe('restarted');
  });
});

describe("the deadlock page's texts", () => {
  const leaves = (value: unknown, prefix = ''): string[] =>
    typeof value === 'string'
      ? [prefix]
      : Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
          leaves(inner, prefix ? `${prefix}.${key}` : key),
        );

  it('has every literal key the view asks for (tx), in English and Korean', () => {
    // The view's code as text (Vite reads it for the test).
    const sources = import.meta.glob(['./*.ts', '!./*.test.ts'], { query: '?raw', import: 'default', eager: true });
    const code = Object.values(sources as Record<string, string>).join('\n');
    const asked = [...code.matchAll(/\btx\(\s*'([\w.-]+)'/g)].map((match) => match[1]!);
    expect(asked.length).toBeGreaterThan(60);
    for (const texts of [enDeadlock, koDeadlock]) {
      const keys = new Set(leaves(texts));
      expect(asked.filter((key) => !keys.has(key))).toEqual([]);
    }
  });

  it('has the keys the view builds from values (strategy, condition, verdict, phase)', () => {
    const keys = new Set(leaves(enDeadlock));
    const built = [
      ...['none', 'lock-order', 'all-or-none', 'preemption', 'shareable', 'banker'].map((s) => `strategy.${s}`),
      ...['mutual-exclusion', 'hold-and-wait', 'no-preemption', 'circular-wait'].map((c) => `condition.${c}`),
      ...['granted', 'exceeds-claim', 'must-wait', 'unsafe'].map((v) => `verdict.${v}`),
      ...['idle', 'running', 'deadlocked', 'recovering', 'finished', 'recovered', 'stopped', 'failed'].map(
        (p) => `runPhase.${p}`,
      ),
      ...['idle', 'starting', 'stalled', 'host-ended', 'restarted', 'failed'].map((p) => `stall.${p}`),
      ...['finished', 'deadlocked', 'recovered', 'timeout', 'aborted'].map((o) => `outcome.${o}`),
      ...['lock-order', 'all-or-none', 'preemption', 'shareable'].map((s) => `how.${s}`),
      ...['check', 'step', 'back', 'all', 'textbook'].map((b) => `banker.${b}`),
    ];
    expect(built.filter((key) => !keys.has(key))).toEqual([]);
  });
});
