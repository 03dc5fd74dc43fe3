// The browser UI page's crash: reloaded, less often when it keeps crashing; never while closing.
import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { keepUiAlive, uiReloadDelay } from './ui-recovery.ts';

class FakeContents extends EventEmitter {
  destroyed = false;
  loads: string[] = [];
  isDestroyed = () => this.destroyed;
  loadURL(url: string) {
    this.loads.push(url);
    return Promise.resolve();
  }
}

describe('keeping the UI alive', () => {
  it('waits nothing after a first crash, then doubles within a minute, up to 30 s; crashes a minute apart start over', () => {
    expect(uiReloadDelay([], 100_000)).toBe(0);
    expect(uiReloadDelay([99_000], 100_000)).toBe(1000);
    expect(uiReloadDelay([98_000, 99_000], 100_000)).toBe(2000);
    expect(
      uiReloadDelay(
        Array.from({ length: 10 }, (_, i) => 90_000 + i),
        100_000,
      ),
    ).toBe(30_000);
    expect(uiReloadDelay([30_000], 100_000)).toBe(0);
  });

  it('loads the UI again after its renderer ends, outside the event, unless the window is closing', () => {
    const contents = new FakeContents();
    const scheduled: Array<{ run: () => void; ms: number }> = [];
    let closing = false;
    let clock = 0;
    const lines: string[] = [];
    keepUiAlive(contents as unknown as WebContents, {
      url: 'lab-app://ui/index.html',
      isClosing: () => closing,
      now: () => clock,
      setTimeout: (run, ms) => scheduled.push({ run, ms }),
      log: (line) => lines.push(line),
    });
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(contents.loads).toEqual([]); // not from inside the event
    scheduled.shift()!.run();
    expect(contents.loads).toEqual(['lab-app://ui/index.html']);
    expect(lines[0]).toContain('crashed, exit code 139');

    clock = 5000;
    contents.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
    expect(scheduled.map((entry) => entry.ms)).toEqual([1000]);
    closing = true; // the window closed meanwhile
    scheduled.shift()!.run();
    expect(contents.loads).toHaveLength(1);
    contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(scheduled).toEqual([]);
  });
});
