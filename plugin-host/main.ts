/**
 * Entry of the plugin host. Runs unchanged under Electron's utilityProcess.fork and under
 * child_process.fork: its only channel is the one to the browser process that started it.
 */
import { describeChildProcess } from '../protocol/interfaces/child-process-info.ts';
import { PluginHostHost, PluginHostService } from '../protocol/interfaces/browser-plugin-host.ts';
import { connect } from '../protocol/rpc/endpoint.ts';
import { epochNow } from '../protocol/rpc/trace.ts';
import { transportToBrowser } from '../protocol/transport/to-browser.ts';

const startedAt = epochNow();

const browser = connect({
  transport: transportToBrowser(process),
  self: { process: 'plugin-host', pid: process.pid },
  local: PluginHostService,
  remote: PluginHostHost,
  handlers: {
    describe: () => describeChildProcess(process, startedAt),
  },
  // The browser process is trusted; a bad message from it is a bug to see, not a peer to end.
  onBadMessage: (report) => console.error(`[plugin-host] bad message from the browser process: ${report.reason}`),
});

// Without its browser process a plugin host has nobody to run plugins for.
browser.onDidClose(() => process.exit(0));
