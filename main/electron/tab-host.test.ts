// ElectronTabHost against stand-ins for WebContentsView, its webContents and the window: what it
// asks Electron to do, and what it reports to the core from Electron's events.
import { EventEmitter } from 'node:events';
import type { BaseWindow, IpcMain, WebContentsView } from 'electron';
import { describe, expect, it } from 'vitest';
import type { LoadFailure, RendererGone, TabCommit } from '../core/tab-host.ts';
import { IpcRouter } from './string-ipc.ts';
import { contentArea, ElectronTabHost } from './tab-host.ts';

class FakeDebugger {
  attached = false;
  busy = false;
  commands: string[] = [];
  isAttached() {
    return this.attached;
  }
  attach() {
    if (this.busy) throw new Error('Another debugger is already attached');
    this.attached = true;
  }
  detach() {
    this.attached = false;
  }
  sendCommand(method: string) {
    this.commands.push(method);
    return Promise.resolve({});
  }
}

class FakeContents extends EventEmitter {
  readonly mainFrame = {};
  readonly debugger = new FakeDebugger();
  url = '';
  loads: string[] = [];
  crashed = false;
  closed = false;
  scripts: string[] = [];
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  isDestroyed = () => this.closed;
  isCrashed = () => this.crashed;
  getOSProcessId = () => 777;
  getURL = () => this.url;
  loadURL(url: string) {
    this.loads.push(url);
    return Promise.resolve();
  }
  reload() {
    this.loads.push('reload');
  }
  close() {
    this.closed = true;
  }
  forcefullyCrashRenderer() {
    this.crashed = true;
  }
  executeJavaScript(code: string) {
    this.scripts.push(code);
    return new Promise(() => {});
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  send() {}
}

class FakeView {
  static made: FakeView[] = [];
  readonly webContents = new FakeContents();
  visible = true;
  bounds = {};
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    FakeView.made.push(this);
  }
  setVisible(visible: boolean) {
    this.visible = visible;
  }
  setBounds(bounds: object) {
    this.bounds = bounds;
  }
  setBackgroundColor() {}
}

function setup() {
  FakeView.made = [];
  const children: FakeView[] = [];
  const window = {
    contentView: {
      // Adding an existing child moves it on top, as Electron's does.
      addChildView: (view: FakeView) => {
        if (children.includes(view)) children.splice(children.indexOf(view), 1);
        children.push(view);
      },
      removeChildView: (view: FakeView) => children.splice(children.indexOf(view), 1),
    },
    getContentSize: () => [1000, 800],
  };
  const opened: string[] = [];
  const host = new ElectronTabHost({
    window: window as unknown as BaseWindow,
    ipc: new IpcRouter(new EventEmitter() as unknown as IpcMain),
    WebContentsView: FakeView as unknown as typeof WebContentsView,
    preload: '/app/tab-preload.cjs',
    openTab: (url) => opened.push(url),
  });
  const commits: Array<[string, TabCommit]> = [];
  const gone: Array<[string, RendererGone]> = [];
  const hangs: string[] = [];
  const failures: Array<[string, LoadFailure]> = [];
  const sparesGone: Array<[string, RendererGone]> = [];
  host.attach({
    onDidSpareGone: (id, g) => sparesGone.push([id, g]),
    onDidFailLoad: (id, failure) => failures.push([id, failure]),
    onDidCommit: (id, commit) => commits.push([id, commit]),
    onDidRendererGone: (id, g) => gone.push([id, g]),
    onDidBecomeUnresponsive: (id) => hangs.push(`${id} unresponsive`),
    onDidBecomeResponsive: (id) => hangs.push(`${id} responsive`),
  });
  return { host, children, commits, gone, opened, hangs, failures, sparesGone };
}

/** Starts spare `id` and lets its blank page load in a renderer of pid `pid`. */
async function readySpare(host: ElectronTabHost, id: string, pid: number): Promise<FakeView> {
  const started = host.startSpare(id);
  const view = FakeView.made.at(-1)!;
  view.webContents.getOSProcessId = () => pid;
  view.webContents.emit('did-finish-load');
  expect(await started).toEqual({ pid });
  return view;
}

describe('ElectronTabHost', () => {
  it('creates a sandboxed, isolated view with the tab preload and loads the built-in page', async () => {
    const { host, children } = setup();
    await host.create('t1', 'lab://live', 'tab-1');
    const view = FakeView.made[0]!;
    expect(view.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: '/app/tab-preload.cjs',
    });
    expect(children).toContain(view);
    expect(view.webContents.loads).toEqual(['lab-app://pages/live']);
    expect(view.bounds).toEqual({ x: 0, y: 84, width: 1000, height: 716 });
    host.setContentBounds({ x: 0, y: 90, width: 1000, height: 700 });
    expect(view.bounds).toEqual({ x: 0, y: 90, width: 1000, height: 700 });
  });

  it('reports commits with the OS pid, and renderer exits with their reason', async () => {
    const { host, commits, gone } = setup();
    await host.create('t1', 'lab://live', 'tab-1');
    const contents = FakeView.made[0]!.webContents;
    contents.url = 'lab-app://pages/live';
    contents.emit('did-navigate');
    expect(commits).toEqual([['t1', { pid: 777, url: 'lab://live' }]]);
    expect(host.transport('t1')?.peer).toEqual({ process: 'renderer', id: 't1', pid: 777 });

    host.crash('t1');
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(gone).toEqual([['t1', { reason: 'crashed', code: 139, observedAt: expect.any(Number) }]]);
    expect(host.transport('t1')).toBeUndefined();
    // Reload after a crash loads the page again (a new renderer process).
    await host.reload('t1');
    expect(contents.loads.at(-1)).toBe('lab-app://pages/live');
  });

  it("passes Electron's unresponsive / responsive on to the core, and gives its webContents only while it lives", async () => {
    const { host, hangs } = setup();
    await host.create('t1', 'lab://live', 'tab-1');
    const contents = FakeView.made[0]!.webContents;
    contents.emit('unresponsive');
    contents.emit('responsive');
    expect(hangs).toEqual(['t1 unresponsive', 't1 responsive']);
    expect(host.documentOf('t1')?.contents).toBe(contents);
    expect(host.documentOf('t2')).toBeUndefined();
    host.crash('t1');
    expect(host.documentOf('t1')).toBeUndefined();
  });

  it('hangs with a busy loop and stops it through the debugger, or says it cannot', async () => {
    const { host } = setup();
    await host.create('t1', 'lab://live', 'tab-1');
    const contents = FakeView.made[0]!.webContents;
    host.hang('t1');
    expect(contents.scripts).toEqual(['while (true) {}']);
    expect(await host.stopScript('t1')).toBe(true);
    expect(contents.debugger.commands).toEqual(['Runtime.terminateExecution']);
    expect(contents.debugger.attached).toBe(false);
    contents.debugger.busy = true;
    expect(await host.stopScript('t1')).toBe(false);
  });

  it('denies new windows, opening web and built-in URLs as tabs, and shows only the selected tab', async () => {
    const { host, opened, children } = setup();
    await host.create('t1', 'lab://live', 'tab-1');
    await host.create('t2', 'https://example.com/', 'tab-2');
    const [one, two] = FakeView.made as [FakeView, FakeView];
    expect(one.webContents.openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(one.webContents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.org/']);
    host.show('t2');
    expect([one.visible, two.visible]).toEqual([false, true]);
    await host.close('t2');
    expect(two.webContents.closed).toBe(true);
    expect(children).not.toContain(two);
  });

  it("reports an error page in the main frame as a failed load, ending the old document's channel; not an abort, a subframe, or a failure after a commit", async () => {
    const { host, failures, commits } = setup();
    await host.create('t1', 'lab://live', 'tab-1');
    const contents = FakeView.made[0]!.webContents;
    const start = () => contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    start();
    contents.url = 'lab-app://pages/live';
    contents.emit('did-navigate');
    expect(host.transport('t1')).toBeDefined();
    // A failed load of the committed document is not an error page.
    contents.emit('did-fail-load', {}, -2, 'ERR_FAILED', 'lab-app://pages/live', true, 1, 1);
    expect(failures).toEqual([]);

    start();
    contents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'https://example.com/', true, 1, 1);
    contents.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'https://ads.invalid/', false, 1, 2);
    expect(failures).toEqual([]);
    contents.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'https://unreachable.invalid/', true, 1, 1);
    expect(failures).toEqual([
      ['t1', { pid: 777, url: 'https://unreachable.invalid/', code: -105, description: 'ERR_NAME_NOT_RESOLVED' }],
    ]);
    expect(host.transport('t1')).toBeUndefined();
    expect(commits).toHaveLength(1);
  });

  it("hides the shown tab's view while a popup of the UI is over the content area, and shows it again after", async () => {
    const { host } = setup();
    await host.create('t1', 'lab://live', 'tab-1');
    await host.create('t2', 'lab://live', 'tab-2');
    const [one, two] = FakeView.made as [FakeView, FakeView];
    host.show('t1');
    const bounds = { x: 0, y: 84, width: 1000, height: 700 };
    host.setContentArea(contentArea({ ...bounds, covered: true })!);
    expect([one.visible, two.visible]).toEqual([false, false]);
    expect(one.bounds).toEqual(bounds);
    // Switching tabs under an open popup shows nothing either.
    host.show('t2');
    expect([one.visible, two.visible]).toEqual([false, false]);
    host.setContentArea(contentArea({ ...bounds, covered: false })!);
    expect([one.visible, two.visible]).toEqual([false, true]);
    // A report without the flag (an older preload) is not covered; a malformed flag is refused.
    expect(contentArea(bounds)).toEqual({ bounds, covered: false });
    expect(contentArea({ ...bounds, covered: 'yes' })).toBeUndefined();
  });

  describe('spare renderer', () => {
    it("makes a tab's view ahead, out of the window, on a blank page of the tab origin", async () => {
      const { host, children } = setup();
      const view = await readySpare(host, 'spare-1', 901);
      expect(view.options.webPreferences).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        preload: '/app/tab-preload.cjs',
      });
      expect(view.webContents.loads).toEqual(['lab-app://pages/__spare-renderer']);
      expect(children).not.toContain(view);
    });

    it("gives a new tab the spare's view: its page loads there, committed in the spare's process", async () => {
      const { host, children, commits, gone, sparesGone } = setup();
      const view = await readySpare(host, 'spare-1', 901);
      await host.create('t1', 'lab://live', 'tab-1', { spare: 'spare-1' });
      expect(FakeView.made).toHaveLength(1);
      expect(children).toContain(view);
      expect(view.webContents.loads).toEqual(['lab-app://pages/__spare-renderer', 'lab-app://pages/live']);
      view.webContents.url = 'lab-app://pages/live';
      view.webContents.emit('did-navigate');
      expect(commits).toEqual([['t1', { pid: 901, url: 'lab://live' }]]);
      // A spare taken is no longer one: its process's end is the tab's.
      view.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      expect(gone).toEqual([['t1', { reason: 'crashed', code: 139, observedAt: expect.any(Number) }]]);
      expect(sparesGone).toEqual([]);
    });

    it('starts a tab cold when the spare is not ready (or unknown)', async () => {
      const { host } = setup();
      void host.startSpare('spare-1');
      await host.create('t1', 'lab://live', 'tab-1', { spare: 'spare-1' });
      expect(FakeView.made).toHaveLength(2);
      await host.create('t2', 'lab://live', 'tab-2', { spare: 'nope' });
      expect(FakeView.made).toHaveLength(3);
    });

    it('reports a ready spare whose renderer ended as the spare gone, never as a tab; one that ends before it is ready fails to start', async () => {
      const { host, gone, sparesGone } = setup();
      const view = await readySpare(host, 'spare-1', 901);
      view.webContents.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
      expect(sparesGone).toEqual([['spare-1', { reason: 'killed', code: 9 }]]);
      expect(gone).toEqual([]);
      expect(view.webContents.closed).toBe(true);
      const starting = host.startSpare('spare-2');
      FakeView.made.at(-1)!.webContents.emit('render-process-gone', {}, { reason: 'launch-failed', exitCode: 1 });
      await expect(starting).rejects.toThrow('before it was ready');
    });

    it("reloads a crashed tab in the spare's view, closing the dead one", async () => {
      const { host, children, commits } = setup();
      await host.create('t1', 'lab://live', 'tab-1');
      const dead = FakeView.made[0]!;
      dead.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      const spare = await readySpare(host, 'spare-1', 902);
      await host.reload('t1', { spare: 'spare-1' });
      expect(dead.webContents.closed).toBe(true);
      expect(children).not.toContain(dead);
      expect(children).toContain(spare);
      expect(spare.webContents.loads.at(-1)).toBe('lab-app://pages/live');
      spare.webContents.url = 'lab-app://pages/live';
      spare.webContents.emit('did-navigate');
      expect(commits.at(-1)).toEqual(['t1', { pid: 902, url: 'lab://live' }]);
    });

    it('discards a spare (closing its webContents), and every spare with the host', async () => {
      const { host } = setup();
      const first = await readySpare(host, 'spare-1', 901);
      host.discardSpare('spare-1');
      expect(first.webContents.closed).toBe(true);
      const second = await readySpare(host, 'spare-2', 902);
      host.dispose();
      expect(second.webContents.closed).toBe(true);
    });
  });
});
