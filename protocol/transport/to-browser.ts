import type { ParentPort } from 'electron';
import { childProcessTransport, type ChildProcessChannelLike } from './child-process.ts';
import { parentPortClientPorts, parentPortTransport, type ClientPort, type ClientPortsOptions } from './electron.ts';
import type { Transport } from './transport.ts';

/** What a child process knows of its own process object: Electron's parentPort, or a fork's IPC. */
export interface ChildProcessSelf extends ChildProcessChannelLike {
  readonly parentPort?: ParentPort | null;
  readonly ppid: number;
}

/**
 * The GPU process's and plugin host's channel to the browser process, the same code under Electron
 * (`utilityProcess.fork`: `process.parentPort`) and plain Node (`child_process.fork`: the IPC channel).
 * The caller passes its own `process`, which keeps this folder free of Node globals.
 */
export function transportToBrowser(self: ChildProcessSelf): Transport {
  const peer = { process: 'browser', pid: self.ppid };
  if (self.parentPort) return parentPortTransport(self.parentPort, peer);
  if (self.send) return childProcessTransport(self, peer);
  throw new Error('No channel to the browser process: start this file with utilityProcess.fork or child_process.fork');
}

/**
 * A utility process's direct channels to its clients (tabs), as the browser brokers them in each
 * runtime. Under Electron (`utilityProcess.fork`: `process.parentPort`) each arrives as a
 * MessagePortMain on parentPort and `onClient` gets a transport over it; returns true. Under
 * `child_process.fork`, whose IPC channel cannot carry ports, returns false: the browser asks for
 * loopback WebSocket grants instead (utility/channel-server.ts).
 */
export function acceptClientPorts(
  self: ChildProcessSelf,
  onClient: (client: ClientPort) => void,
  options: ClientPortsOptions,
): boolean {
  if (!self.parentPort) return false;
  parentPortClientPorts(self.parentPort, onClient, options);
  return true;
}
