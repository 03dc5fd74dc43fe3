/**
 * The direct channels the browser brokered for the tabs' current pages (TabGpu, TabPlugin, TabLab), as the
 * UI shows them: `channel-opened` / `channel-closed` events, and the list behind `state().channels`
 * (the architecture map's edges from a renderer to the GPU process or the plugin host).
 */
import type { DirectChannel } from '../../protocol/interfaces/browser-state.ts';
import type { EventLog } from './event-log.ts';
import { GPU_PROCESS_ID } from './gpu-process-host.ts';
import { LAB_HOST_ID } from './lab-host-host.ts';
import { PLUGIN_HOST_ID } from './plugin-process-host.ts';
import type { ProcessRegistry } from './process-registry.ts';

const INTERFACES = ['TabGpu', 'TabPlugin', 'TabLab'] as const satisfies ReadonlyArray<DirectChannel['interface']>;

/** The process each interface's channels go to (a registry id). */
const CHANNEL_TARGETS: Record<DirectChannel['interface'], string> = {
  TabGpu: GPU_PROCESS_ID,
  TabPlugin: PLUGIN_HOST_ID,
  TabLab: LAB_HOST_ID,
};

export class DirectChannels {
  /** By `<tabId> <interface>`. */
  private readonly channels = new Map<string, DirectChannel>();

  constructor(
    private readonly registry: ProcessRegistry,
    private readonly log: EventLog,
  ) {}

  /** The channels whose GPU process or plugin host is still the one granted. */
  list(): DirectChannel[] {
    return [...this.channels.values()].filter((channel) => {
      const to = this.registry.get(channel.to);
      return (
        to?.pid === channel.toPid && (to.state === 'starting' || to.state === 'running' || to.state === 'unresponsive')
      );
    });
  }

  /** Records a tab's channel opened from renderer `from` to the process with `toPid`, or closed (`toPid` undefined). */
  note(
    tabId: string,
    channelInterface: DirectChannel['interface'],
    toPid: number | undefined,
    from: string | undefined,
  ): void {
    const key = `${tabId} ${channelInterface}`;
    const previous = this.channels.get(key);
    if (toPid === undefined) {
      if (!previous) return;
      this.channels.delete(key);
      this.log.record({ type: 'channel-closed', channel: previous });
      return;
    }
    if (from === undefined || (previous?.toPid === toPid && previous.from === from)) return;
    const channel: DirectChannel = {
      interface: channelInterface,
      tabId,
      from,
      to: CHANNEL_TARGETS[channelInterface],
      toPid,
    };
    this.channels.set(key, channel);
    this.log.record({ type: 'channel-opened', channel });
  }

  /** The tab's page is gone, and its channels with it. */
  closeAll(tabId: string): void {
    for (const channelInterface of INTERFACES) this.note(tabId, channelInterface, undefined, undefined);
  }
}
