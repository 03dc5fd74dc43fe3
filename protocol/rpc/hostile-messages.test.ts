// A hostile peer across a real OS process boundary (child_process.fork and its IPC channel): the
// child posts raw envelopes on its own transport, as a compromised process could, and the receiving
// end must refuse each with its BadMessageReason, naming the sender from the transport, and never
// let one reach a listener or a pending call it does not belong to. One test per attack: oversize
// messages, spoofed call ids, answers to calls never made, messages after close.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BadMessageReason } from './bad-message.ts';
import type { BadMessageReport } from './endpoint.ts';
import { EchoClient, EchoService } from './testing/echo-service.ts';
import { forkService } from './testing/fork-service.ts';
import { Kind } from './wire.ts';

const childEntry = fileURLToPath(new URL('./testing/echo-child.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** The echo child, ready, and the identity its transport gives it. */
async function startHostileChild() {
  const forked = forkService({
    entry: childEntry,
    process: 'echo-child',
    local: EchoClient,
    remote: EchoService,
    handlers: {},
  });
  children.push(forked.child);
  await forked.connection.remote.echo({ text: 'ready' });
  const sender = { process: 'echo-child', pid: forked.child.pid };
  return { ...forked, sender };
}

const reportsOf = (bad: BadMessageReport[]) => bad.map(({ peer, reason }) => ({ peer, reason }));

describe('a hostile child process', () => {
  it('oversize: a field over its schema bound is refused whole, before any listener, naming the sender', async () => {
    const { connection, badMessages, badMessageCodes, sender } = await startHostileChild();
    const heard: unknown[] = [];
    connection.on('sawBadMessage', (payload) => heard.push(payload));
    // `reason` is bounded at 4,096 characters: this one is 200 times that.
    await connection.remote.sendRaw({
      message: [Kind.Event, 'sawBadMessage', { reason: 'x'.repeat(819_200), peer: 'p' }],
    });
    // A response over its bound fails the call it answers rather than resolving it with the excess.
    await expect(connection.remote.misbehave({})).rejects.toMatchObject({ code: 'RPC_BAD_MESSAGE' });
    await expect.poll(() => badMessages.length).toBe(2);
    expect(reportsOf(badMessages)).toEqual([
      {
        peer: sender,
        reason: expect.stringMatching(
          /^EchoService\.sawBadMessage event: \/reason must not have more than 4096 characters/,
        ),
      },
      { peer: sender, reason: 'EchoService.misbehave response: /ok must be boolean' },
    ]);
    expect(badMessageCodes).toEqual([BadMessageReason.INVALID_EVENT, BadMessageReason.INVALID_RESPONSE]);
    expect(heard).toEqual([]);
    // The connection still serves after refusing both.
    await expect(connection.remote.echo({ text: 'still here' })).resolves.toEqual({ text: 'still here' });
  });

  it('spoofed call ids: malformed ids are refused as envelopes, a pending call answered with a forged payload fails', async () => {
    const { connection, badMessages, badMessageCodes, sender } = await startHostileChild();
    for (const id of [-1, 1.5, 2 ** 60, '1', null])
      await connection.remote.sendRaw({ message: [Kind.Response, id, { text: 'forged' }] });
    await expect.poll(() => badMessages.length).toBe(5);
    expect(new Set(badMessages.map((report) => report.reason))).toEqual(new Set(['response has no valid call id']));
    expect(badMessages.every((report) => report.interface === '?')).toBe(true);
    // A pending call (a long wait) answered early by a forged response of the wrong shape: the call
    // fails with RPC_BAD_MESSAGE at once rather than resolving with the forgery.
    const waiting = connection.remote.wait({ ms: 60_000 }).catch((error: unknown) => error);
    // The call ids are consecutive from 1 on this connection: echo (1), five sendRaw (2-6), wait (7).
    await connection.remote.sendRaw({ message: [Kind.Response, 7, { text: 'not a waited count' }] });
    await expect(waiting).resolves.toMatchObject({ code: 'RPC_BAD_MESSAGE' });
    await expect.poll(() => badMessages.length).toBe(6);
    expect(badMessages[5]).toEqual({
      peer: sender,
      interface: 'EchoService',
      reason: 'EchoService.wait response: / must have required properties waited',
    });
    // The sender's identity comes from the transport, whatever the message claims.
    await connection.remote.sendRaw({ message: [Kind.Event, 'ticked', { n: 1, pid: 1, process: 'browser' }] });
    await expect.poll(() => badMessages.length).toBe(7);
    expect(badMessages[6]!.peer).toEqual(sender);
    expect(badMessageCodes).toEqual([
      ...Array(5).fill(BadMessageReason.MALFORMED_ENVELOPE),
      BadMessageReason.INVALID_RESPONSE,
      BadMessageReason.INVALID_EVENT,
    ]);
  });

  it('answers to calls never made are refused as UNSOLICITED_RESPONSE; a late answer to a finished call is not', async () => {
    const { connection, badMessages, badMessageCodes, sender } = await startHostileChild();
    await connection.remote.sendRaw({ message: [Kind.Response, 1_000_000, { text: 'never asked' }] });
    await connection.remote.sendRaw({ message: [Kind.Error, 0, { name: 'Error', message: 'never asked' }] });
    await expect.poll(() => badMessages.length).toBe(2);
    expect(reportsOf(badMessages)).toEqual([
      { peer: sender, reason: 'response to call 1000000, which was never made' },
      { peer: sender, reason: 'response to call 0, which was never made' },
    ]);
    // Call 1 (the ready echo) was made and answered: a second answer is late, as after a timeout.
    await connection.remote.sendRaw({ message: [Kind.Response, 1, { text: 'again' }] });
    await expect(connection.remote.echo({ text: 'after' })).resolves.toEqual({ text: 'after' });
    expect(badMessageCodes).toEqual([BadMessageReason.UNSOLICITED_RESPONSE, BadMessageReason.UNSOLICITED_RESPONSE]);
  });

  it('messages after close reach nobody and report nothing; calls after close fail at once', async () => {
    const { connection, badMessages } = await startHostileChild();
    const ticks: number[] = [];
    connection.on('ticked', ({ n }) => {
      ticks.push(n);
      if (n === 1) connection.close('the test closed it mid-burst');
    });
    // The child emits 1,000 events then answers; the connection closes on the first event.
    const burst = connection.remote.tick({ count: 1000 });
    await expect(burst).rejects.toMatchObject({ code: 'RPC_CLOSED' });
    await expect(connection.remote.echo({ text: 'closed?' })).rejects.toMatchObject({ code: 'RPC_CLOSED' });
    // Give the rest of the burst (and its answer) time to arrive on the still-open IPC channel.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ticks).toEqual([1]);
    expect(badMessages).toEqual([]);
    expect(connection.closed).toBe(true);
  });
});
