// The plugin host entry as a real child process, started the way the browser process starts it.
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { PluginHostHost, PluginHostService } from '../protocol/interfaces/browser-plugin-host.ts';
import { forkService } from '../protocol/rpc/testing/fork-service.ts';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
let kill: (() => void) | undefined;
afterEach(() => kill?.());

it('answers describe with its own pid, and exits when the browser side disconnects', async () => {
  const { child, connection, exited } = forkService({ entry, process: 'plugin-host', local: PluginHostHost, remote: PluginHostService, handlers: {} });
  kill = () => child.kill('SIGKILL');
  const info = await connection.remote.describe({});
  expect(info).toMatchObject({ pid: child.pid, runtime: 'node' });
  expect(info.versions.node).toBe(process.versions.node);
  child.disconnect();
  expect(await exited).toEqual({ code: 0, signal: null });
});
