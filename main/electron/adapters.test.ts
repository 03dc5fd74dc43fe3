// The Electron shell's pure parts, in plain Node (the adapters import Electron's types only).
import { describe, expect, it } from 'vitest';
import { contentBounds, tabMayNavigate } from './tab-host.ts';
import { childExit, exitReasonOf } from './utility-exits.ts';

describe('Electron shell adapters', () => {
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
    for (const url of [
      'lab-app://ui/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'chrome://gpu',
      'not a url',
    ]) {
      expect(tabMayNavigate(url), url).toBe(false);
    }
  });

  it('accepts only a sane content-area rect from the UI', () => {
    expect(contentBounds({ x: 0.4, y: 84.6, width: 1280, height: 700 })).toEqual({
      x: 0,
      y: 85,
      width: 1280,
      height: 700,
    });
    for (const bad of [
      null,
      'x',
      { x: 0, y: 0, width: -1, height: 1 },
      { x: 0, y: 0, width: Number.NaN, height: 1 },
      { x: 0 },
    ]) {
      expect(contentBounds(bad)).toBeUndefined();
    }
  });
});
