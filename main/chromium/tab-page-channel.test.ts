// The browser end of a tab document's channel, without a browser: what it holds until the core
// listens, what it refuses, and that nothing passes once the document is gone.
import { describe, expect, it, vi } from 'vitest';
import { MAX_HELD_MESSAGES, TabPageChannel } from './tab-page-channel.ts';

const peer = { process: 'renderer', id: 'tab-1', pid: 4242 };
const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('TabPageChannel', () => {
  it('holds what the page sends until the first listener, then delivers it in order', async () => {
    const channel = new TabPageChannel(() => {});
    channel.receive('{"n":1}');
    const transport = channel.transport(peer);
    channel.receive('{"n":2}');
    const heard: unknown[] = [];
    transport.on((message) => heard.push(message));
    expect(heard).toEqual([]); // not while connect() is still wiring itself up
    await tick();
    channel.receive('{"n":3}');
    expect(heard).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(transport.peer).toEqual(peer);
  });

  it('sends JSON text to the page, and refuses text that is not JSON or is over 1 MiB', async () => {
    const deliver = vi.fn();
    const channel = new TabPageChannel(deliver);
    const transport = channel.transport(peer);
    const failures: unknown[] = [];
    transport.onDidFailToDecode!((error) => failures.push(error));
    transport.on(() => {});
    await tick();
    transport.post({ type: 'ping' });
    expect(deliver).toHaveBeenCalledWith('{"type":"ping"}');
    channel.receive('nope{');
    channel.receive(JSON.stringify('x'.repeat(1024 * 1024 + 1)));
    expect(failures).toHaveLength(2);
    expect(String(failures[1])).toMatch(/over the limit/);
  });

  it('reports a flood before the browser listened as a decode failure', async () => {
    const channel = new TabPageChannel(() => {});
    for (let n = 0; n <= MAX_HELD_MESSAGES; n++) channel.receive(`{"n":${n}}`);
    const transport = channel.transport(peer);
    const heard: unknown[] = [];
    const failures: unknown[] = [];
    transport.onDidFailToDecode!((error) => failures.push(error));
    transport.on((message) => heard.push(message));
    await tick();
    expect(heard).toHaveLength(MAX_HELD_MESSAGES);
    expect(failures).toHaveLength(1);
  });

  it('closes: listeners hear it once, nothing passes either way afterwards', async () => {
    const deliver = vi.fn();
    const channel = new TabPageChannel(deliver);
    const transport = channel.transport(peer);
    const heard = vi.fn();
    const closed = vi.fn();
    transport.on(heard);
    transport.onDidClose!(closed);
    await tick();
    channel.close();
    channel.close();
    channel.receive('{"late":true}');
    transport.post({ late: true });
    expect(closed).toHaveBeenCalledOnce();
    expect(heard).not.toHaveBeenCalled();
    expect(deliver).not.toHaveBeenCalled();
    const after = vi.fn();
    transport.onDidClose!(after);
    expect(after).toHaveBeenCalledOnce();
  });
});
