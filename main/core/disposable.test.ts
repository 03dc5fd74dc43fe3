import { describe, expect, it, vi } from 'vitest';
import { DisposableStore } from './disposable.ts';
import { Emitter } from './emitter.ts';

describe('DisposableStore', () => {
  it('ends every subscription added, functions and disposables alike, once', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    const store = new DisposableStore();
    store.add(emitter.event((value) => heard.push(value)));
    const disposable = { dispose: vi.fn() };
    store.add(disposable);
    emitter.fire(1);
    store.dispose();
    emitter.fire(2);
    store.dispose();
    expect(heard).toEqual([1]);
    expect(emitter.hasListeners).toBe(false);
    expect(disposable.dispose).toHaveBeenCalledTimes(1);
  });

  it('ends what is added after dispose at once; clear() keeps the store usable', () => {
    const store = new DisposableStore();
    const early = vi.fn();
    store.add(early);
    store.clear();
    expect(early).toHaveBeenCalledTimes(1);
    const kept = vi.fn();
    store.add(kept);
    expect(kept).not.toHaveBeenCalled();
    store.dispose();
    const late = vi.fn();
    store.add(late);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('goes on ending the others when one throws', () => {
    const store = new DisposableStore();
    const after = vi.fn();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    store.add(() => {
      throw new Error('broken');
    });
    store.add(after);
    store.dispose();
    expect(after).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
