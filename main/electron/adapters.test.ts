// The Electron shell's pure parts, in plain Node (the adapters import Electron's types only).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IPC } from './ipc-channels.ts';
import { contentBounds, tabMayNavigate } from './tab-host.ts';
import { childExit, exitReasonOf } from './utility-exits.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('Electron shell adapters', () => {
  it('the preloads use the channel names main listens on', () => {
    const ui = readFileSync(path.join(root, 'preload/ui-preload.ts'), 'utf8');
    const tab = readFileSync(path.join(root, 'preload/tab-preload.ts'), 'utf8');
    expect(ui).toContain(`const IPC_UI = '${IPC.ui}'`);
    expect(ui).toContain(`const IPC_UI_CONTENT_BOUNDS = '${IPC.uiContentBounds}'`);
    expect(tab).toContain(`const IPC_TAB = '${IPC.tab}'`);
    expect(tab).toContain(`const IPC_TAB_PORT = '${IPC.tabPort}'`);
  });

  it('maps Electron exit reasons and codes to the core vocabulary', () => {
    expect(exitReasonOf('memory-eviction')).toBe('oom');
    expect(exitReasonOf('integrity-failure')).toBe('crashed');
    expect(exitReasonOf('killed')).toBe('killed');
    expect(childExit(0, undefined)).toEqual({ reason: 'clean-exit', code: 0 });
    expect(childExit(3, undefined)).toEqual({ reason: 'abnormal-exit', code: 3 });
    expect(childExit(9, { reason: 'crashed', exitCode: 139 })).toEqual({ reason: 'crashed', code: 139 });
  });

  it('lets tabs navigate only to the web and the built-in pages', () => {
    expect(tabMayNavigate('https://example.com/')).toBe(true);
    expect(tabMayNavigate('lab-app://pages/live')).toBe(true);
    for (const url of ['lab-app://ui/index.html', 'file:///etc/passwd', 'javascript:alert(1)', 'chrome://gpu', 'not a url']) {
      expect(tabMayNavigate(url), url).toBe(false);
    }
  });

  it('accepts only a sane content-area rect from the UI', () => {
    expect(contentBounds({ x: 0.4, y: 84.6, width: 1280, height: 700 })).toEqual({ x: 0, y: 85, width: 1280, height: 700 });
    for (const bad of [null, 'x', { x: 0, y: 0, width: -1, height: 1 }, { x: 0, y: 0, width: Number.NaN, height: 1 }, { x: 0 }]) {
      expect(contentBounds(bad)).toBeUndefined();
    }
  });
});
