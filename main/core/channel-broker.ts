/**
 * The Chromium shell's ChannelBroker (ports.ts): the child grants a one-time loopback WebSocket URL
 * (utility/channel-server.ts) and the tab connects to it. Runtime-neutral: one RPC to the child. It
 * is the default where a shell names none (tests of the core with plain Node children).
 */
import type { ChannelBroker } from './ports.ts';

export const loopbackWebSocketBroker: ChannelBroker = {
  async establish(target, tabId) {
    return { kind: 'websocket', url: await target.grantWebSocket(tabId) };
  },
};
