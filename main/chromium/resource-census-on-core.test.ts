// The leak soak's census (main/node/resource-census.ts; here because it counts the core's Emitter too) on real things: a listener left on a Node emitter or on the core's Emitter is
// counted where it hangs (reached through plain objects, Maps and arrays) and is gone once removed; a
// socket and a child process show as handles by type and among the descendants, and not once ended.
import { spawn } from 'node:child_process';
import { once, EventEmitter } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Emitter } from '../core/emitter.ts';
import { activeResourceCounts, countListeners, countsAbove, descendantPids } from '../node/resource-census.ts';

describe('countListeners', () => {
  it('counts the listeners of core and Node emitters reachable from the roots, by where they hang', () => {
    class Host {
      readonly changes = new Emitter<number>();
      readonly byId = new Map<string, { socketLike: EventEmitter }>();
      readonly list: Emitter<string>[] = [new Emitter<string>()];
    }
    const host = new Host();
    const node = new EventEmitter();
    host.byId.set('a', { socketLike: node });
    const before = countListeners({ host });
    const stop = host.changes.event(() => {});
    const stopListed = host.list[0]!.event(() => {});
    const onData = () => {};
    node.on('data', onData);
    node.on('data', () => {});
    const during = countListeners({ host });
    expect(during.total - before.total).toBe(4);
    expect(countsAbove(before.byEmitter, during.byEmitter)).toEqual({
      'Host.changes': 1,
      'Host.list': 1,
      'EventEmitter:data': 2,
    });
    stop();
    stopListed();
    node.removeAllListeners('data');
    expect(countListeners({ host })).toMatchObject({ total: before.total, byEmitter: before.byEmitter });
  });

  it('never calls a getter', () => {
    let called = false;
    const root = {
      get expensive() {
        called = true;
        return new EventEmitter();
      },
    };
    countListeners({ root });
    expect(called).toBe(false);
  });
});

describe('handles and descendants', () => {
  it('a socket and a child process show while they live and not after', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const before = activeResourceCounts();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    const during = countsAbove(before, activeResourceCounts());
    expect(during.ProcessWrap).toBe(1);
    expect(during.TCPSocketWrap).toBeGreaterThanOrEqual(1);
    expect(descendantPids()).toContain(child.pid);
    client.destroy();
    child.kill('SIGKILL');
    await once(child, 'exit');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // Handles close on a later turn of the loop.
    for (let turn = 0; turn < 100 && Object.keys(countsAbove(before, activeResourceCounts())).length > 0; turn++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(countsAbove(before, activeResourceCounts())).toEqual({});
    expect(descendantPids()).not.toContain(child.pid);
  });
});
