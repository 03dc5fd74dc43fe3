// The per-sender message budget (ConnectOptions.messageBudget) over a real MessageChannel: a burst
// within it all arrives; past it the sender is reported once as FLOOD and its messages dropped
// until the budget is full again (it went quiet), when they pass again. Without a budget nothing is dropped.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { nodeMessagePortTransport } from '../transport/node-port.ts';
import { BadMessageReason } from './bad-message.ts';
import { connect, type MessageBudget } from './endpoint.ts';
import { EchoClient, EchoService } from './testing/echo-service.ts';
import { Kind } from './wire.ts';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function pair(messageBudget?: MessageBudget) {
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  const codes: BadMessageReason[] = [];
  const ticks: number[] = [];
  const receiver = connect({
    transport: nodeMessagePortTransport(channel.port1, { process: 'renderer', id: 'flooder' }),
    self: { process: 'browser' },
    local: EchoClient,
    handlers: {},
    remote: EchoService,
    onBadMessage: (_report, code) => codes.push(code),
    ...(messageBudget ? { messageBudget } : {}),
  });
  receiver.on('ticked', ({ n }) => ticks.push(n));
  const send = (from: number, count: number) => {
    for (let n = from; n < from + count; n++) channel.port2.postMessage([Kind.Event, 'ticked', { n }]);
  };
  return { send, codes, ticks };
}

it('takes a burst within the budget, reports a flood once and drops past it, takes messages again once refilled', async () => {
  const { send, codes, ticks } = pair({ burst: 100, perSecond: 1000 });
  send(0, 1000);
  await expect.poll(() => codes.length).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(codes).toEqual([BadMessageReason.FLOOD]);
  // The burst (and the few that refilled while it arrived), in order; nothing after the report.
  expect(ticks.length).toBeGreaterThanOrEqual(100);
  expect(ticks.length).toBeLessThan(200);
  expect(ticks).toEqual(Array.from({ length: ticks.length }, (_, n) => n));
  // Quiet for a tenth of a second refills all 100: these pass, and no new report.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const before = ticks.length;
  send(5000, 50);
  await expect.poll(() => ticks.length).toBe(before + 50);
  expect(codes).toEqual([BadMessageReason.FLOOD]);
});

it('drops nothing without a budget', async () => {
  const { send, codes, ticks } = pair();
  send(0, 5000);
  await expect.poll(() => ticks.length).toBe(5000);
  expect(codes).toEqual([]);
});
