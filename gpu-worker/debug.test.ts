// chrome://gpucrash and chrome://gpuhang on the real GPU process: a native abort the OS reports as
// SIGABRT, and a main thread that stops answering while the process stays alive.
import { afterEach, expect, inject, it } from 'vitest';
import { startGpuProcess, type GpuProcess } from './testing/gpu-process.ts';

let gpu: GpuProcess | undefined;
afterEach(() => {
  gpu?.child.kill('SIGKILL');
});

it('crash ends the process with SIGABRT, answering nothing', async () => {
  gpu = startGpuProcess(inject('childEntries').gpu);
  await gpu.connection.remote.describe({});
  const error = await gpu.connection.remote.crash({}).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: 'RPC_CLOSED' });
  expect(await gpu.exited).toEqual({ code: null, signal: 'SIGABRT' });
});

it('hang stops the main thread: calls time out while the process lives on, until SIGKILL ends it', async () => {
  gpu = startGpuProcess(inject('childEntries').gpu);
  const { child } = gpu;
  await gpu.connection.remote.describe({});
  const hung = gpu.connection.remote.hang({}, { timeoutMs: 60_000 }).catch((caught: unknown) => caught);
  await expect(gpu.connection.remote.describe({}, { timeoutMs: 500 })).rejects.toMatchObject({ code: 'RPC_TIMEOUT' });
  await expect(gpu.connection.remote.establishChannel({ clientId: 'tab-1' }, { timeoutMs: 300 })).rejects.toMatchObject(
    { code: 'RPC_TIMEOUT' },
  );
  expect(child.exitCode).toBeNull();
  expect(child.signalCode).toBeNull();
  expect(() => process.kill(child.pid!, 0)).not.toThrow(); // still there
  child.kill('SIGKILL');
  expect(await gpu.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(await hung).toMatchObject({ code: 'RPC_CLOSED' });
});

it('hang with ms answers after spinning that long, and everything queued behind it waits', async () => {
  gpu = startGpuProcess(inject('childEntries').gpu);
  await gpu.connection.remote.describe({});
  const start = performance.now();
  const hung = gpu.connection.remote.hang({ ms: 600 });
  const described = gpu.connection.remote.describe({}).then(() => performance.now() - start);
  expect(await hung).toEqual({});
  expect(await described).toBeGreaterThanOrEqual(550);
});
