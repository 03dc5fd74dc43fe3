// What a process boundary buys: a plugin that aborts or spins takes down or stalls its host only.
// The test process stands in for the browser process and the tabs; the host is the real entry.
import { expect, it } from 'vitest';
import { endedAfterEachTest, rejectionOf, sleep } from './testing/tab.ts';

const { host, tab, endLater } = endedAfterEachTest();

it('crasher: crash aborts the host (SIGABRT), every tab loses its channel, and a new host serves again', async () => {
  const h = host();
  const [a, b] = await Promise.all([tab(h, 'tab-a'), tab(h, 'tab-b')]);
  await a.connection.remote.createInstance({ instanceId: 'boom', plugin: 'crasher' });
  await b.connection.remote.createInstance({
    instanceId: 'clock',
    plugin: 'clock',
    params: [{ name: 'intervalMs', value: '50' }],
  });
  await b.connection.remote.createInstance({ instanceId: 'hog', plugin: 'cpu-hog' });
  const [warning] = await a.rendersOf('boom', 1);
  expect(warning!.content).toMatchObject({ kind: 'text', text: expect.stringMatching(/aborts the plugin host/) });
  await b.rendersOf('clock', 2);

  // Calls in flight on both tabs when the host dies: b's waits 5 s, a's is the crash itself.
  const bPending = rejectionOf(b.connection.remote.command({ instanceId: 'hog', command: 'sleep', argument: '5000' }));
  await sleep(20);
  const aPending = rejectionOf(a.connection.remote.command({ instanceId: 'boom', command: 'crash' }));

  expect(await h.exited).toEqual({ code: null, signal: 'SIGABRT' });
  for (const pending of [aPending, bPending]) expect(await pending).toMatchObject({ code: 'RPC_CLOSED' });
  await Promise.all([a.socketClosed, b.socketClosed]);
  expect([a.connection.closed, b.connection.closed]).toEqual([true, true]);
  expect(h.connection.closed).toBe(true); // the browser learns it from its own channel

  // The browser's restart: a new host, new channels, the plugins work there.
  const restarted = host();
  const info = await restarted.connection.remote.describe({});
  expect(info.pid).not.toBe(h.child.pid);
  const again = await tab(restarted, 'tab-b');
  await again.connection.remote.createInstance({
    instanceId: 'clock',
    plugin: 'clock',
    params: [{ name: 'intervalMs', value: '50' }],
  });
  await again.rendersOf('clock', 3);
});

it('cpu-hog: spin stalls the whole host, other tabs included, and nothing outside it', async () => {
  const h = host();
  const [a, b] = await Promise.all([tab(h, 'tab-a'), tab(h, 'tab-b')]);
  await a.connection.remote.createInstance({ instanceId: 'hog', plugin: 'cpu-hog' });
  await b.connection.remote.createInstance({
    instanceId: 'clock',
    plugin: 'clock',
    params: [{ name: 'intervalMs', value: '50' }],
  });
  await a.rendersOf('hog', 1);

  // This process's own event loop, sampled every 10 ms through the spin.
  let last = performance.now();
  let longestGap = 0;
  const sampler = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  endLater(() => clearInterval(sampler));

  const spinning = a.connection.remote.command({ instanceId: 'hog', command: 'spin', argument: '500' });
  await a.rendersOf('hog', 2); // "spinning…", sent just before the loop starts
  const spinStarted = performance.now();
  const bStart = performance.now();
  await b.connection.remote.command({ instanceId: 'clock', command: 'reset' });
  const bWaited = performance.now() - bStart;
  const rendersDuringSpin = b.renders.filter((render) => render.at > spinStarted + 50 && render.at < spinStarted + 400);
  expect(await spinning).toEqual({ result: 'spun 500 ms' });
  const spinEnded = performance.now() - spinStarted;
  clearInterval(sampler);

  expect(bWaited).toBeGreaterThan(350); // tab b's call waited for tab a's plugin
  expect(rendersDuringSpin).toEqual([]); // and b's clock stopped ticking meanwhile
  expect(spinEnded).toBeGreaterThan(350);
  expect(longestGap).toBeLessThan(150); // the browser side never stalled

  // After the spin, the host answers promptly again, and the clock ticks.
  const t0 = performance.now();
  await h.connection.remote.describe({});
  expect(performance.now() - t0).toBeLessThan(200);
  const before = b.renders.length;
  await b.rendersOf('clock', before + 2);
});
