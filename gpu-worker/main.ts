/**
 * Entry of the GPU process. Runs unchanged under Electron's utilityProcess.fork and under
 * child_process.fork: its only channel is the one to the browser process that started it; tabs
 * reach it over the direct channels the browser brokers (gpu-channels.ts), which arrive in the way
 * the runtime allows, found out at run time: as ports on `process.parentPort` under utilityProcess,
 * as loopback WebSocket connections this process grants under child_process.fork (whose IPC
 * channel cannot carry ports).
 */
import { describeChildProcess } from '../protocol/interfaces/child-process-info.ts';
import { GpuHost, GpuService, MAX_TRAFFIC_CHANNELS } from '../protocol/interfaces/browser-gpu.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { epochNow } from '../protocol/rpc/trace.ts';
import { acceptClientPorts, transportToBrowser } from '../protocol/transport/to-browser.ts';
import { crashNow, hang } from './debug.ts';
import { GpuChannels } from './gpu-channels.ts';
import { Rasterizer } from './rasterizer.ts';
import { warmUp } from './warm-up.ts';

const startedAt = epochNow();
const self = { process: 'gpu', pid: process.pid };

const rasterizer = new Rasterizer(process.pid);
const channels = new GpuChannels({ rasterizer, self });
const viaPorts = acceptClientPorts(
  process,
  ({ clientId, transport, close }) => channels.accept(clientId, transport, close),
  {
    clientProcess: 'tab',
    onRefused: (reason) => console.error(`[gpu] ${reason}`),
  },
);
// Without ports, listening starts at once; establishChannel waits for it, describe does not.
const listening = viaPorts ? Promise.resolve() : channels.startListening();
listening.catch((error: unknown) => {
  // A GPU process that cannot serve tabs is of no use: exit, and let the browser count the failure.
  console.error('[gpu] could not listen for tab channels:', error);
  process.exit(1);
});

const browser = connect({
  transport: transportToBrowser(process),
  self,
  local: GpuService,
  remote: GpuHost,
  handlers: {
    describe: () => describeChildProcess(process, startedAt),
    establishChannel: async ({ clientId }) => {
      await listening;
      return { url: channels.grant(clientId) };
    },
    closeChannel: ({ clientId }) => {
      channels.close(clientId);
      return {};
    },
    getChannelTraffic: () => ({ channels: channels.trafficCounts(MAX_TRAFFIC_CHANNELS) }),
    crash: () => crashNow(),
    hang: ({ ms }) => {
      hang(ms);
      return {};
    },
    // A standby is asked once it is ready; the same rasterizer then draws its first real frame warm.
    warmUp: () => ({ rasterMs: warmUp(rasterizer) }),
  },
  // The browser process is trusted; a bad message from it is a bug to see, not a peer to end.
  onBadMessage: (report) => console.error(`[gpu] bad message from the browser process: ${report.reason}`),
});

// Without its browser process a GPU process has nothing to draw for.
browser.onDidClose(() => process.exit(0));
