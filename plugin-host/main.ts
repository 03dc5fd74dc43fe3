/**
 * Entry of the plugin host. Runs unchanged under Electron's utilityProcess.fork and under
 * child_process.fork: its only channel is the one to the browser process that started it; tabs
 * reach it through the direct channels the browser brokers (plugin-channels.ts), which arrive in
 * the way the runtime allows, found out at run time: as ports on `process.parentPort` under
 * utilityProcess, as loopback WebSocket connections this host grants under child_process.fork.
 */
import { describeChildProcess } from '../protocol/interfaces/child-process-info.ts';
import { MAX_TRAFFIC_CHANNELS } from '../protocol/interfaces/browser-gpu.ts';
import { PluginHostHost, PluginHostService } from '../protocol/interfaces/browser-plugin-host.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { epochNow } from '../protocol/rpc/trace.ts';
import { acceptClientPorts, transportToBrowser } from '../protocol/transport/to-browser.ts';
import { PluginChannels } from './plugin-channels.ts';
import { PluginRegistry } from './plugin-registry.ts';
import { builtinPlugins } from './plugins/index.ts';

const startedAt = epochNow();
const self = { process: 'plugin-host', pid: process.pid };

// Plugin code shares this process. What escapes the host's guards (a plugin's own raw timer or
// promise) is logged rather than fatal, as in VS Code's extension host: one bad plugin must not end
// every tab's plugins. A real crash (process.abort, a native fault) still ends the process.
process.on('uncaughtException', (error) => console.error('[plugin-host] uncaught exception (a plugin?):', error));
process.on('unhandledRejection', (reason) => console.error('[plugin-host] unhandled rejection (a plugin?):', reason));

const registry = new PluginRegistry(builtinPlugins);
const channels = new PluginChannels({ registry, self });
const viaPorts = acceptClientPorts(
  process,
  ({ clientId, transport, close }) => channels.accept(clientId, transport, close),
  {
    clientProcess: 'tab',
    onRefused: (reason) => console.error(`[plugin-host] ${reason}`),
  },
);
// Without ports, listening starts now; describe does not wait for it, establishChannel does.
const listening = viaPorts ? Promise.resolve() : channels.startListening();
listening.catch((error: unknown) => console.error('[plugin-host] cannot listen for tab channels:', error));

const browser = connect({
  transport: transportToBrowser(process),
  self,
  local: PluginHostService,
  remote: PluginHostHost,
  handlers: {
    describe: () => describeChildProcess(process, startedAt),
    listPlugins: () => ({ plugins: registry.list() }),
    establishChannel: async ({ clientId }) => {
      await listening;
      return { url: channels.grant(clientId) };
    },
    closeChannel: ({ clientId }) => {
      channels.close(clientId);
      return {};
    },
    getChannelTraffic: () => ({ channels: channels.trafficCounts(MAX_TRAFFIC_CHANNELS) }),
  },
  // The browser process is trusted; a bad message from it is a bug to see, not a peer to end.
  onBadMessage: (report) => console.error(`[plugin-host] bad message from the browser process: ${report.reason}`),
});

// Without its browser process a plugin host has nobody to run plugins for.
browser.onDidClose(() => process.exit(0));
