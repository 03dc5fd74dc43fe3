import { describe, expect, it, vi } from 'vitest';
import type { BrowserClient, UiSnapshot } from '../connection/browser-connection.ts';
import { fromSnapshot, type BrowserView } from '../connection/browser-state.ts';
import { processInfo, quietSnapshot } from '../testing/browser-snapshots.ts';
import { stepStatus, tourReducer, waitForView, withNotes, type Tour, type TourRun } from './model.ts';

const view = (extra: Partial<Parameters<typeof fromSnapshot>[0]> = {}): BrowserView =>
  fromSnapshot(
    quietSnapshot({
      tabs: [
        { id: 'tab-1', url: 'lab://live', title: 'Live page', rendererId: 'renderer-tab-1', pid: 11, state: 'live' },
      ],
      selectedTabId: 'tab-1',
      processes: [
        processInfo('browser', 'browser', { label: 'Browser', pid: 1 }),
        processInfo('gpu', 'gpu', { label: 'GPU process', pid: 2 }),
        processInfo('renderer-tab-1', 'renderer', { label: 'Live page', pid: 11 }),
      ],
      ...extra,
    }),
  );

const tour: Tour = {
  id: 'test',
  title: 'Test tour',
  summary: 'For tests',
  steps: [
    { title: 'One', text: 'Look at the GPU process', highlight: () => ['gpu', 'no-such-process', undefined] },
    {
      title: 'Two',
      text: (current, notes) => `${current.gpuMode} since ${notes.gpuPid}`,
      onEnter: (current) => ({
        gpuPid: current.processes.find((p) => p.kind === 'gpu')?.pid?.toString(),
        nothing: undefined,
      }),
      done: (current) => current.gpuMode === 'software',
      action: { label: 'Crash', run: async () => ({ crashed: 'yes' }) },
    },
    { title: 'Three', text: 'The end' },
  ],
};

const start = (at = view()) => tourReducer(undefined, { type: 'start', tour, runId: 7, view: at })!;

describe('tourReducer', () => {
  it('starts at the first step and takes notes on entering a step, once', () => {
    let run: TourRun | undefined = start();
    expect(run).toMatchObject({ index: 0, runId: 7, entered: [0], notes: {} });
    run = tourReducer(run, { type: 'go', index: 1, view: view() });
    expect(run).toMatchObject({ index: 1, entered: [0, 1], notes: { gpuPid: '2' } });
    expect(Object.keys(run!.notes)).toEqual(['gpuPid']); // undefined notes are left out
    // Back and forth again: the notes of the first visit stay.
    run = tourReducer(run, { type: 'go', index: 0, view: view() });
    const later = view({
      processes: [
        { id: 'gpu', kind: 'gpu', label: 'GPU process', pid: 99, startedAt: 0, state: 'running', restarts: 1 },
      ],
    });
    run = tourReducer(run, { type: 'go', index: 1, view: later });
    expect(run!.notes.gpuPid).toBe('2');
  });

  it('ignores steps out of range, and ends', () => {
    const run = start();
    expect(tourReducer(run, { type: 'go', index: -1, view: view() })).toBe(run);
    expect(tourReducer(run, { type: 'go', index: 3, view: view() })).toBe(run);
    expect(tourReducer(run, { type: 'end' })).toBeUndefined();
    expect(tourReducer(undefined, { type: 'go', index: 1, view: view() })).toBeUndefined();
  });

  it('tracks an action and keeps its notes; ignores results of an earlier run', () => {
    let run = tourReducer(start(), { type: 'go', index: 1, view: view() });
    run = tourReducer(run, { type: 'action-started', runId: 7, index: 1 });
    expect(run!.busyStep).toBe(1);
    expect(tourReducer(run, { type: 'action-done', runId: 6, index: 1, notes: { stale: 'x' } })).toBe(run);
    run = tourReducer(run, { type: 'action-done', runId: 7, index: 1, notes: { crashed: 'yes' } });
    expect(run).toMatchObject({ busyStep: undefined, notes: { gpuPid: '2', crashed: 'yes' } });
  });

  it('marks a step without a condition done once its action ran, not one with a condition', () => {
    const withAction: Tour = {
      ...tour,
      steps: [{ title: 'Act', text: 'Do something', action: { label: 'Act', run: async () => {} } }, ...tour.steps],
    };
    let run = tourReducer(undefined, { type: 'start', tour: withAction, runId: 1, view: view() });
    expect(stepStatus(run!, view())).toMatchObject({ done: true, achieved: false });
    run = tourReducer(run, { type: 'action-done', runId: 1, index: 0, notes: undefined });
    expect(stepStatus(run!, view())).toMatchObject({ done: true, achieved: true });
    run = tourReducer(run, { type: 'go', index: 2, view: view() });
    run = tourReducer(run, { type: 'action-done', runId: 1, index: 2, notes: undefined });
    expect(stepStatus(run!, view())).toMatchObject({ done: false, achieved: false });
  });

  it('shows a failed action on its step, and forgets the error on moving', () => {
    let run = tourReducer(start(), { type: 'go', index: 1, view: view() });
    run = tourReducer(run, { type: 'action-started', runId: 7, index: 1 });
    run = tourReducer(run, { type: 'action-failed', runId: 7, index: 1, message: 'NO_SUCH_TAB' });
    expect(run).toMatchObject({ busyStep: undefined, error: 'NO_SUCH_TAB' });
    run = tourReducer(run, { type: 'go', index: 2, view: view() });
    expect(run!.error).toBeUndefined();
  });
});

describe('stepStatus', () => {
  it('says the step, its place, and highlights only processes that exist', () => {
    const status = stepStatus(start(), view());
    expect(status).toMatchObject({
      number: 1,
      count: 3,
      title: 'One',
      text: 'Look at the GPU process',
      first: true,
      last: false,
      done: true,
      achieved: false,
    });
    expect([...status.highlight]).toEqual(['gpu']);
  });

  it('waits for the condition; a condition that held once keeps the step done', () => {
    let run = tourReducer(start(), { type: 'go', index: 1, view: view() })!;
    expect(stepStatus(run, view())).toMatchObject({ text: 'hardware since 2', done: false, achieved: false });
    expect(stepStatus(run, view({ gpuMode: 'software' }))).toMatchObject({ done: true, achieved: true });
    run = tourReducer(run, { type: 'completed', index: 1 })!;
    expect(stepStatus(run, view())).toMatchObject({ done: true, achieved: true });
    expect(stepStatus(tourReducer(run, { type: 'go', index: 2, view: view() })!, view())).toMatchObject({
      last: true,
      done: true,
    });
  });
});

describe('withNotes', () => {
  it('adds defined notes only and keeps the object when nothing is added', () => {
    const notes = { a: '1' };
    expect(withNotes(notes, { b: '2', c: undefined })).toEqual({ a: '1', b: '2' });
    expect(withNotes(notes, { c: undefined })).toBe(notes);
    expect(withNotes(notes, undefined)).toBe(notes);
  });
});

describe('waitForView', () => {
  function store(initial: BrowserView) {
    let snapshot: UiSnapshot = { status: 'ready', browser: initial, problem: undefined, actionError: undefined };
    const listeners = new Set<() => void>();
    const client: Pick<BrowserClient, 'getSnapshot' | 'subscribe'> = {
      getSnapshot: () => snapshot,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const set = (browser: BrowserView) => {
      snapshot = { ...snapshot, browser };
      for (const listener of listeners) listener();
    };
    return { client, set, listeners };
  }

  it('resolves at once when the state already passes', async () => {
    const { client } = store(view({ gpuMode: 'software' }));
    await expect(waitForView(client, (v) => v.gpuMode === 'software', 'software')).resolves.toMatchObject({
      gpuMode: 'software',
    });
  });

  it('resolves on the first passing state and stops listening', async () => {
    const { client, set, listeners } = store(view());
    const waiting = waitForView(client, (v) => v.gpuMode === 'software', 'software');
    set(view({ badMessages: 1 }));
    expect(listeners.size).toBe(1);
    set(view({ gpuMode: 'software' }));
    await expect(waiting).resolves.toMatchObject({ gpuMode: 'software' });
    expect(listeners.size).toBe(0);
  });

  it('rejects after the timeout, naming what it waited for', async () => {
    vi.useFakeTimers();
    try {
      const { client, listeners } = store(view());
      const waiting = waitForView(client, () => false, 'the GPU process to crash', 2000);
      vi.advanceTimersByTime(2000);
      await expect(waiting).rejects.toThrow('Still waiting for the GPU process to crash after 2 s');
      expect(listeners.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
