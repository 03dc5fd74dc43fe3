/**
 * The lab pages' direct channels to this host, one per tab, each serving LabChannel, however it
 * arrives: a connection to the ChannelServer (utility/channel-server.ts) under child_process.fork,
 * or a port the browser sent under Electron's utilityProcess (`accept`). One lab runs at a time in
 * the whole host (two runs would measure each other); a run stops when its tab asks (stopIpc), when
 * its call is cancelled, or when its channel closes. A malformed message from a tab is logged with
 * the tab's identity and answered with RPC_BAD_MESSAGE where it had a call id; the host keeps going.
 */
import type { IpcLabProgress, IpcLabResult } from '../protocol/labs/ipc-result.ts';
import {
  LabChannel,
  LabChannelClient,
  LabChannelErrorCode,
  type IpcLabRunOptions,
} from '../protocol/interfaces/tab-lab.ts';
import { connect, type BadMessageReport, type Connection } from '../protocol/rpc/endpoint.ts';
import { CodedError } from '../protocol/rpc/errors.ts';
import type { Static } from '../protocol/rpc/schema.ts';
import { describePeer, type PeerIdentity, type Transport } from '../protocol/transport/transport.ts';
import { ChannelServer } from '../utility/channel-server.ts';
import { ChannelTrafficCounter, type ClientTraffic } from '../utility/channel-traffic.ts';
import { deadlockHandlers, type RunSlot } from './deadlock/deadlock-channel.ts';
import { runIpcLab, type IpcLabOptions } from './ipc/ipc-lab.ts';
import { channelSpecs } from './ipc/kinds.ts';
import { loadNativeIpc } from './ipc/native/native-ipc.ts';
import { ThreadsChannel } from './threads/threads-channel.ts';
import { ipcReportHtml, readReportViewer } from './ipc/report-file.ts';

export interface LabChannelsOptions {
  /** This process, as it appears in traces. */
  readonly self: PeerIdentity;
  /** Where bad messages are written; stderr by default. */
  readonly log?: (line: string) => void;
}

/** The run going in this host: whose it is and how to stop it. */
interface Run {
  readonly clientId: string;
  readonly controller: AbortController;
}

export class LabChannels {
  private readonly tabs = new Map<string, Connection<typeof LabChannel, typeof LabChannelClient>>();
  private readonly log: (line: string) => void;
  private server: ChannelServer | undefined;
  private readonly traffic = new ChannelTrafficCounter();
  private run: Run | undefined;
  private readonly threadsLab = new ThreadsChannel();

  constructor(private readonly options: LabChannelsOptions) {
    this.log = options.log ?? ((line) => console.error(line));
  }

  /** Starts listening for tabs on a loopback port (under child_process.fork, where ports cannot come). */
  async startListening(): Promise<void> {
    if (this.server) return;
    this.server = await ChannelServer.listen({
      clientProcess: 'tab',
      onChannel: (clientId, transport) => this.accept(clientId, transport),
    });
  }

  /** A one-time URL where the tab `clientId` connects for its channel; throws when not listening. */
  grant(clientId: string): string {
    if (!this.server)
      throw new Error("This lab host takes its tabs' channels as ports from the browser, not WebSockets");
    return this.server.grant(clientId);
  }

  /** Ends `clientId`'s channel (and stops its run); nothing happens for a tab without one. */
  close(clientId: string): void {
    this.tabs.get(clientId)?.close('the browser process closed the channel');
    this.server?.revoke(clientId);
  }

  /** Messages on each tab's channel so far (cumulative), at most `max` tabs. */
  trafficCounts(max?: number): ClientTraffic[] {
    return this.traffic.snapshot(max);
  }

  async dispose(): Promise<void> {
    for (const connection of [...this.tabs.values()]) connection.close('the lab host is shutting down');
    await this.server?.close();
    await this.threadsLab.dispose();
  }

  /**
   * Serves LabChannel for `clientId` over `transport` (a port the browser sent, or an admitted
   * socket), replacing the tab's previous channel (its run stops); `release` runs when it closes.
   */
  accept(clientId: string, transport: Transport, release: () => void = () => {}): void {
    const previous = this.tabs.get(clientId);
    this.tabs.delete(clientId);
    previous?.close('replaced by a new channel');
    const connection = connect({
      transport: this.traffic.count(clientId, transport),
      self: this.options.self,
      local: LabChannel,
      remote: LabChannelClient,
      handlers: {
        runIpc: (options, { signal }) =>
          this.runIpc(clientId, options, signal, (progress) => connection.emit('ipcProgress', progress)),
        stopIpc: () => ({ stopped: this.stop(clientId) }),
        runThreads: (options, { signal }) =>
          this.exclusive(clientId, signal, 'threads lab run', (runSignal) =>
            this.threadsLab.run(options, runSignal, (progress) => connection.emit('threadsProgress', progress)),
          ),
        replayThreads: (options, { signal }) =>
          this.exclusive(clientId, signal, 'threads replay', (runSignal) => this.threadsLab.replay(options, runSignal)),
        measureProcessVsThread: (options, { signal }) =>
          this.exclusive(clientId, signal, 'process vs thread', (runSignal) =>
            this.threadsLab.processVsThread(options, runSignal),
          ),
        stopThreads: () => ({ stopped: this.stop(clientId) }),
        // The deadlock lab (lab-host/deadlock/deadlock-channel.ts), in the same run slot.
        ...deadlockHandlers({
          takeRunSlot: (callSignal) => this.takeRunSlot(clientId, callSignal),
          emitSnapshot: (event) => connection.emit('deadlockSnapshot', event),
          emitProgress: (event) => connection.emit('deadlockProgress', event),
        }),
        deadlockStop: () => ({ stopped: this.stop(clientId) }),
        // Not under the one-run rule: it measures nothing (a file read and a string).
        ipcReport: async ({ result, language }) => {
          try {
            return { html: ipcReportHtml(result, await readReportViewer(), language) };
          } catch (error) {
            throw new CodedError(LabChannelErrorCode.LAB_RUN_FAILED, (error as Error).message);
          }
        },
      },
      onBadMessage: (report: BadMessageReport) =>
        this.log(`[lab-host] bad message from ${describePeer(report.peer)} on ${report.interface}: ${report.reason}`),
    });
    this.tabs.set(clientId, connection);
    connection.onDidClose(() => {
      this.stop(clientId);
      if (this.tabs.get(clientId) === connection) {
        this.tabs.delete(clientId);
        this.traffic.forget(clientId);
      }
      release();
    });
  }

  /** Stops `clientId`'s run, if it has the one going; true when it had. */
  private stop(clientId: string): boolean {
    if (this.run?.clientId !== clientId) return false;
    this.run.controller.abort();
    return true;
  }

  /** The one run slot for `clientId`'s call: LAB_RUN_IN_PROGRESS when taken; aborted by stop, the call's cancel, or the channel closing. */
  private takeRunSlot(clientId: string, callSignal: AbortSignal): RunSlot {
    if (this.run)
      throw new CodedError(
        LabChannelErrorCode.LAB_RUN_IN_PROGRESS,
        `A lab is already running here (for ${this.run.clientId === clientId ? 'this tab' : 'another tab'})`,
      );
    const controller = new AbortController();
    const run: Run = { clientId, controller };
    this.run = run;
    const cancel = () => controller.abort();
    callSignal.addEventListener('abort', cancel, { once: true });
    return {
      signal: controller.signal,
      release: () => {
        callSignal.removeEventListener('abort', cancel);
        if (this.run === run) this.run = undefined;
      },
    };
  }

  private async runIpc(
    clientId: string,
    options: Static<typeof IpcLabRunOptions>,
    callSignal: AbortSignal,
    onProgress: (progress: IpcLabProgress) => void,
  ): Promise<IpcLabResult> {
    if (options.only && !this.run) {
      const known = channelSpecs(loadNativeIpc()).map((spec) => spec.id);
      const unknown = options.only.filter((id) => !known.includes(id));
      if (unknown.length)
        throw new CodedError(
          LabChannelErrorCode.LAB_BAD_OPTIONS,
          `Unknown channel ${unknown.join(', ')} (here: ${known.join(', ')})`,
        );
    }
    return this.exclusive(clientId, callSignal, 'IPC lab run', (signal) =>
      runIpcLab({ ...ipcLabOptions(options), onProgress, signal }),
    );
  }

  /**
   * `work` in this host's one run slot, for `clientId`: refused with LAB_RUN_IN_PROGRESS while another
   * runs; stopped (LAB_RUN_STOPPED) on stop, a cancelled call or the channel closing; any other
   * failure is LAB_RUN_FAILED, except a lab's own coded refusal (LAB_BAD_OPTIONS), which passes.
   */
  private async exclusive<T>(
    clientId: string,
    callSignal: AbortSignal,
    what: string,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const slot = this.takeRunSlot(clientId, callSignal);
    try {
      return await work(slot.signal);
    } catch (error) {
      if (slot.signal.aborted) throw new CodedError(LabChannelErrorCode.LAB_RUN_STOPPED, `The ${what} was stopped`);
      if (error instanceof CodedError && error.code === LabChannelErrorCode.LAB_BAD_OPTIONS) throw error;
      throw new CodedError(LabChannelErrorCode.LAB_RUN_FAILED, `The ${what} failed: ${(error as Error).message}`);
    } finally {
      slot.release();
    }
  }
}

/** A page's options as the lab takes them; `quick` as `npm run lab:ipc -- --quick --no-perf`. */
export function ipcLabOptions(options: Static<typeof IpcLabRunOptions>): IpcLabOptions {
  const quick = options.quick === true;
  const roundTrips = options.roundTrips;
  return {
    ...(options.sizes ? { sizes: options.sizes } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(roundTrips !== undefined
      ? { roundTrips: () => roundTrips }
      : quick
        ? { roundTrips: (size: number) => (size <= 65536 ? 300 : 30) }
        : {}),
    ...(quick ? { streamFrames: (size: number) => (size <= 65536 ? 300 : 20), kernelFloor: false } : {}),
    tearRuns: options.tearRuns ?? (quick ? 3 : 10),
  };
}
