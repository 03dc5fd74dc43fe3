// The Electron ExperimentHost's parts that run in plain Node, against stand-ins for Electron's
// objects: the version string from process.versions, the app's pids from an AppMetrics-shaped list,
// the UI round trip (the real expression run with a stand-in requestAnimationFrame; a page that never
// draws times out), and the GPU frame probe over a port the real ElectronChannelBroker kept in the
// browser process: a real worker_threads MessageChannel behind MessagePortMain's shape, the GPU end
// taken by the real parentPortClientPorts and served as GpuChannel. That Electron delivers the port
// to the utility process, and the real GPU process's Skia frame, are what the e2e `electron` project shows.
import { EventEmitter } from 'node:events';
import vm from 'node:vm';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { App, MessageChannelMain, MessagePortMain, ParentPort, WebContents } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from '../core/browser.ts';
import { FRAME_PROBE_CLIENT } from '../core/experiments/experiment-host.ts';
import type { BrokerTarget, LaunchedChild } from '../core/ports.ts';
import type { HostProbe } from '../node/host-probe.ts';
import type { DisplayList } from '../../protocol/interfaces/display-list.ts';
import { GpuChannel, GpuChannelClient } from '../../protocol/interfaces/tab-gpu.ts';
import { connect } from '../../protocol/rpc/endpoint.ts';
import { parentPortClientPorts } from '../../protocol/transport/electron.ts';
import { ElectronChannelBroker } from './channel-broker.ts';
import {
  appPidsFromMetrics,
  electronBrowserVersion,
  electronExperimentHost,
  RAF_ROUND_TRIP,
  type ElectronExperimentHostOptions,
} from './experiment-host.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** MessagePortMain's shape (Node-style events, `{ data, ports }` messages) over a worker_threads port. */
class StandInPortMain extends EventEmitter {
  closed = false;
  constructor(private readonly port: MessagePort) {
    super();
    port.on('message', (data: unknown) => this.emit('message', { data, ports: [] }));
    port.on('close', () => this.emit('close'));
  }
  postMessage(message: unknown) {
    this.port.postMessage(message);
  }
  start() {}
  close() {
    this.closed = true;
    this.port.close();
  }
}

class StandInChannelMain {
  static made: StandInChannelMain[] = [];
  readonly port1: StandInPortMain;
  readonly port2: StandInPortMain;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port1 = new StandInPortMain(port1);
    this.port2 = new StandInPortMain(port2);
    cleanups.push(() => port1.close());
    StandInChannelMain.made.push(this);
  }
}

const noProbe: HostProbe = {
  eventLoopDelayP99: () => 0,
  heapUsedAfterGc: () => Promise.resolve(0),
  compiledCodeBytes: () => 0,
  machine: () => ({ platform: 'linux', arch: 'x64', cpuModel: 'test', cores: 2, kernel: 'Linux', node: 'v22' }),
  isAlive: () => true,
  dispose: () => {},
};

/** A UI webContents whose page draws a frame every `frameMs` (never, when undefined). */
function standInUi(frameMs: number | undefined) {
  const calls: Array<[string, boolean | undefined]> = [];
  const page = vm.createContext({
    requestAnimationFrame: (callback: () => void) => {
      if (frameMs !== undefined) setTimeout(callback, frameMs);
    },
  });
  const ui = {
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    getOSProcessId: () => 777,
    // As Electron's: evaluates in the page and settles with the result, awaiting a promise.
    executeJavaScript: (code: string, userGesture?: boolean) => {
      calls.push([code, userGesture]);
      return Promise.resolve(vm.runInContext(code, page) as unknown);
    },
  };
  return { ui, calls };
}

function host(overrides: Partial<ElectronExperimentHostOptions> = {}) {
  return electronExperimentHost({
    browser: {} as Browser,
    ui: standInUi(16).ui as unknown as WebContents,
    app: { getAppMetrics: () => [] },
    versions: { electron: '45.5.0', chrome: '142.0.7444.52' },
    takeBrowserPort: () => undefined,
    probe: noProbe,
    ...overrides,
  });
}

describe('the browser version', () => {
  it("names Electron and its Chromium from process.versions' shape", () => {
    expect(electronBrowserVersion({ electron: '45.5.0', chrome: '142.0.7444.52' })).toBe(
      'Electron 45.5.0 (Chromium 142.0.7444.52)',
    );
    expect(host().browserVersion).toBe('Electron 45.5.0 (Chromium 142.0.7444.52)');
    // Plain Node has neither: said, not invented.
    expect(electronBrowserVersion({})).toBe('Electron unknown (Chromium unknown)');
  });
});

describe("the app's own pids", () => {
  const metrics = [
    { pid: 100, type: 'Browser' },
    { pid: 101, type: 'Zygote' },
    { pid: 102, type: 'GPU' },
    { pid: 103, type: 'Utility' },
    { pid: 104, type: 'Tab' },
    { pid: 105, type: 'Tab' },
    { pid: 106, type: 'Sandbox helper' },
  ] as const;

  it("are every process getAppMetrics lists but the renderers, plus the UI page's renderer", () => {
    expect(appPidsFromMetrics(metrics, 105).sort()).toEqual([100, 101, 102, 103, 105, 106]);
    // A renderer the core had (a tab's) is never excused as the app's.
    expect(appPidsFromMetrics(metrics, undefined)).not.toContain(104);
    expect(appPidsFromMetrics(metrics, 0)).not.toContain(0);
  });

  it("come from the app's metrics and the UI webContents' pid", async () => {
    const { ui } = standInUi(16);
    const app = { getAppMetrics: () => metrics } as unknown as Pick<App, 'getAppMetrics'>;
    const pids = await host({ app, ui: ui as unknown as WebContents }).appPids?.();
    expect([...(pids ?? [])].sort()).toEqual([100, 101, 102, 103, 106, 777]);
    ui.destroyed = true;
    expect(await host({ app, ui: ui as unknown as WebContents }).appPids?.()).not.toContain(777);
  });
});

describe("the UI page's answer", () => {
  it('is a requestAnimationFrame round trip in the page, with no user gesture, at least one frame long', async () => {
    const { ui, calls } = standInUi(60);
    const ms = await host({ ui: ui as unknown as WebContents }).uiRoundTrip();
    expect(calls).toEqual([[RAF_ROUND_TRIP, false]]);
    expect(ms).toBeGreaterThanOrEqual(50);
  });

  it('times out with a clear error when the page never draws', async () => {
    const { ui } = standInUi(undefined);
    const started = performance.now();
    await expect(host({ ui: ui as unknown as WebContents, uiTimeoutMs: 200 }).uiRoundTrip()).rejects.toThrow(
      'the UI page did not answer within 200 ms',
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('fails at once when the UI is gone, and passes on a rejection from the page', async () => {
    const gone = standInUi(16);
    gone.ui.destroyed = true;
    await expect(host({ ui: gone.ui as unknown as WebContents }).uiRoundTrip()).rejects.toThrow('the UI page is gone');
    const throwing = {
      isDestroyed: () => false,
      getOSProcessId: () => 1,
      executeJavaScript: () => Promise.reject(new Error('Script failed to execute')),
    };
    await expect(host({ ui: throwing as unknown as WebContents }).uiRoundTrip()).rejects.toThrow(
      'Script failed to execute',
    );
  });
});

/** The GPU side: what the utility process's parentPort would emit, taken by the real parentPortClientPorts. */
function gpuStandIn(answer: boolean) {
  const parentPort = new EventEmitter();
  const drawn: Array<{ clientId: string; list: DisplayList }> = [];
  const stop = parentPortClientPorts(
    parentPort as unknown as ParentPort,
    ({ clientId, transport }) => {
      const connection = connect({
        transport,
        self: { process: 'gpu', pid: 4321 },
        local: GpuChannel,
        remote: GpuChannelClient,
        handlers: {
          rasterize: (list) => {
            drawn.push({ clientId, list });
            const frame = {
              width: list.width,
              height: list.height,
              pixels: new Uint8Array(list.width * list.height * 4),
              gpuPid: 4321,
              rasterMs: 0,
            };
            return answer ? frame : new Promise<typeof frame>(() => {});
          },
        },
        onBadMessage: () => {},
      });
      cleanups.push(() => connection.close('test done'));
    },
    { clientProcess: 'tab' },
  );
  cleanups.push(stop);
  const child = {
    pid: 4321,
    transport: {
      peer: { process: 'gpu' },
      post: (message: unknown, transfer?: readonly unknown[]) =>
        parentPort.emit('message', { data: message, ports: (transfer ?? []) as MessagePortMain[] }),
      on: () => {},
      off: () => {},
    },
    kill: () => {},
    onDidExit: () => {},
  } as unknown as LaunchedChild;
  const target: BrokerTarget = { kind: 'gpu', child, grantWebSocket: () => Promise.reject(new Error('not asked')) };
  return { target, drawn };
}

function probeBroker() {
  StandInChannelMain.made = [];
  let ids = 0;
  return new ElectronChannelBroker({
    MessageChannelMain: StandInChannelMain as unknown as new () => MessageChannelMain,
    documentOf: () => undefined,
    newPortId: () => `port-${++ids}`,
    browserClients: new Set([FRAME_PROBE_CLIENT]),
  });
}

describe('the next-frame probe over a MessagePort grant', () => {
  it('draws one frame through the GPU side on the port the broker kept in the browser process, then closes it', async () => {
    const { target, drawn } = gpuStandIn(true);
    const broker = probeBroker();
    const channel = await broker.establish(target, FRAME_PROBE_CLIENT);
    expect(channel).toEqual({ kind: 'port', portId: 'port-1' });
    const probeHost = host({ takeBrowserPort: (portId) => broker.takeBrowserPort(portId) });
    await probeHost.drawFrame(channel);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]?.clientId).toBe(FRAME_PROBE_CLIENT);
    expect(drawn[0]?.list).toMatchObject({ width: 64, height: 64 });
    expect(StandInChannelMain.made[0]?.port2.closed).toBe(true);
    // Taken once: the same grant again is refused, saying why.
    await expect(probeHost.drawFrame(channel)).rejects.toThrow('no browser-side port port-1');
  });

  it('rejects after its timeout when the GPU side never answers', async () => {
    const { target } = gpuStandIn(false);
    const broker = probeBroker();
    const channel = await broker.establish(target, FRAME_PROBE_CLIENT);
    const probeHost = host({ takeBrowserPort: (portId) => broker.takeBrowserPort(portId), frameTimeoutMs: 200 });
    await expect(probeHost.drawFrame(channel)).rejects.toThrow();
    expect(StandInChannelMain.made[0]?.port2.closed).toBe(true);
  });

  it('keeps one unclaimed end per client: a newer grant closes the older', async () => {
    const { target } = gpuStandIn(true);
    const broker = probeBroker();
    await broker.establish(target, FRAME_PROBE_CLIENT);
    await broker.establish(target, FRAME_PROBE_CLIENT);
    expect(StandInChannelMain.made[0]?.port2.closed).toBe(true);
    expect(StandInChannelMain.made[1]?.port2.closed).toBe(false);
    expect(broker.takeBrowserPort('port-1')).toBeUndefined();
    expect(broker.takeBrowserPort('port-2')).toBe(StandInChannelMain.made[1]?.port2);
  });

  it("is not given to a tab's id, which still needs a live page", async () => {
    const { target } = gpuStandIn(true);
    await expect(probeBroker().establish(target, 'tab-1')).rejects.toThrow('has no live page');
  });
});
