/**
 * Entry of the GPU process. Runs unchanged under Electron's utilityProcess.fork and under
 * child_process.fork: its only channel is the one to the browser process that started it.
 */
import { describeChildProcess } from '../protocol/interfaces/child-process-info.ts';
import { GpuHost, GpuService } from '../protocol/interfaces/browser-gpu.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { epochNow } from '../protocol/rpc/trace.ts';
import { transportToBrowser } from '../protocol/transport/to-browser.ts';

const startedAt = epochNow();

const browser = connect({
  transport: transportToBrowser(process),
  self: { process: 'gpu', pid: process.pid },
  local: GpuService,
  remote: GpuHost,
  handlers: {
    describe: () => describeChildProcess(process, startedAt),
  },
  // The browser process is trusted; a bad message from it is a bug to see, not a peer to end.
  onBadMessage: (report) => console.error(`[gpu] bad message from the browser process: ${report.reason}`),
});

// Without its browser process a GPU process has nothing to draw for.
browser.onDidClose(() => process.exit(0));
