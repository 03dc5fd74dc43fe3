// The GPU process entry as a real child process, started the way the browser process starts it.
import { afterEach, expect, inject, it } from 'vitest';
import { GpuHost, GpuService } from '../protocol/interfaces/browser-gpu.ts';
import { forkService } from '../protocol/rpc/testing/fork-service.ts';

/** The real entry, bundled once for the run (vitest.global-setup.ts). */
const entry = inject('childEntries').gpu;
let kill: (() => void) | undefined;
afterEach(() => kill?.());

it('answers describe with its own pid, and exits when the browser side disconnects', async () => {
  const { child, connection, exited } = forkService({
    entry,
    process: 'gpu',
    local: GpuHost,
    remote: GpuService,
    handlers: {},
  });
  kill = () => child.kill('SIGKILL');
  const info = await connection.remote.describe({});
  expect(info).toMatchObject({ pid: child.pid, runtime: 'node' });
  expect(info.versions.node).toBe(process.versions.node);
  child.disconnect();
  expect(await exited).toEqual({ code: 0, signal: null });
});

it('warms up (a standby before it is promoted): draws its warm-up frame with Skia, then serves a tab as before', async () => {
  const { child, connection } = forkService({
    entry,
    process: 'gpu',
    local: GpuHost,
    remote: GpuService,
    handlers: {},
  });
  kill = () => child.kill('SIGKILL');
  const { rasterMs } = await connection.remote.warmUp({});
  expect(rasterMs).toBeGreaterThan(0); // a frame was really drawn, not skipped
  const { url } = await connection.remote.establishChannel({ clientId: 'tab-1' });
  expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
});
