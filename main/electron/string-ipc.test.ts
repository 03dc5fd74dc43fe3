// The browser end of a page's channel over ipcMain, with EventEmitter stand-ins for ipcMain and a
// webContents (the code under test uses only their listener methods, send, isDestroyed, mainFrame).
import { EventEmitter } from 'node:events';
import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { documentChannels, IpcRouter, MAX_HELD } from './string-ipc.ts';

class FakeContents extends EventEmitter {
  readonly mainFrame = { name: 'main' };
  readonly sent: Array<[string, unknown]> = [];
  destroyed = false;
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, message: unknown) {
    this.sent.push([channel, message]);
  }
  getOSProcessId() {
    return 4242;
  }
}

function setup() {
  const ipcMain = new EventEmitter();
  const contents = new FakeContents();
  const channels = documentChannels(
    new IpcRouter(ipcMain as unknown as IpcMain),
    contents as unknown as WebContents,
    'lab:tab',
    () => ({ process: 'renderer', id: 't1', pid: contents.getOSProcessId() }),
    () => {},
  );
  const fromPage = (text: unknown, sender: unknown = contents, senderFrame: unknown = contents.mainFrame) =>
    ipcMain.emit('lab:tab', { sender, senderFrame }, text);
  /** A message as the tab preload sends it: with its document's token. */
  const fromDocument = (token: string, text: unknown) =>
    ipcMain.emit('lab:tab', { sender: contents, senderFrame: contents.mainFrame }, text, token);
  return { ipcMain, contents, channels, fromPage, fromDocument };
}

describe('documentChannels', () => {
  it('gives each committed document its own transport, which holds early messages', () => {
    const { contents, channels, fromPage } = setup();
    expect(channels.current()).toBeUndefined();
    contents.emit('did-navigate');
    const first = channels.current()!;
    expect(first.transport.peer).toEqual({ process: 'renderer', id: 't1', pid: 4242 });
    fromPage(JSON.stringify({ n: 1 }));
    const received: unknown[] = [];
    first.transport.on((message) => received.push(message));
    fromPage(JSON.stringify({ n: 2 }));
    expect(received).toEqual([{ n: 1 }, { n: 2 }]);

    first.transport.post({ hello: true });
    expect(contents.sent).toEqual([['lab:tab', '{"hello":true}']]);

    let closed = false;
    first.transport.onDidClose?.(() => (closed = true));
    contents.emit('did-navigate');
    expect(closed).toBe(true);
    expect(channels.current()).not.toBe(first);
  });

  it('hears only its own webContents’ main frame', () => {
    const { contents, channels, fromPage } = setup();
    contents.emit('did-navigate');
    const received: unknown[] = [];
    channels.current()!.transport.on((message) => received.push(message));
    fromPage('{"from":"other"}', new FakeContents());
    fromPage('{"from":"subframe"}', contents, { name: 'sub' });
    fromPage('{"from":"main"}');
    expect(received).toEqual([{ from: 'main' }]);
  });

  it('holds at most MAX_HELD messages, and closes when the renderer is gone or the contents destroyed', () => {
    const { ipcMain, contents, channels, fromPage } = setup();
    contents.emit('did-navigate');
    for (let i = 0; i < MAX_HELD + 10; i++) fromPage(String(i));
    const received: unknown[] = [];
    channels.current()!.transport.on((message) => received.push(message));
    expect(received).toHaveLength(MAX_HELD);

    contents.emit('render-process-gone');
    expect(channels.current()).toBeUndefined();
    contents.emit('destroyed');
    expect(ipcMain.listenerCount('lab:tab')).toBe(0);
  });
});

describe('IpcRouter', () => {
  it('holds one ipcMain listener per channel for any number of webContents, each hearing only its own main frame', () => {
    const ipcMain = new EventEmitter();
    const router = new IpcRouter(ipcMain as unknown as IpcMain);
    const tabs = Array.from({ length: 20 }, () => new FakeContents());
    const heard: Array<[number, unknown]> = [];
    const unroutes = tabs.map((tab, index) =>
      router.route('lab:tab', tab as unknown as WebContents, (_event, text) => heard.push([index, text])),
    );
    // Node warns from the 11th listener of one event; there is one.
    expect(ipcMain.listenerCount('lab:tab')).toBe(1);
    ipcMain.emit('lab:tab', { sender: tabs[3], senderFrame: tabs[3]!.mainFrame }, 'three');
    ipcMain.emit('lab:tab', { sender: tabs[7], senderFrame: { name: 'sub' } }, 'a subframe of seven');
    ipcMain.emit('lab:tab', { sender: new FakeContents(), senderFrame: {} }, 'a stranger');
    tabs[5]!.destroyed = true;
    ipcMain.emit('lab:tab', { sender: tabs[5], senderFrame: tabs[5]!.mainFrame }, 'destroyed five');
    expect(heard).toEqual([[3, 'three']]);
    expect(() => router.route('lab:tab', tabs[0] as unknown as WebContents, () => {})).toThrow(/already/);
    for (const unroute of unroutes) unroute();
    expect(ipcMain.listenerCount('lab:tab')).toBe(0);
  });
});

describe('documentChannels with document tokens', () => {
  const first = '0123456789abcdef0123456789abcdef';
  const second = 'fedcba9876543210fedcba9876543210';

  it("learns the document's token from its first message, and holds a newer document's messages for its own channel", () => {
    const { contents, channels, fromDocument } = setup();
    contents.emit('did-navigate');
    const old = channels.current()!;
    const heardByOld: unknown[] = [];
    old.transport.on((message) => heardByOld.push(message));
    fromDocument(first, '{"n":1}');
    expect(old.token).toBe(first);
    // The next document speaks before its commit (did-navigate) reaches the browser process.
    fromDocument(second, '{"n":2}');
    expect(heardByOld).toEqual([{ n: 1 }]);
    contents.emit('did-navigate');
    const next = channels.current()!;
    expect(next.token).toBe(second);
    const heardByNext: unknown[] = [];
    next.transport.on((message) => heardByNext.push(message));
    fromDocument(second, '{"n":3}');
    expect(heardByNext).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('holds the first messages of the document that follows a renderer crash until its commit is seen', () => {
    const { contents, channels, fromDocument } = setup();
    contents.emit('did-navigate');
    fromDocument(first, '{"n":1}');
    contents.emit('render-process-gone');
    fromDocument(second, '{"n":2}');
    contents.emit('did-navigate');
    const heard: unknown[] = [];
    channels.current()!.transport.on((message) => heard.push(message));
    expect(heard).toEqual([{ n: 2 }]);
    expect(channels.current()!.token).toBe(second);
  });
});
