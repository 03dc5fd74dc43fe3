/**
 * RecordingChannelBroker: the ChannelBroker port (../ports.ts) as a test sees it: it records what
 * the core asks of it and answers with a port id, as the Electron shell's broker does.
 */
import type { BrokerTarget, ChannelBroker, ChannelEndpoint } from '../ports.ts';

export class RecordingChannelBroker implements ChannelBroker {
  /** Every request, in order. */
  readonly calls: Array<{ target: BrokerTarget; tabId: string }> = [];

  /** Answers `<kind>-<tabId>-<n>`, n counting every request from 1. */
  establish(target: BrokerTarget, tabId: string): Promise<ChannelEndpoint> {
    this.calls.push({ target, tabId });
    return Promise.resolve({ kind: 'port', portId: `${target.kind}-${tabId}-${this.calls.length}` });
  }
}
