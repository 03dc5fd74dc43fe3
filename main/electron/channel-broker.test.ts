// ElectronChannelBroker with the real ElectronUtilityLauncher, against stand-ins for
// utilityProcess's child, MessageChannelMain and a tab's webContents: where each end of the pair
// goes, with which message. That Electron delivers them (to parentPort, to the preload) is what the
// e2e `electron` project shows; the two receiving sides are tested in protocol/transport
// (client-ports.test.ts, brokered-ports.test.ts).
import { EventEmitter } from 'node:events';
import type { App, MessageChannelMain, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { isConnectClient } from '../../protocol/transport/brokered-ports.ts';
import { ElectronChannelBroker } from './channel-broker.ts';
import { IPC } from '../../protocol/transport/electron-ipc-channels.ts';
import { ElectronUtilityLauncher, type ElectronUtilityLauncherOptions } from './utility-launcher.ts';

class FakePort {
  closed = false;
  constructor(readonly name: string) {}
  close() {
    this.closed = true;
  }
}

class FakeChannel {
  static made: FakeChannel[] = [];
  readonly port1 = new FakePort(`port1#${FakeChannel.made.length}`);
  readonly port2 = new FakePort(`port2#${FakeChannel.made.length}`);
  constructor() {
    FakeChannel.made.push(this);
  }
}

class FakeChild extends EventEmitter {
  pid = 4321;
  posted: Array<[unknown, unknown[] | undefined]> = [];
  postMessage(message: unknown, transfer?: unknown[]) {
    this.posted.push([message, transfer]);
  }
  kill() {
    return true;
  }
}

class FakeContents {
  /** The token of the document speaking on the tab's channel (undefined: none has spoken). */
  token: string | undefined = 'a1b2c3d4e5f60718';
  destroyed = false;
  failing = false;
  posted: Array<[string, unknown, unknown[] | undefined]> = [];
  isDestroyed = () => this.destroyed;
  postMessage(channel: string, message: unknown, transfer?: unknown[]) {
    if (this.failing) throw new Error('Render frame was disposed');
    this.posted.push([channel, message, transfer]);
  }
}

function setup() {
  FakeChannel.made = [];
  const child = new FakeChild();
  const launcher = new ElectronUtilityLauncher({
    app: new EventEmitter() as unknown as App,
    utilityProcess: { fork: (() => child) as unknown as ElectronUtilityLauncherOptions['utilityProcess']['fork'] },
    entries: { gpu: '/app/gpu-worker.js', 'plugin-host': '/app/plugin-host.js', 'lab-host': '/app/lab-host.js' },
  });
  const launched = launcher.launch('gpu');
  const contents = new Map<string, FakeContents>([['tab-1', new FakeContents()]]);
  let ids = 0;
  const broker = new ElectronChannelBroker({
    MessageChannelMain: FakeChannel as unknown as new () => MessageChannelMain,
    documentOf: (tabId) => {
      const found = contents.get(tabId);
      return found && { contents: found as unknown as WebContents, token: found.token };
    },
    newPortId: () => `port-${++ids}`,
  });
  const target = {
    kind: 'gpu' as const,
    child: launched,
    grantWebSocket: () => Promise.reject(new Error('not asked')),
  };
  return { child, contents, broker, target };
}

describe('ElectronChannelBroker', () => {
  it("sends one end to the utility process with connect-client and the other to the tab's webContents", async () => {
    const { child, contents, broker, target } = setup();
    expect(await broker.establish(target, 'tab-1')).toEqual({ kind: 'port', portId: 'port-1' });
    const [channel] = FakeChannel.made;
    // Through the launched child's transport: the transfer list reaches UtilityProcess.postMessage.
    expect(child.posted).toEqual([[{ type: 'connect-client', clientId: 'tab-1' }, [channel!.port1]]]);
    expect(isConnectClient(child.posted[0]![0])).toBe(true);
    // Addressed to the document that spoke: its preload drops a delivery for any other.
    expect(contents.get('tab-1')!.posted).toEqual([
      [IPC.tabPort, { portId: 'port-1', document: 'a1b2c3d4e5f60718' }, [channel!.port2]],
    ]);

    // Every request is a new pair with a new id (the page reloaded, the GPU process restarted).
    expect(await broker.establish(target, 'tab-1')).toEqual({ kind: 'port', portId: 'port-2' });
    expect(FakeChannel.made).toHaveLength(2);
  });

  it('refuses a tab without a live page, and closes both ends when a hand-over fails', async () => {
    const { child, contents, broker, target } = setup();
    await expect(broker.establish(target, 'tab-9')).rejects.toThrow(
      'Tab tab-9 has no live page to give a gpu channel to',
    );
    contents.get('tab-1')!.destroyed = true;
    await expect(broker.establish(target, 'tab-1')).rejects.toThrow(/no live page/);
    expect(FakeChannel.made).toEqual([]);
    expect(child.posted).toEqual([]);

    contents.get('tab-1')!.destroyed = false;
    contents.get('tab-1')!.token = undefined;
    await expect(broker.establish(target, 'tab-1')).rejects.toThrow("Tab tab-1's page has not identified its document");
    expect(FakeChannel.made).toEqual([]);

    contents.get('tab-1')!.token = 'a1b2c3d4e5f60718';
    contents.get('tab-1')!.failing = true;
    await expect(broker.establish(target, 'tab-1')).rejects.toThrow('Render frame was disposed');
    expect([FakeChannel.made[0]!.port1.closed, FakeChannel.made[0]!.port2.closed]).toEqual([true, true]);
  });
});
