/**
 * Entry of the lab host. Runs unchanged under Electron's utilityProcess.fork and under
 * child_process.fork, like the plugin host: its only channel is the one to the browser process that
 * started it; lab pages reach it through the direct channels the browser brokers (lab-channels.ts),
 * as ports on `process.parentPort` under utilityProcess, as loopback WebSocket connections this host
 * grants under child_process.fork. Bundled (the app's build, the tests' bundles), the IPC lab's peer
 * process and ring thread are the built files beside this one (built-entries.ts).
 */
import { MAX_TRAFFIC_CHANNELS } from '../protocol/interfaces/browser-gpu.ts';
import { LabHostHost, LabHostService } from '../protocol/interfaces/browser-lab-host.ts';
import { describeChildProcess } from '../protocol/interfaces/child-process-info.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { epochNow } from '../protocol/rpc/trace.ts';
import { acceptClientPorts, transportToBrowser } from '../protocol/transport/to-browser.ts';
import { useBundledEntries } from './built-entries.ts';
import { crashNow, hang } from './debug.ts';
import { LabChannels } from './lab-channels.ts';

const startedAt = epochNow();
const self = { process: 'lab-host', pid: process.pid };

useBundledEntries(import.meta.filename);

const channels = new LabChannels({ self });
const viaPorts = acceptClientPorts(
  process,
  ({ clientId, transport, close }) => channels.accept(clientId, transport, close),
  {
    clientProcess: 'tab',
    onRefused: (reason) => console.error(`[lab-host] ${reason}`),
  },
);
// Without ports, listening starts now; describe does not wait for it, establishChannel does.
const listening = viaPorts ? Promise.resolve() : channels.startListening();
listening.catch((error: unknown) => console.error('[lab-host] cannot listen for tab channels:', error));

const browser = connect({
  transport: transportToBrowser(process),
  self,
  local: LabHostService,
  remote: LabHostHost,
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
  },
  // The browser process is trusted; a bad message from it is a bug to see, not a peer to end.
  onBadMessage: (report) => console.error(`[lab-host] bad message from the browser process: ${report.reason}`),
});

// Without its browser process a lab host has nobody to run labs for (its peers see it gone and end).
browser.onDidClose(() => process.exit(0));
