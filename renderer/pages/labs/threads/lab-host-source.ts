/**
 * The product's ThreadsLabSource: the page's lab channel to the lab host (connectLabChannel, brokered
 * by the browser), connected at once and again whenever it closed (the lab host crashed or its
 * watchdog ended it), as the IPC page's source does.
 */
import { connectLabChannel, type LabChannelClient } from '../../../tab-runtime/index.ts';
import type {
  ProcessVsThread,
  ProcessVsThreadOptions,
  ReplayResult,
  ThreadsLabProgress,
  ThreadsReplayOptions,
  ThreadsRunOptions,
  ThreadsRunResult,
} from '../../../../protocol/labs/threads-result.ts';
import { LabHostNotConnectedError, type ThreadsLabSource } from './threads-lab-source.ts';

export class LabHostThreadsSource implements ThreadsLabSource {
  private client: Promise<LabChannelClient> | undefined;

  constructor(private readonly connect: () => Promise<LabChannelClient> = () => connectLabChannel()) {
    void this.channel().catch(() => {}); // started now: the first run finds the lab host up
  }

  async run(options: ThreadsRunOptions, onProgress: (progress: ThreadsLabProgress) => void): Promise<ThreadsRunResult> {
    return (await this.connected()).runThreads(options, onProgress);
  }

  async replay(options: ThreadsReplayOptions): Promise<ReplayResult> {
    return (await this.connected()).replayThreads(options);
  }

  async processVsThread(options: ProcessVsThreadOptions): Promise<ProcessVsThread> {
    return (await this.connected()).measureProcessVsThread(options);
  }

  async stop(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    if (client && !client.closed) await client.stopThreads();
  }

  private async connected(): Promise<LabChannelClient> {
    try {
      return await this.channel();
    } catch (error) {
      throw Object.assign(new LabHostNotConnectedError(), { cause: error });
    }
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
