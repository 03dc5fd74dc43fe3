import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.ts';
import { ProcessRegistry, stateAfterExit } from './process-registry.ts';

describe('ProcessRegistry', () => {
  it('records launch, state changes and exit as typed events, in order', () => {
    const log = new EventLog(() => 1000);
    const registry = new ProcessRegistry(log, () => 2000);
    registry.launched('gpu', 'gpu', 'GPU process', 41);
    registry.setState('gpu', 'running');
    registry.setState('gpu', 'running'); // no change, no event
    registry.exited('gpu', { reason: 'crashed', signal: 'SIGSEGV' }, false);
    registry.setState('gpu', 'running'); // an ended process stays ended
    expect(log.history().map((event) => [event.seq, event.type])).toEqual([
      [0, 'process-launched'],
      [1, 'process-state-changed'],
      [2, 'process-exited'],
    ]);
    expect(registry.get('gpu')).toEqual({
      id: 'gpu',
      kind: 'gpu',
      label: 'GPU process',
      pid: 41,
      startedAt: 2000,
      state: 'crashed',
      exitReason: 'crashed',
      exitSignal: 'SIGSEGV',
      restarts: 0,
    });
  });

  it('counts restarts of a role and clears the old exit', () => {
    const registry = new ProcessRegistry(new EventLog());
    registry.launched('gpu', 'gpu', 'GPU process', 41);
    registry.exited('gpu', { reason: 'killed', signal: 'SIGKILL' }, false);
    const again = registry.launched('gpu', 'gpu', 'GPU process', 42);
    expect(again).toMatchObject({ pid: 42, state: 'starting', restarts: 1 });
    expect(again.exitReason).toBeUndefined();
  });

  it('maps exit reasons to states as Chrome shows them', () => {
    expect(stateAfterExit('clean-exit')).toBe('exited');
    expect(stateAfterExit('killed')).toBe('killed');
    expect(stateAfterExit('bad-message')).toBe('killed');
    expect(stateAfterExit('crashed')).toBe('crashed');
    expect(stateAfterExit('oom')).toBe('crashed');
    expect(stateAfterExit('launch-failed')).toBe('crashed');
  });
});

describe('EventLog', () => {
  it('keeps only the newest events up to its capacity', () => {
    const log = new EventLog(() => 0, 3);
    for (let i = 0; i < 5; i++) log.record({ type: 'tab-closed', tabId: `tab-${i}` });
    expect(log.history().map((event) => event.seq)).toEqual([2, 3, 4]);
  });
});
