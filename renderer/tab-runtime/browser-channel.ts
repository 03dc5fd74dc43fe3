/**
 * The tab's channel to the browser process: a string channel over the binding the shell installed
 * before the page's first script (`__labTabSend` out, `__labTabReceive` in), JSON messages, the
 * typed RPC on top. The page implements TabPage (heartbeats, title) and calls TabHostService (its
 * GPU and plugin channels, and the events telling it to ask again).
 *
 * A page the shell does not serve has no binding: it still renders, offline, and says so once in
 * the console.
 */
import { TabHostService, TabPage } from '../../protocol/interfaces/browser-tab.ts';
import { connect, type Connection } from '../../protocol/rpc/endpoint.ts';
import {
  bindingStringChannel,
  stringChannelTransport,
  TAB_CHANNEL_NAMES,
  type StringChannel,
} from '../../protocol/transport/string-channel.ts';

export type BrowserConnection = Connection<typeof TabPage, typeof TabHostService>;

/** How the page appears in traces: a tab's renderer process. */
export const SELF = { process: 'renderer' } as const;

/** Connects to the browser process, or returns undefined (and says why) when there is no binding. */
export function connectToBrowser(scope: object = globalThis): BrowserConnection | undefined {
  let channel: StringChannel;
  try {
    channel = bindingStringChannel(scope as Record<string, unknown>, TAB_CHANNEL_NAMES);
  } catch (error) {
    console.info(
      `[tab-runtime] offline: ${(error as Error).message}. The page runs on its own: no heartbeats, ` +
        'no GPU process (it draws in software), no plugins.',
    );
    return undefined;
  }
  return connect({
    transport: stringChannelTransport(channel, { process: 'browser' }),
    self: SELF,
    local: TabPage,
    remote: TabHostService,
    handlers: {},
    // The browser sent something malformed: nothing reaches the page's code; say so and go on.
    onBadMessage: (report) =>
      console.error(`[tab-runtime] bad message from the browser (${report.interface}): ${report.reason}`),
  });
}
