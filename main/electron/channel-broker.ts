/**
 * `ElectronChannelBroker implements ChannelBroker` (main/core/ports.ts): a tab's direct channel to
 * the GPU process or the plugin host as a `MessageChannelMain`, as Chrome hands a renderer its
 * GpuChannel. One end goes to the utility process over its own channel
 * (`child.postMessage({ type: 'connect-client', clientId }, [port1])`, through the launched child's
 * transport, which passes the transfer list to `UtilityProcess.postMessage`); the other to the tab's
 * webContents (`webContents.postMessage(IPC.tabPort, { portId, document }, [port2])`), whose preload
 * forwards it into the page only if `document` is its own document's token (so a port sent to a
 * document that has since been replaced by a navigation never reaches the new one). The answer to
 * the page's request names the port by `portId`.
 *
 * A new request (the page reloaded, the GPU process restarted) gets a new pair; the child replaces
 * the tab's old channel, and a port that reaches a page no longer waiting for it is closed there.
 * A client of the browser process itself (`browserClients`: the experiment runner's frame probe)
 * has no page: its end stays here until `takeBrowserPort` claims it by `portId`, as a
 * `MessagePortMain` the browser process speaks on directly.
 * Type-only Electron imports: main.ts passes MessageChannelMain and the tab host's webContents.
 */
import { randomUUID } from 'node:crypto';
import type { MessageChannelMain, MessagePortMain, WebContents } from 'electron';
import { connectClient, portDelivery } from '../../protocol/transport/brokered-ports.ts';
import type { BrokerTarget, ChannelBroker, ChannelEndpoint } from '../core/ports.ts';
import { IPC } from '../../protocol/transport/electron-ipc-channels.ts';

export interface ElectronChannelBrokerOptions {
  /** Electron's MessageChannelMain class. */
  readonly MessageChannelMain: new () => MessageChannelMain;
  /** The tab's current document while its renderer lives: its webContents and its preload's token. */
  readonly documentOf: (
    tabId: string,
  ) => { readonly contents: WebContents; readonly token: string | undefined } | undefined;
  /** A fresh port id (default: a random UUID). */
  readonly newPortId?: () => string;
  /** Client ids that are the browser process's own (no tab): their end is kept for `takeBrowserPort`. */
  readonly browserClients?: ReadonlySet<string>;
}

export class ElectronChannelBroker implements ChannelBroker {
  /** Unclaimed browser-side ends by client id: one each, a newer grant closing the older. */
  private readonly browserPorts = new Map<string, { portId: string; port: MessagePortMain }>();

  constructor(private readonly options: ElectronChannelBrokerOptions) {}

  establish(target: BrokerTarget, tabId: string): Promise<ChannelEndpoint> {
    if (this.options.browserClients?.has(tabId)) return this.establishInBrowser(target, tabId);
    const document = this.options.documentOf(tabId);
    const contents = document?.contents;
    if (!contents || contents.isDestroyed())
      return Promise.reject(new Error(`Tab ${tabId} has no live page to give a ${target.kind} channel to`));
    // Only a document that has spoken asks for a channel, so it has told us its token.
    const token = document.token;
    if (token === undefined) return Promise.reject(new Error(`Tab ${tabId}'s page has not identified its document`));
    const { port1, port2 } = new this.options.MessageChannelMain();
    const portId = (this.options.newPortId ?? randomUUID)();
    try {
      target.child.transport.post(connectClient(tabId), [port1]);
      contents.postMessage(IPC.tabPort, portDelivery(portId, token), [port2]);
    } catch (error) {
      // Whichever end was not handed over yet is closed; the other side then sees its channel close.
      for (const port of [port1, port2]) {
        try {
          port.close();
        } catch {
          // handed over already
        }
      }
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return Promise.resolve({ kind: 'port', portId });
  }

  /** The browser-side end granted as `portId`, once: the caller owns (and closes) it. */
  takeBrowserPort(portId: string): MessagePortMain | undefined {
    for (const [clientId, held] of this.browserPorts) {
      if (held.portId !== portId) continue;
      this.browserPorts.delete(clientId);
      return held.port;
    }
    return undefined;
  }

  private establishInBrowser(target: BrokerTarget, clientId: string): Promise<ChannelEndpoint> {
    const { port1, port2 } = new this.options.MessageChannelMain();
    try {
      target.child.transport.post(connectClient(clientId), [port1]);
    } catch (error) {
      port1.close();
      port2.close();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const portId = (this.options.newPortId ?? randomUUID)();
    this.browserPorts.get(clientId)?.port.close();
    this.browserPorts.set(clientId, { portId, port: port2 });
    return Promise.resolve({ kind: 'port', portId });
  }
}
