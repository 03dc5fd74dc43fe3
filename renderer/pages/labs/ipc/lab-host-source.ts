/**
 * The product's IpcLabSource: the page's lab channel to the lab host (renderer/tab-runtime's
 * connectLabChannel, brokered by the browser). Connected at once and again whenever the channel
 * closed (the lab host crashed or its watchdog ended it; the browser starts a new one on asking), so
 * a run after a restart goes to the new host. A page the browser will not connect gets
 * LabHostNotConnectedError, which the view shows as such.
 *
 * After the lab host's run, the page times its own tab's GPU channel (`timeGpuChannel`,
 * gpu-channel-probe.ts) and adds it to the result as `app/gpu-channel`: apart from the run, so the
 * two do not measure each other.
 */
import { connectLabChannel, type GpuRoundTrips, type LabChannelClient } from '../../../tab-runtime/index.ts';
import type { IpcLabProgress, IpcLabResult } from '../../../../protocol/labs/ipc-result.ts';
import { gpuChannelFailed, gpuChannelResult } from './gpu-channel-probe.ts';
import { LabHostNotConnectedError, type IpcLabRunOptions, type IpcLabSource } from './ipc-lab-source.ts';

export interface LabHostIpcSourceOptions {
  readonly connect?: () => Promise<LabChannelClient>;
  /** Round trips on this tab's GPU channel (GpuCompositor.timeRoundTrips); none: not measured. */
  readonly timeGpuChannel?: () => Promise<GpuRoundTrips>;
}

export class LabHostIpcSource implements IpcLabSource {
  private client: Promise<LabChannelClient> | undefined;
  private readonly connect: () => Promise<LabChannelClient>;

  constructor(private readonly options: LabHostIpcSourceOptions = {}) {
    this.connect = options.connect ?? (() => connectLabChannel());
    void this.channel().catch(() => {}); // started now: the first run finds the lab host up
  }

  async run(options: IpcLabRunOptions, onProgress: (progress: IpcLabProgress) => void): Promise<IpcLabResult> {
    let client: LabChannelClient;
    try {
      client = await this.channel();
    } catch (error) {
      throw Object.assign(new LabHostNotConnectedError(), { cause: error });
    }
    const result = await client.runIpc(
      {
        quick: options.quick,
        // The schema's array type is mutable; the option is not.
        ...(options.only ? { only: [...options.only] } : {}),
        ...(options.tearRuns === undefined ? {} : { tearRuns: options.tearRuns }),
      },
      onProgress,
    );
    const time = this.options.timeGpuChannel;
    if (!time) return result;
    const gpu = await time().then(gpuChannelResult, gpuChannelFailed);
    const { sizes, error, ...spec } = gpu;
    const size = sizes[0];
    onProgress({
      line: size
        ? `${gpu.id.padEnd(22)} ${String(size.bytes).padStart(8)} B  p50 ${size.latencyUs.p50.toFixed(1).padStart(8)} us  p99 ${size.latencyUs.p99.toFixed(1).padStart(8)} us  (this tab's GPU channel, timed in the page)`
        : `${gpu.id}: not timed: ${error}`,
      ...(size ? { measured: { channel: spec, size } } : {}),
    });
    return { ...result, channels: [...result.channels, gpu] };
  }

  async reportHtml(result: IpcLabResult, language: string): Promise<string> {
    let client: LabChannelClient;
    try {
      client = await this.channel();
    } catch (error) {
      throw Object.assign(new LabHostNotConnectedError(), { cause: error });
    }
    return client.ipcReport(result, language);
  }

  async stop(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    if (client && !client.closed) await client.stopIpc();
  }

  /** The open channel, or a new one when there is none or it closed. */
  private async channel(): Promise<LabChannelClient> {
    const current = await this.client?.catch(() => undefined);
    if (current && !current.closed) return current;
    this.client = this.connect();
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }
}
