import { describe, expect, it } from 'vitest';
import type { BrowserEvent, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { processInfo as process } from '../testing/browser-snapshots.ts';
import {
  applyEvent,
  fromSnapshot,
  isAfterGap,
  MAX_EVENTS,
  selectedTab,
  type BrowserSnapshot,
} from './browser-state.ts';

const tab = (id: string, extra: Partial<TabInfo> = {}): TabInfo => ({
  id,
  url: 'lab://live',
  title: 'Live page',
  rendererId: `renderer-${id}`,
  pid: 200,
  state: 'live',
  ...extra,
});

function snapshot(extra: Partial<BrowserSnapshot> = {}): BrowserSnapshot {
  return {
    tabs: [tab('tab-1'), tab('tab-2')],
    selectedTabId: 'tab-1',
    processes: [
      process('gpu', 'gpu'),
      process('plugin-host', 'plugin-host'),
      process('renderer-tab-1', 'renderer'),
      process('renderer-tab-2', 'renderer'),
    ],
    gpuMode: 'hardware',
    processModel: 'process-per-tab',
    pluginHost: { running: true, recentCrashes: 0 },
    badMessages: 0,
    events: [{ type: 'tab-selected', seq: 9, at: 0, tabId: 'tab-1' }],
    ...extra,
  };
}

let seq = 10;
const at = 1;
const next = <T extends BrowserEvent['type']>(
  event: Omit<Extract<BrowserEvent, { type: T }>, 'seq' | 'at'> & { type: T },
) => ({ ...event, seq: seq++, at }) as unknown as BrowserEvent;

describe('fromSnapshot', () => {
  it('takes the snapshot and the newest seq of its history', () => {
    const view = fromSnapshot(snapshot());
    expect(view.lastSeq).toBe(9);
    expect(selectedTab(view)?.id).toBe('tab-1');
    expect(view.gpuModeReason).toBeUndefined();
  });

  it('knows why compositing is in software from the history', () => {
    const view = fromSnapshot(
      snapshot({
        gpuMode: 'software',
        events: [
          {
            type: 'gpu-mode-changed',
            seq: 3,
            at,
            mode: 'software',
            reason: 'the GPU process crashed 3 times within 60 s',
          },
        ],
      }),
    );
    expect(view.gpuModeReason).toBe('the GPU process crashed 3 times within 60 s');
  });

  it('has no seq for an empty history', () => {
    expect(fromSnapshot(snapshot({ events: [] })).lastSeq).toBeUndefined();
  });
});

describe('applyEvent', () => {
  it('updates, adds and selects tabs', () => {
    let view = fromSnapshot(snapshot());
    view = applyEvent(view, next({ type: 'tab-changed', tab: tab('tab-1', { title: 'Renamed' }) }));
    view = applyEvent(view, next({ type: 'tab-changed', tab: tab('tab-3', { state: 'loading' }) }));
    view = applyEvent(view, next({ type: 'tab-selected', tabId: 'tab-3' }));
    expect(view.tabs.map((t) => [t.id, t.title, t.state])).toEqual([
      ['tab-1', 'Renamed', 'live'],
      ['tab-2', 'Live page', 'live'],
      ['tab-3', 'Live page', 'loading'],
    ]);
    expect(view.selectedTabId).toBe('tab-3');
  });

  it('closes a tab, forgets its renderer unless another tab shares it, and clears the selection', () => {
    const shared = snapshot({
      tabs: [
        tab('tab-1', { rendererId: 'renderer-site-a' }),
        tab('tab-2', { rendererId: 'renderer-site-a' }),
        tab('tab-3'),
      ],
      processes: [process('renderer-site-a', 'renderer'), process('renderer-tab-3', 'renderer')],
    });
    let view = fromSnapshot(shared);
    view = applyEvent(view, next({ type: 'tab-closed', tabId: 'tab-1' }));
    expect(view.selectedTabId).toBeUndefined();
    expect(view.processes.map((p) => p.id)).toEqual(['renderer-site-a', 'renderer-tab-3']);
    view = applyEvent(view, next({ type: 'tab-closed', tabId: 'tab-2' }));
    expect(view.processes.map((p) => p.id)).toEqual(['renderer-tab-3']);
    expect(view.tabs.map((t) => t.id)).toEqual(['tab-3']);
  });

  it('keeps the selection when another tab closes', () => {
    const view = applyEvent(fromSnapshot(snapshot()), next({ type: 'tab-closed', tabId: 'tab-2' }));
    expect(view.selectedTabId).toBe('tab-1');
  });

  it('replaces processes by id: launched, state changes, exits', () => {
    let view = fromSnapshot(snapshot());
    view = applyEvent(
      view,
      next({ type: 'process-launched', process: process('gpu', 'gpu', { pid: 555, restarts: 1, state: 'starting' }) }),
    );
    view = applyEvent(
      view,
      next({
        type: 'process-state-changed',
        previous: 'starting',
        process: process('gpu', 'gpu', { pid: 555, restarts: 1 }),
      }),
    );
    expect(view.processes.find((p) => p.id === 'gpu')).toMatchObject({ pid: 555, restarts: 1, state: 'running' });
    view = applyEvent(
      view,
      next({
        type: 'process-exited',
        expected: false,
        process: process('renderer-tab-1', 'renderer', {
          state: 'killed',
          exitReason: 'killed',
          exitSignal: 'SIGKILL',
        }),
      }),
    );
    expect(view.processes.find((p) => p.id === 'renderer-tab-1')?.state).toBe('killed');
  });

  it('lists the spare renderer until it ends (taken by a tab, gone, discarded), with no crash counted', () => {
    let view = fromSnapshot(snapshot());
    const spare = process('renderer-spare-1', 'renderer', { pid: 777, standby: true, label: 'Spare renderer' });
    view = applyEvent(view, next({ type: 'process-launched', process: spare }));
    expect(view.processes.find((p) => p.id === 'renderer-spare-1')).toMatchObject({ standby: true, pid: 777 });
    view = applyEvent(
      view,
      next({
        type: 'spare-renderer-ended',
        processId: 'renderer-spare-1',
        pid: 777,
        outcome: 'gone',
        reason: 'killed',
      }),
    );
    expect(view.processes.map((p) => p.id)).not.toContain('renderer-spare-1');
    expect(view.tabs.every((t) => t.state !== 'crashed')).toBe(true);
    expect(view.processes).toHaveLength(4);
  });

  it('follows the plugin host: an unexpected exit stops it and counts, a launch starts it', () => {
    let view = fromSnapshot(snapshot());
    view = applyEvent(
      view,
      next({
        type: 'process-exited',
        expected: false,
        process: process('plugin-host', 'plugin-host', { state: 'crashed', exitReason: 'crashed' }),
      }),
    );
    expect(view.pluginHost).toEqual({ running: false, recentCrashes: 1 });
    view = applyEvent(
      view,
      next({
        type: 'process-launched',
        process: process('plugin-host', 'plugin-host', { state: 'starting', restarts: 1 }),
      }),
    );
    expect(view.pluginHost).toEqual({ running: true, recentCrashes: 1 });
    view = applyEvent(
      view,
      next({
        type: 'process-exited',
        expected: true,
        process: process('plugin-host', 'plugin-host', { state: 'exited', exitReason: 'clean-exit' }),
      }),
    );
    expect(view.pluginHost).toEqual({ running: false, recentCrashes: 1 });
  });

  it('switches to software compositing with its reason, and back', () => {
    let view = applyEvent(
      fromSnapshot(snapshot()),
      next({ type: 'gpu-mode-changed', mode: 'software', reason: 'crashed 3 times' }),
    );
    expect([view.gpuMode, view.gpuModeReason]).toEqual(['software', 'crashed 3 times']);
    view = applyEvent(view, next({ type: 'gpu-mode-changed', mode: 'hardware', reason: 'restarted' }));
    expect([view.gpuMode, view.gpuModeReason]).toEqual(['hardware', undefined]);
  });

  it("follows the direct channels the browser brokered: opened (replacing the tab's previous one), closed, gone with their tab", () => {
    const channel = { interface: 'TabGpu', tabId: 'tab-1', from: 'renderer-tab-1', to: 'gpu', toPid: 300 } as const;
    let view = fromSnapshot(snapshot());
    expect(view.channels).toEqual([]);
    view = applyEvent(view, next({ type: 'channel-opened', channel }));
    view = applyEvent(
      view,
      next({ type: 'channel-opened', channel: { ...channel, interface: 'TabPlugin', to: 'plugin-host', toPid: 400 } }),
    );
    view = applyEvent(view, next({ type: 'channel-opened', channel: { ...channel, toPid: 301 } }));
    view = applyEvent(
      view,
      next({ type: 'channel-opened', channel: { ...channel, tabId: 'tab-2', from: 'renderer-tab-2' } }),
    );
    expect(view.channels.map((c) => `${c.tabId} ${c.interface} ${c.toPid}`)).toEqual([
      'tab-1 TabPlugin 400',
      'tab-1 TabGpu 301',
      'tab-2 TabGpu 300',
    ]);
    view = applyEvent(view, next({ type: 'channel-closed', channel: { ...channel, toPid: 301 } }));
    expect(view.channels.map((c) => `${c.tabId} ${c.interface}`)).toEqual(['tab-1 TabPlugin', 'tab-2 TabGpu']);
    view = applyEvent(view, next({ type: 'tab-closed', tabId: 'tab-1' }));
    expect(view.channels.map((c) => `${c.tabId} ${c.interface}`)).toEqual(['tab-2 TabGpu']);
    expect(fromSnapshot(snapshot({ channels: [channel] })).channels).toEqual([channel]);
  });

  it('counts bad messages', () => {
    const event = next({
      type: 'bad-message',
      processId: 'renderer-tab-1',
      interface: 'TabHostService',
      reason: 'bad',
    });
    expect(applyEvent(fromSnapshot(snapshot({ badMessages: 2 })), event).badMessages).toBe(3);
  });

  it('shows the session notice the snapshot carries, replaced or cleared by session-notice events', () => {
    const offer = { kind: 'offer' as const, tabs: 3, titles: ['Live page'], savedAt: 5 };
    const view = fromSnapshot(snapshot({ session: offer }));
    expect(view.session).toEqual(offer);
    const unreadable = { kind: 'unreadable' as const, problem: 'The saved session is not JSON' };
    const replaced = applyEvent(view, next({ type: 'session-notice', notice: unreadable }));
    expect(replaced.session).toEqual(unreadable);
    const cleared = applyEvent(replaced, next({ type: 'session-notice' }));
    expect(cleared.session).toBeUndefined();
    expect('session' in cleared).toBe(false);
  });

  it('ignores an event it has already seen, by seq', () => {
    const view = fromSnapshot(snapshot());
    const old = { type: 'bad-message', seq: 9, at, processId: 'x', interface: 'I', reason: 'r' } as const;
    expect(applyEvent(view, old)).toBe(view);
    const once = applyEvent(view, { ...old, seq: 10 });
    expect(applyEvent(once, { ...old, seq: 10 })).toBe(once);
    expect(once.badMessages).toBe(1);
  });

  it('keeps the last MAX_EVENTS events, oldest first', () => {
    let view = fromSnapshot(snapshot({ events: [] }));
    for (let i = 0; i < MAX_EVENTS + 20; i++)
      view = applyEvent(view, { type: 'tab-selected', seq: i, at, tabId: 'tab-1' });
    expect(view.events).toHaveLength(MAX_EVENTS);
    expect(view.events[0]?.seq).toBe(20);
    expect(view.events.at(-1)?.seq).toBe(MAX_EVENTS + 19);
    expect(view.lastSeq).toBe(MAX_EVENTS + 19);
  });

  it('never changes the view it was given', () => {
    const view = fromSnapshot(snapshot());
    const frozen = JSON.stringify(view);
    applyEvent(view, next({ type: 'tab-closed', tabId: 'tab-1' }));
    applyEvent(view, next({ type: 'tab-changed', tab: tab('tab-2', { state: 'crashed' }) }));
    expect(JSON.stringify(view)).toBe(frozen);
  });
});

describe('isAfterGap', () => {
  it('is true when an event between was missed', () => {
    const view = fromSnapshot(snapshot());
    expect(isAfterGap(view, { type: 'tab-selected', seq: 10, at, tabId: 'tab-1' })).toBe(false);
    expect(isAfterGap(view, { type: 'tab-selected', seq: 12, at, tabId: 'tab-1' })).toBe(true);
    expect(
      isAfterGap(fromSnapshot(snapshot({ events: [] })), { type: 'tab-selected', seq: 12, at, tabId: 'tab-1' }),
    ).toBe(false);
  });
});
