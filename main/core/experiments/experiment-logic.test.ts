// The runner's bookkeeping on the core's testing fakes: missed heartbeats (blast radius), a trial's
// marks and deaths from the event log, the soak's verdict, and requests refused with a reason.
import { describe, expect, it } from 'vitest';
import { EventLog } from '../event-log.ts';
import { Emitter } from '../emitter.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import type { TabHeartbeat } from '../tabs.ts';
import { HeartbeatWatch, missedIn } from './heartbeat-watch.ts';
import { checkRequest, RequestError } from './runner.ts';
import { soakFailures, soakSummary } from './soak.ts';
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
