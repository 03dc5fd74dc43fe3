/**
 * The product's IpcLabSource: the page's lab channel to the lab host (renderer/tab-runtime's
 * connectLabChannel, brokered by the browser). Connected at once and again whenever the channel
 * closed (the lab host crashed or its watchdog ended it; the browser starts a new one on asking), so
 * a run after a restart goes to the new host. A page the browser will not connect gets
 * LabHostNotConnectedError, which the view shows as such.
 */
import { connectLabChannel, type LabChannelClient } from '../../../tab-runtime/index.ts';
import type { IpcLabProgress, IpcLabResult } from '../../../../protocol/labs/ipc-result.ts';
import { LabHostNotConnectedError, type IpcLabRunOptions, type IpcLabSource } from './ipc-lab-source.ts';

export class LabHostIpcSource implements IpcLabSource {
  private client: Promise<LabChannelClient> | undefined;

  constructor(private readonly connect: () => Promise<LabChannelClient> = () => connectLabChannel()) {
    void this.channel().catch(() => {}); // started now: the first run finds the lab host up
  }

  async run(options: IpcLabRunOptions, onProgress: (progress: IpcLabProgress) => void): Promise<IpcLabResult> {
    let client: LabChannelClient;
    try {
      client = await this.channel();
    } catch (error) {
      throw Object.assign(new LabHostNotConnectedError(), { cause: error });
    }
    return client.runIpc(
      {
        quick: options.quick,
        // The schema's array type is mutable; the option is not.
        ...(options.only ? { only: [...options.only] } : {}),
        ...(options.tearRuns === undefined ? {} : { tearRuns: options.tearRuns }),
      },
      onProgress,
    );
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
