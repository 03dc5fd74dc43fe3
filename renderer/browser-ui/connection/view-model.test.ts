import { describe, expect, it } from 'vitest';
import type { ProcessInfo, TabInfo } from '../../../protocol/interfaces/browser-state.ts';
import { processInfo, quietSnapshot } from '../testing/browser-snapshots.ts';
import { fromSnapshot, type BrowserSnapshot } from './browser-state.ts';
import {
  compositingStatus,
  cssString,
  pluginHostNotice,
  pluginHostStatus,
  sadTabText,
  sandboxStatus,
  stateText,
  tabBadge,
  tabFrameCss,
} from './view-model.ts';

const tab = (extra: Partial<TabInfo> = {}): TabInfo => ({
  id: 'tab-1',
  url: 'lab://live',
  title: 'Live page',
  rendererId: 'renderer-tab-1',
  pid: 4242,
  state: 'live',
  ...extra,
});
const proc = (id: string, kind: ProcessInfo['kind'], extra: Partial<ProcessInfo> = {}) =>
  processInfo(id, kind, { pid: 123, ...extra });
const view = (extra: Partial<BrowserSnapshot> = {}) =>
  fromSnapshot(
    quietSnapshot({
      tabs: [tab()],
      selectedTabId: 'tab-1',
      processes: [proc('gpu', 'gpu'), proc('plugin-host', 'plugin-host', { pid: 456 })],
      ...extra,
    }),
  );

describe('tabBadge', () => {
  it('names the renderer pid, or the trouble', () => {
    expect(tabBadge(tab()).text).toBe('pid 4242');
    expect(tabBadge(tab({ state: 'crashed' }))).toMatchObject({ text: 'crashed', tone: 'crashed' });
    expect(tabBadge(tab({ state: 'unresponsive' }))).toMatchObject({ text: 'pid 4242', tone: 'warning' });
    expect(tabBadge(tab({ state: 'loading', pid: undefined })).text).toBe('starting');
  });
});

describe('status line', () => {
  it('says whether the sandbox is on, or off and why, as the shell reported it; nothing when it did not', () => {
    expect(sandboxStatus(view({ sandbox: { enabled: true } }))).toEqual({ text: 'Sandbox: on', on: true });
    expect(sandboxStatus(view({ sandbox: { enabled: false, reason: 'running as root' } }))).toEqual({
      text: 'Sandbox: off (running as root)',
      on: false,
    });
    expect(sandboxStatus(view({ sandbox: { enabled: false } }))).toEqual({
      text: 'Sandbox: off (reason not given)',
      on: false,
    });
    expect(sandboxStatus(view())).toBeUndefined();
  });

  it('describes hardware compositing with the GPU pid and restarts', () => {
    expect(compositingStatus(view())).toBe('Hardware compositing · GPU pid 123');
    expect(compositingStatus(view({ processes: [proc('gpu', 'gpu', { restarts: 1 })] }))).toBe(
      'Hardware compositing · GPU pid 123 · 1 restart',
    );
    expect(compositingStatus(view({ processes: [proc('gpu', 'gpu', { state: 'crashed', restarts: 2 })] }))).toBe(
      'Hardware compositing · GPU process restarting · 2 restarts',
    );
  });

  it('says why compositing is in software', () => {
    const reason = 'the GPU process crashed 3 times within 60 s';
    expect(
      compositingStatus(
        view({ gpuMode: 'software', events: [{ type: 'gpu-mode-changed', seq: 1, at: 0, mode: 'software', reason }] }),
      ),
    ).toBe(`Software compositing (${reason})`);
    expect(compositingStatus(view({ gpuMode: 'software' }))).toBe('Software compositing');
  });

  it('describes the plugin host, and offers a restart once it ended', () => {
    expect(pluginHostStatus(view())).toBe('Plugin host pid 456');
    expect(pluginHostNotice(view())).toBeUndefined();
    const crashed = view({
      processes: [proc('plugin-host', 'plugin-host', { state: 'crashed' })],
      pluginHost: { running: false, recentCrashes: 2 },
    });
    expect(pluginHostStatus(crashed)).toBe('Plugin host crashed');
    expect(pluginHostNotice(crashed)).toEqual({ recentCrashes: 2 });
    // Not started yet is not crashed.
    expect(pluginHostNotice(view({ processes: [], pluginHost: { running: false, recentCrashes: 0 } }))).toBeUndefined();
  });
});

describe('sadTabText', () => {
  it("is Chrome's sad tab with the reason and the error code", () => {
    const text = sadTabText(
      tab({ state: 'crashed', crash: { reason: 'crashed', code: 'SIGSEGV', at: 0, repeated: false } }),
    );
    expect(text.heading).toBe('Aw, Snap!');
    expect(text.reason).toBe('Its renderer process (pid 4242) crashed.');
    expect(text.code).toBe('Error code: SIGSEGV');
  });

  it('says out of memory for a renderer ended over the memory cap', () => {
    const text = sadTabText(
      tab({ state: 'crashed', crash: { reason: 'oom', code: 'OUT_OF_MEMORY', at: 0, repeated: false } }),
    );
    expect(text.heading).toBe('Aw, Snap!');
    expect(text.message).toMatch(/^Out of memory/);
    expect(text.reason).toBe(
      "Its renderer process (pid 4242) went over the browser's memory cap for a renderer, so the browser ended it. The other tabs keep running.",
    );
    expect(text.code).toBe('Error code: OUT_OF_MEMORY');
  });

  it('has a second-crash variant', () => {
    const text = sadTabText(
      tab({ state: 'crashed', crash: { reason: 'killed', code: 'SIGKILL', at: 0, repeated: true } }),
    );
    expect(text.heading).toBe('Aw, Snap! This page crashed again');
    expect(text.reason).toBe('Its renderer process (pid 4242) was killed.');
  });

  it('says a hung page was ended', () => {
    const text = sadTabText(
      tab({ state: 'crashed', crash: { reason: 'killed', code: 'RESULT_CODE_HUNG', at: 0, repeated: false } }),
    );
    expect(text.reason).toMatch(/stopped responding/);
  });

  it('explains a bad message, with what the browser refused', () => {
    const crashed = tab({
      state: 'crashed',
      crash: { reason: 'bad-message', code: 'RESULT_CODE_KILLED_BAD_MESSAGE', at: 0, repeated: false },
    });
    const history = view({
      events: [
        {
          type: 'bad-message',
          seq: 1,
          at: 0,
          processId: 'renderer-tab-1',
          interface: 'TabHostService',
          reason: 'TabHostService.x request: bad',
        },
      ],
    });
    const text = sadTabText(crashed, history);
    expect(text.message).toBe('The renderer was ended for sending a malformed message.');
    expect(text.code).toBe('Error code: RESULT_CODE_KILLED_BAD_MESSAGE');
    expect(text.detail).toBe('TabHostService.x request: bad');
  });
});

describe('stateText', () => {
  it('says how a process ended, and when it is not responding', () => {
    const rows = [
      proc('renderer-b', 'renderer', {
        startedAt: 2,
        state: 'killed',
        exitReason: 'bad-message',
        exitSignal: 'SIGKILL',
      }),
      proc('renderer-a', 'renderer', { startedAt: 1, pid: undefined }),
      proc('plugin-host', 'plugin-host', { state: 'crashed', exitCode: 134 }),
      proc('gpu', 'gpu', { state: 'unresponsive' }),
      proc('browser', 'browser'),
    ];
    expect(rows.map((row) => stateText(row))).toEqual([
      'killed (bad message, SIGKILL)',
      'running',
      'crashed (code 134)',
      'not responding',
      'running',
    ]);
  });
});

describe('tabFrameCss', () => {
  it('hides every frame (visibility, never display) and shows the selected one', () => {
    const css = tabFrameCss('tab-3');
    expect(css).toContain('[data-tab-container] > iframe {');
    expect(css).toContain('visibility: hidden');
    expect(css).not.toContain('display');
    expect(css).toContain('[data-tab-container] > iframe[data-lab-tab="tab-3"] { visibility: visible; z-index: 1; }');
    expect(tabFrameCss(undefined)).not.toContain('visible;');
  });

  it('escapes any tab id into a CSS string', () => {
    expect(cssString('tab-3')).toBe('"tab-3"');
    expect(cssString('a"b\\c}d')).toBe('"a\\22 b\\5c c\\7d d"');
    expect(cssString('x\ny')).toBe('"x\\a y"');
  });
});
