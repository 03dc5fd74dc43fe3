// The RPC layer across a real OS process boundary: child_process.fork with its IPC channel.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteError } from './errors.ts';
import { EchoClient, EchoService } from './testing/echo-service.ts';
import { forkService } from './testing/fork-service.ts';
import { Kind } from './wire.ts';

const childEntry = fileURLToPath(new URL('./testing/echo-child.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function startChild() {
  const {
    child,
    connection: client,
    badMessages: bad,
    exited,
  } = forkService({
    entry: childEntry,
    process: 'echo-child',
    local: EchoClient,
    remote: EchoService,
    handlers: {},
  });
  children.push(child);
  return { child, client, bad, exited };
}

describe('RPC over a child process', () => {
  it('round-trips calls, binary data and events across the process boundary', async () => {
    const { client } = startChild();
    expect(await client.remote.echo({ text: 'across processes' })).toEqual({ text: 'across processes' });
    const { data } = await client.remote.bytes({ size: 300_000 });
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.byteLength).toBe(300_000);
    const ticks: number[] = [];
    client.on('ticked', ({ n }) => ticks.push(n));
    await client.remote.tick({ count: 3 });
    await expect.poll(() => ticks).toEqual([1, 2, 3]);
  });

  it('brings a remote error back with its name, code and the child stack', async () => {
    const { client } = startChild();
    const error = await client.remote.fail({ name: 'RangeError', message: 'too far', code: 'E_RANGE' }).catch((e) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ name: 'RangeError', message: 'too far', code: 'E_RANGE' });
    expect(error.stack).toContain('echo-handlers.ts');
  });

  it('the child reports a malformed request, with the sender identity its transport gave', async () => {
    const { child, client } = startChild();
    await client.remote.echo({ text: 'ready' });
    const reports: Array<{ reason: string; peer: string }> = [];
    client.on('sawBadMessage', (report) => reports.push(report));
    child.send([Kind.Request, 1, 'echo', { text: ['not', 'a', 'string'] }]);
    await expect.poll(() => reports).toHaveLength(1);
    expect(reports[0]!.reason).toContain('EchoService.echo request: /text');
    expect(reports[0]!.peer).toBe(`test-parent (pid ${process.pid})`);
  });

  it('rejects pending calls with RPC_CLOSED when the child is killed, and never hangs', async () => {
    const { child, client, exited } = startChild();
    await client.remote.echo({ text: 'ready' });
    const pending = client.remote.wait({ ms: 60_000 });
    child.kill('SIGKILL');
    const error = await pending.catch((e) => e);
    expect(error.code).toBe('RPC_CLOSED');
    expect(error.message).toContain(`echo-child (pid ${child.pid})`);
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(client.closed).toBe(true);
  });

  it('closes when the child exits by itself with a code', async () => {
    const { client, exited } = startChild();
    await client.remote.exit({ code: 3 });
    expect(await exited).toEqual({ code: 3, signal: null });
    await expect.poll(() => client.closed).toBe(true);
  });

  it('reports a bad message sent by the child, naming its pid', async () => {
    const { child, client, bad } = startChild();
    await client.remote.echo({ text: 'ready' });
    await client.remote.sendRaw({ message: [Kind.Event, 'ticked', { n: 'one' }] });
    await expect.poll(() => bad).toHaveLength(1);
    expect(bad).toEqual([
      {
        peer: { process: 'echo-child', pid: child.pid },
        interface: 'EchoService',
        reason: 'EchoService.ticked event: /n must be integer',
      },
    ]);
  });
});
