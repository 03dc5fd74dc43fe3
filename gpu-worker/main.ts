/**
 * Entry of the GPU process. Runs unchanged under Electron's utilityProcess.fork and under
 * child_process.fork: its only channel is the one to the browser process that started it; tabs
 * reach it over the direct channels the browser brokers (gpu-channels.ts).
 */
import { describeChildProcess } from '../protocol/interfaces/child-process-info.ts';
import { GpuHost, GpuService } from '../protocol/interfaces/browser-gpu.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { epochNow } from '../protocol/rpc/trace.ts';
import { transportToBrowser } from '../protocol/transport/to-browser.ts';
import { crashNow, hang } from './debug.ts';
import { GpuChannels } from './gpu-channels.ts';
import { Rasterizer } from './rasterizer.ts';

const startedAt = epochNow();
const self = { process: 'gpu', pid: process.pid };

// Listening starts at once; establishChannel waits for it, describe does not.
const channels = GpuChannels.listen({ rasterizer: new Rasterizer(process.pid), self });
channels.catch((error: unknown) => {
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
    establishChannel: async ({ clientId }) => ({ url: (await channels).grant(clientId) }),
    closeChannel: async ({ clientId }) => {
      (await channels).close(clientId);
      return {};
    },
    crash: () => crashNow(),
    hang: ({ ms }) => {
      hang(ms);
      return {};
    },
  },
  // The browser process is trusted; a bad message from it is a bug to see, not a peer to end.
  onBadMessage: (report) => console.error(`[gpu] bad message from the browser process: ${report.reason}`),
});

// Without its browser process a GPU process has nothing to draw for.
browser.onDidClose(() => process.exit(0));
