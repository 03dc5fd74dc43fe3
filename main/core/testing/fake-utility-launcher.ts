/**
 * FakeUtilityLauncher: the UtilityProcessLauncher port (../ports.ts) without processes. Each
 * "child" lives in the test's own process and serves the real GpuService, PluginHostService or LabHostService over
 * a worker_threads MessageChannel, so the core's process hosts run for real against it; the test
 * ends a child as a crash would with `crash()`. Children answer `establishChannel` with a made-up
 * loopback URL and record the client ids they were asked for (`grants`).
 */
import { GpuHost, GpuService } from '../../../protocol/interfaces/browser-gpu.ts';
import { LabHostHost, LabHostService } from '../../../protocol/interfaces/browser-lab-host.ts';
import { PluginHostHost, PluginHostService } from '../../../protocol/interfaces/browser-plugin-host.ts';
import { connect } from '../../../protocol/rpc/endpoint.ts';
import { nodeMessagePortTransport } from '../../../protocol/transport/node-port.ts';
import type { LaunchedChild, UtilityKind, UtilityProcessLauncher } from '../ports.ts';
import type { ChildExit } from '../process-registry.ts';

/** worker_threads' MessagePort, through Node's global MessageChannel: main/core imports no Node built-ins. */
type MessagePort = InstanceType<typeof MessageChannel>['port1'];

export interface FakeUtilityChild {
  readonly kind: UtilityKind;
  readonly pid: number;
  /** The child as the launcher handed it to the core. */
  readonly launched: LaunchedChild;
  /** Client ids the child was asked to grant a loopback WebSocket for. */
  readonly grants: string[];
  /** Ends it as a crash would (SIGABRT's exit code). */
  crash(): void;
}

export class FakeUtilityLauncher implements UtilityProcessLauncher {
  /** Every child launched, in order. */
  readonly children: FakeUtilityChild[] = [];
  private nextPid = 5001;
  private readonly ports: MessagePort[] = [];

  launch(kind: UtilityKind): LaunchedChild {
    const pid = this.nextPid++;
    const { port1: browserEnd, port2: childEnd } = new MessageChannel();
    this.ports.push(browserEnd, childEnd);
    const grants: string[] = [];
    const describe = () => ({
      pid,
      runtime: 'node' as const,
      versions: { node: 'in-process', v8: 'in-process' },
      startedAt: Date.now(),
    });
    const grant = ({ clientId }: { clientId: string }) => {
      grants.push(clientId);
      return { url: `ws://127.0.0.1:9/channel/${kind}-${clientId}-${grants.length}` };
    };
    const fail = (report: { reason: string }) => {
      throw new Error(`The ${kind} child got a bad message from the browser: ${report.reason}`);
    };
    const transport = nodeMessagePortTransport(childEnd, { process: 'browser' });
    const service =
      kind === 'gpu'
        ? connect({
            transport,
            self: { process: 'gpu', pid },
            local: GpuService,
            remote: GpuHost,
            handlers: {
              describe,
              establishChannel: grant,
              closeChannel: () => ({}),
              getChannelTraffic: () => ({ channels: [] }),
              crash: () => ({}),
              hang: () => ({}),
              warmUp: () => ({ rasterMs: 0 }),
            },
            onBadMessage: fail,
          })
        : kind === 'lab-host'
          ? connect({
              transport,
              self: { process: 'lab-host', pid },
              local: LabHostService,
              remote: LabHostHost,
              handlers: {
                describe,
                establishChannel: grant,
                closeChannel: () => ({}),
                getChannelTraffic: () => ({ channels: [] }),
                crash: () => ({}),
                hang: () => ({}),
              },
              onBadMessage: fail,
            })
          : connect({
              transport,
              self: { process: 'plugin-host', pid },
              local: PluginHostService,
              remote: PluginHostHost,
              handlers: {
                describe,
                listPlugins: () => ({ plugins: [] }),
                establishChannel: grant,
                closeChannel: () => ({}),
                getChannelTraffic: () => ({ channels: [] }),
              },
              onBadMessage: fail,
            });
    const exitListeners: Array<(exit: ChildExit) => void> = [];
    let exited: ChildExit | undefined;
    const end = (exit: ChildExit) => {
      if (exited) return;
      exited = exit;
      service.close('ended');
      browserEnd.close();
      for (const listener of exitListeners) listener(exit);
    };
    const launched: LaunchedChild = {
      pid,
      transport: nodeMessagePortTransport(browserEnd, { process: kind, pid }),
      kill: () => end({ reason: 'killed', signal: 'SIGKILL' }),
      onDidExit: (listener) => (exited ? listener(exited) : void exitListeners.push(listener)),
    };
    this.children.push({ kind, pid, launched, grants, crash: () => end({ reason: 'crashed', code: 134 }) });
    return launched;
  }

  /** Closes every channel it opened. */
  dispose(): void {
    for (const port of this.ports.splice(0)) port.close();
  }
}
