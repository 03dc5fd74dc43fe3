// The browser end of a page's channel over ipcMain, with EventEmitter stand-ins for ipcMain and a
// webContents (the code under test uses only their listener methods, send, isDestroyed, mainFrame).
import { EventEmitter } from 'node:events';
import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { documentChannels, MAX_HELD } from './string-ipc.ts';

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
    ipcMain as unknown as IpcMain,
    contents as unknown as WebContents,
    'lab:tab',
    () => ({ process: 'renderer', id: 't1', pid: contents.getOSProcessId() }),
    () => {},
  );
  const fromPage = (text: unknown, sender: unknown = contents, senderFrame: unknown = contents.mainFrame) =>
    ipcMain.emit('lab:tab', { sender, senderFrame }, text);
  return { ipcMain, contents, channels, fromPage };
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
