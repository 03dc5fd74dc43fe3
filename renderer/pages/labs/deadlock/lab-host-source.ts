/**
 * The product's DeadlockLabSource: the page's lab channel to the lab host (connectLabChannel),
 * connected at once and again whenever it closed (the lab host crashed, or the browser's watchdog
 * ended it after "ignoring it" stalled it), as the IPC page's source does.
 */
import { connectLabChannel, onLabHostChanged, type LabChannelClient } from '../../../tab-runtime/index.ts';
import type { DeadlockLabCalls } from '../../../tab-runtime/index.ts';
import { LabHostNotConnectedError, type DeadlockLabSource } from './deadlock-lab-source.ts';

export class LabHostDeadlockSource implements DeadlockLabSource {
  private client: Promise<LabChannelClient> | undefined;

  constructor(private readonly connect: () => Promise<LabChannelClient> = () => connectLabChannel()) {
    void this.channel().catch(() => {});
  }

  run: DeadlockLabCalls['run'] = async (options, listeners) => (await this.calls()).run(options, listeners);
  recover = async () => (await this.calls()).recover();
  async stop(): Promise<boolean> {
    const client = await this.client?.catch(() => undefined);
    return client && !client.closed ? client.deadlock.stop() : false;
  }
  banker: DeadlockLabCalls['banker'] = async (request) => (await this.calls()).banker(request);
  syncCall: DeadlockLabCalls['syncCall'] = async (options, onProgress) =>
    (await this.calls()).syncCall(options, onProgress);
  starvation: DeadlockLabCalls['starvation'] = async (options) => (await this.calls()).starvation(options);
  stall: DeadlockLabCalls['stall'] = async (onSnapshot) => (await this.calls()).stall(onSnapshot);

  async hostPid(): Promise<number> {
    return (await this.channel()).hostPid;
  }

  onHostChanged(listener: (running: boolean) => void): () => void {
    return onLabHostChanged(listener);
  }

  private async calls(): Promise<DeadlockLabCalls> {
    try {
      return (await this.channel()).deadlock;
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
