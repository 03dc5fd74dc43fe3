// The wall between plugin code and the host, in process: real plugins (the built-ins and the faulty
// fixtures), real timers; every failure must stay in its own call or end up in the log.
import { afterEach, expect, it } from 'vitest';
import { PluginInstances } from './plugin-instances.ts';
import { PluginRegistry } from './plugin-registry.ts';
import type { PluginContent } from './plugin.ts';
import { builtinPlugins } from './plugins/index.ts';
import { failsToCreate, faulty, fixtureLog } from './testing/faulty-plugins.ts';
import { rejectionOf, sleep } from './testing/tab.ts';

const registry = new PluginRegistry([...builtinPlugins, failsToCreate, faulty]);
const made: PluginInstances[] = [];
afterEach(() => {
  for (const instances of made.splice(0)) instances.destroyAll();
  fixtureLog.length = 0;
});

function tab() {
  const renders: Array<{ instanceId: string; content: PluginContent }> = [];
  const log: string[] = [];
  const instances = new PluginInstances({
    registry,
    owner: 'tab#t1',
    render: (instanceId, content) => renders.push({ instanceId, content }),
    log: (line) => log.push(line),
  });
  made.push(instances);
  return { instances, renders, log };
}

const thrown = (run: () => unknown): Error & { code?: string } => {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a throw');
};

it('a failing create fails that call only, and what it started is stopped', async () => {
  const { instances } = tab();
  expect(thrown(() => instances.create('x', 'fails-to-create'))).toMatchObject({
    code: 'FIXTURE_CREATE',
    message: 'no instance for you',
  });
  await sleep(30);
  expect(fixtureLog).toEqual([]); // its interval never ran
  expect(instances.size).toBe(0);
  instances.create('x', 'clock'); // the id was never taken
});

it('holds renders made during create until just after the create call returns', async () => {
  const { instances, renders } = tab();
  instances.create('c', 'clock', [{ name: 'style', value: 'text' }]);
  expect(renders).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(renders).toEqual([{ instanceId: 'c', content: { kind: 'text', text: expect.stringMatching(/tick 0$/) } }]);
});

it("turns what a command throws into that call's error: name, message, code, cut to the wire's bounds", async () => {
  const { instances } = tab();
  instances.create('f', 'faulty', [{ name: 'intervalMs', value: '10000' }]);
  expect(await rejectionOf(instances.command('f', 'throw', undefined))).toMatchObject({
    name: 'RangeError',
    message: 'thrown by a command',
  });
  expect(await rejectionOf(instances.command('f', 'reject', undefined))).toMatchObject({ code: 'FIXTURE_REJECT' });
  expect(await rejectionOf(instances.command('f', 'throwString', undefined))).toMatchObject({
    message: 'a string, not an Error',
  });
  const huge = await rejectionOf(instances.command('f', 'throwHuge', undefined));
  expect([huge.name.length, huge.message.length, huge.code?.length]).toEqual([128, 64 * 1024, 128]);
  expect(await rejectionOf(instances.command('f', 'throwUndescribable', undefined))).toMatchObject({
    message: /cannot be described/,
  });
  expect(await rejectionOf(instances.command('f', 'longResult', undefined))).toMatchObject({
    code: 'PLUGIN_BAD_RESULT',
  });
  expect(await rejectionOf(instances.command('f', 'numberResult', undefined))).toMatchObject({
    code: 'PLUGIN_BAD_RESULT',
  });
  expect(await rejectionOf(instances.command('f', 'badRender', undefined))).toMatchObject({
    name: 'TypeError',
    message: /render: content does not fit/,
  });
  expect(await instances.command('f', 'echo', 'still here')).toEqual({ result: 'still here' });
  expect(await instances.command('f', 'echo', undefined)).toEqual({});
});

it('logs a throwing timer callback with the tab and instance, and the instance keeps ticking', async () => {
  const { instances, renders, log } = tab();
  instances.create('f', 'faulty', [{ name: 'intervalMs', value: '10' }]);
  await sleep(120);
  expect(
    log.some((line) => line.startsWith('[plugin-host] tab#t1 faulty#f: a timer callback threw: Error: tick 1 failed')),
  ).toBe(true);
  expect(
    renders.filter((render) => render.content.kind === 'text' && /^tick \d+$/.test(render.content.text)).length,
  ).toBeGreaterThan(1);
});

it('destroying an instance ends its running commands, timers and renders, even when its destroy throws', async () => {
  const { instances, renders, log } = tab();
  instances.create('f', 'faulty', [{ name: 'intervalMs', value: '10' }]);
  const waiting = rejectionOf(instances.command('f', 'wait', '5000'));
  const never = rejectionOf(instances.command('f', 'never', undefined));
  await sleep(30);
  instances.destroy('f');
  expect(await waiting).toMatchObject({ code: 'PLUGIN_NO_INSTANCE', message: /destroyed while wait ran/ });
  expect(await never).toMatchObject({ code: 'PLUGIN_NO_INSTANCE' });
  expect(fixtureLog).toEqual(['wait aborted: instance "f" was destroyed while wait ran', 'destroy f']);
  expect(log.some((line) => line.includes('faulty#f: destroy threw: Error: destroy failed too'))).toBe(true);
  const count = renders.length;
  await sleep(50);
  expect(renders.length).toBe(count);
  expect(instances.size).toBe(0);
});

it("aborts a command's signal when its caller gives up", async () => {
  const { instances } = tab();
  instances.create('f', 'faulty', [{ name: 'intervalMs', value: '10000' }]);
  const caller = new AbortController();
  const waiting = rejectionOf(instances.command('f', 'wait', '5000', caller.signal));
  caller.abort(new Error('the tab stopped waiting'));
  expect(await waiting).toMatchObject({ message: 'the tab stopped waiting' });
  expect(fixtureLog).toEqual(['wait aborted: the tab stopped waiting']);
});

it('clamps the clock interval and refuses params that are not numbers', async () => {
  const { instances, renders } = tab();
  instances.create('fast', 'clock', [
    { name: 'intervalMs', value: '1' },
    { name: 'style', value: 'text' },
  ]);
  await sleep(260);
  const ticks = renders.filter((render) => render.instanceId === 'fast').length;
  expect(ticks).toBeGreaterThanOrEqual(3); // one at creation, then every 50 ms at the fastest
  expect(ticks).toBeLessThanOrEqual(7);
  expect(thrown(() => instances.create('bad', 'clock', [{ name: 'intervalMs', value: 'NaN' }]))).toMatchObject({
    code: 'PLUGIN_BAD_PARAM',
  });
  expect(thrown(() => instances.create('bad', 'clock', [{ name: 'style', value: 'sundial' }]))).toMatchObject({
    code: 'PLUGIN_BAD_PARAM',
  });
  expect(thrown(() => instances.create('bad', 'cpu-hog', [{ name: 'spinEveryMs', value: '1e999' }]))).toMatchObject({
    code: 'PLUGIN_BAD_PARAM',
  });
});
