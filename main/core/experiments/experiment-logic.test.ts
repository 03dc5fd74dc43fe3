// The runner's bookkeeping on the core's testing fakes: missed heartbeats (blast radius), a trial's
// marks and deaths from the event log, the soak's verdict, and requests refused with a reason.
import { describe, expect, it } from 'vitest';
import { EventLog } from '../event-log.ts';
import { Emitter } from '../emitter.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import type { TabHeartbeat } from '../tabs.ts';
import { HeartbeatWatch, missedIn } from './heartbeat-watch.ts';
import { checkRequest, RequestError } from './runner.ts';
import { SoakHeapBaseline, soakFailures, soakSummary } from './soak.ts';
import { TrialRecorder } from './trial-recorder.ts';

function world() {
  const clock = new ManualClock();
  const beats = new Emitter<TabHeartbeat>();
  const watch = new HeartbeatWatch({ onDidHeartbeat: beats.event }, () => clock.now());
  const beat = (tabId: string, seq = 0) => beats.fire({ tabId, seq, at: clock.now() });
  return { clock, watch, beat };
}

describe('missed heartbeats', () => {
  it('counts a gap over twice the 250 ms period as the heartbeats it stands for', () => {
    expect(missedIn(250)).toBe(0);
    expect(missedIn(500)).toBe(0);
    expect(missedIn(750)).toBe(2);
    expect(missedIn(1000)).toBe(3);
  });

  it('counts only the watched tabs, silences until the end included', () => {
    const { clock, watch, beat } = world();
    beat('a');
    beat('b');
    beat('c');
    const window = watch.watchGaps(['a', 'b']);
    for (let t = 0; t < 4; t++) {
      clock.advance(250);
      beat('a');
      beat('c');
    }
    // b fell silent for the whole second; c is not watched.
    const missed = window.end();
    expect(missed).toEqual({ tabsMissed: 1, ticksMissed: 3 });
    expect(watch.ticking('a')).toBe(true);
    expect(watch.ticking('b', 500)).toBe(false);
  });
});

describe('a trial', () => {
  it('keeps marks relative to its start, the first of each, and every process that ended', () => {
    const { clock, watch } = world();
    const log = new EventLog();
    clock.advance(1000);
    const trial = new TrialRecorder(clock, log, watch, {
      index: 0,
      arm: 'experiment',
      scenario: 'tab-crash',
      otherTabs: [],
      expectedToEnd: (id) => id === 'renderer-tab-1',
    });
    trial.mark('injected');
    clock.advance(12);
    trial.mark('observed', clock.now() - 2);
    trial.mark('observed');
    const process = {
      id: 'renderer-tab-1',
      kind: 'renderer',
      label: 'x',
      pid: 9,
      state: 'crashed',
      exitReason: 'crashed',
      restarts: 0,
      startedAt: 0,
    } as const;
    log.record({ type: 'process-exited', process, expected: false });
    log.record({ type: 'process-exited', process: { ...process, id: 'gpu', kind: 'gpu' }, expected: false });
    const finished = trial.finish();
    expect(finished.marks).toMatchObject({ injected: 0, observed: 10, ended: 12 });
    expect(finished.blastRadius.processesDied.map((death) => [death.id, death.expected])).toEqual([
      ['renderer-tab-1', true],
      ['gpu', false],
    ]);
    expect(finished.ok).toBe(false);
    expect(finished.notes[0]).toMatch(/gpu \(gpu\) ended/);
  });
});

describe('the soak', () => {
  it('holds only when every fault is detected, recovered, nothing orphaned or lost and the heap grew under 5 %', () => {
    const good = soakSummary({ faults: 10, detectedAndNamed: 10, recovered: 10 }, 0, [], true, 100, 104);
    expect(soakFailures(good)).toEqual([]);
    const bad = soakSummary({ faults: 10, detectedAndNamed: 9, recovered: 8 }, 1, [1234], false, 100, 110);
    expect(soakFailures(bad)).toHaveLength(6);
  });

  it("judges the heap from after the warm-up, taken again once the event log's history is full, not from the start", async () => {
    // The heap as a chaos run sees it: the start, the 500-event history filling (bounded), then flat.
    const heapAt = (faults: number) => 16_000_000 + Math.min(faults, 70) * 15_000 + faults * 100;
    const baseline = new SoakHeapBaseline(5);
    let measured = 0;
    for (let faults = 1; faults <= 200; faults++) {
      await baseline.afterFault(faults, faults >= 70, () => {
        measured++;
        return Promise.resolve(heapAt(faults));
      });
    }
    // Once after the warm-up, once when the history was full: not after every fault (a GC each costs ~50 ms).
    expect(measured).toBe(2);
    expect(baseline.withFullLog).toBe(true);
    expect(baseline.from(heapAt(0))).toBe(heapAt(70));
    const soak = soakSummary(
      { faults: 200, detectedAndNamed: 200, recovered: 200 },
      0,
      [],
      true,
      baseline.from(heapAt(0)),
      heapAt(200),
    );
    expect(soak.heapGrowth).toBeCloseTo(heapAt(200) / heapAt(70), 6);
    expect(soakFailures(soak, baseline.withFullLog)).toEqual([]);
    // Still growing after the history is full (here 20 KB a fault) fails the 5 % limit all the same.
    const leaking = soakSummary(
      { faults: 200, detectedAndNamed: 200, recovered: 200 },
      0,
      [],
      true,
      heapAt(70),
      heapAt(70) + 130 * 20_000,
    );
    expect(soakFailures(leaking, true)).toEqual([expect.stringMatching(/heap after GC grew 15\.\d % \(limit 5 %\)/)]);
  });

  it('keeps the start as the baseline when no fault ended the warm-up', async () => {
    const baseline = new SoakHeapBaseline(5);
    for (let faults = 1; faults < 5; faults++) await baseline.afterFault(faults, false, () => Promise.resolve(1));
    expect(baseline.from(123)).toBe(123);
    expect(baseline.withFullLog).toBe(false);
  });
});

describe('requests', () => {
  it('are refused with the reason', () => {
    expect(() => checkRequest({ scenario: 'tab-crash', trials: 0, tabs: 2, seed: 1 })).toThrow(RequestError);
    expect(() => checkRequest({ scenario: 'same-site', trials: 2, tabs: 1, seed: 1 })).toThrow(/at least 2 tabs/);
    expect(() => checkRequest({ scenario: 'chaos', trials: 0, tabs: 2, seed: 1 })).toThrow(/faults/);
    expect(() => checkRequest({ scenario: 'tab-crash', trials: 2, tabs: 2, seed: 1, faults: 3 })).toThrow(/chaos only/);
    expect(() => checkRequest({ scenario: 'chaos', trials: 2, tabs: 2, seed: 1, faults: 3 })).not.toThrow();
  });
});
