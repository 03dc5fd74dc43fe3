// The worker_threads adapter, over real ports and a real worker thread.
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type BadMessageReport } from '../rpc/endpoint.ts';
import { EchoClient, EchoService } from '../rpc/testing/echo-service.ts';
import { nodeMessagePortTransport } from './node-port.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('nodeMessagePortTransport', () => {
  it('delivers messages and transfers, and removes listeners with off', async () => {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => port1.close());
    const a = nodeMessagePortTransport(port1, { process: 'a' });
    const b = nodeMessagePortTransport(port2, { process: 'b' });
    const seen: unknown[] = [];
    const listener = (message: unknown) => seen.push(message);
    b.on(listener);
    const buffer = new ArrayBuffer(8);
    a.post({ n: 1, buffer }, [buffer]);
    await expect.poll(() => seen).toHaveLength(1);
    expect(buffer.byteLength).toBe(0); // moved, not copied
    b.off(listener);
    a.post({ n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toHaveLength(1);
    port2.close();
  });

  it('tells when the other end closes', async () => {
    const { port1, port2 } = new MessageChannel();
    const transport = nodeMessagePortTransport(port1, { process: 'a' });
    let closed = 0;
    transport.onDidClose!(() => closed++);
    port2.close();
    await expect.poll(() => closed).toBe(1);
  });

  it("reports a message the receiver cannot decode (its 'messageerror') as a bad message", async () => {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => port1.close());
    const bad: BadMessageReport[] = [];
    const service = connect({
      transport: nodeMessagePortTransport(port1, { process: 'worker' }),
      self: { process: 'browser' },
      local: EchoClient,
      remote: EchoService,
      handlers: {},
      onBadMessage: (report) => bad.push(report),
    });
    cleanups.push(() => service.close());
    // A sender with a deep stack writes a message nested deeper than this thread's reader can read.
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       let value = 'bottom';
       for (let i = 0; i < 50000; i++) value = { inner: value };
       workerData.port.postMessage([3, 'ticked', value]);`,
      { eval: true, workerData: { port: port2 }, transferList: [port2], resourceLimits: { stackSizeMb: 256 } },
    );
    cleanups.push(() => worker.terminate());
    await expect.poll(() => bad, { timeout: 5000 }).toHaveLength(1);
    expect(bad[0]!.reason).toMatch(/^message could not be decoded/);
    expect(bad[0]!.peer).toEqual({ process: 'worker' });
  });
});
