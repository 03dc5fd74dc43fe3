// The lab host on real processes: the bundled lab host (with its bundled IPC peer and ring thread)
// started as the Chromium shell starts it, asked for by a page through the core's TabManager (the
// page a FakeTabHost page speaking TabPage over a real MessagePort), its LabChannel reached over the
// loopback WebSocket the lab host granted, and its supervision proved with real signals: a native
// abort, and a main thread that spins until the watchdog ends it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import type { BrowserEvent } from '../../protocol/interfaces/browser-state.ts';
import { TabHostErrorCode } from '../../protocol/interfaces/browser-tab.ts';
import { LabChannel, LabChannelClient, LabChannelErrorCode } from '../../protocol/interfaces/tab-lab.ts';
import { IpcLabResult, type IpcLabProgress } from '../../protocol/labs/ipc-result.ts';
import { connect } from '../../protocol/rpc/endpoint.ts';
import { compileChecker } from '../../protocol/rpc/schema.ts';
import { webSocketTransport, type WebSocketLike } from '../../protocol/transport/websocket.ts';
import { systemClock } from '../core/clock.ts';
import { EventLog } from '../core/event-log.ts';
import { LAB_HOST_ID, LabProcessHost } from '../core/lab-host-host.ts';
import type { ChannelEndpoint } from '../core/ports.ts';
import { ProcessRegistry } from '../core/process-registry.ts';
import { TabManager } from '../core/tabs.ts';
import { FakeGpuProcessHost, FakePluginProcessHost } from '../core/testing/fake-process-hosts.ts';
import { FakeTabHost } from '../core/testing/fake-tab-host.ts';
import { childProcessLauncher, labHostEnvironment } from './utility-launcher.ts';

const root = path.resolve(import.meta.dirname, '../..');
const disposers: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposers.splice(0).reverse()) dispose();
});

function setup(options: { hangThresholdMs?: number; labSites?: readonly string[] } = {}) {
  const log = new EventLog();
  const registry = new ProcessRegistry(log);
  // The real entries, bundled once for the run (vitest.global-setup.ts), as the shell starts them.
  const launcher = childProcessLauncher({
    entries: inject('childEntries'),
    env: { 'lab-host': labHostEnvironment(root) },
  });
  const clock = systemClock();
  const labs = new LabProcessHost({
    launcher,
    registry,
    log,
    clock,
    ...(options.hangThresholdMs === undefined ? {} : { hangThresholdMs: options.hangThresholdMs }),
  });
  const host = new FakeTabHost();
  const tabs = new TabManager({
    host,
    registry,
    log,
    clock,
    gpu: new FakeGpuProcessHost(),
    plugins: new FakePluginProcessHost(),
    labs,
    ...(options.labSites ? { labSites: options.labSites } : {}),
  });
  disposers.push(() => {
    tabs.dispose();
    host.dispose();
    labs.dispose();
  });
  return { log, registry, labs, host, tabs };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the first event (from now on) that matches. */
function nextEvent(log: EventLog, match: (event: BrowserEvent) => boolean, timeoutMs = 20_000): Promise<BrowserEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('event did not come'));
    }, timeoutMs);
    const stop = log.onDidRecord((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

const labHostRunning = (event: BrowserEvent) =>
  event.type === 'process-state-changed' && event.process.id === LAB_HOST_ID && event.process.state === 'running';

/** The page's end of its brokered lab channel, opened as the tab runtime opens it. */
async function openLabChannel(channel: ChannelEndpoint, hostPid: number) {
  if (channel.kind !== 'websocket') throw new Error(`expected a loopback WebSocket grant, got ${channel.kind}`);
  const socket = new WebSocket(channel.url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  disposers.push(() => socket.terminate());
  return connect({
    transport: webSocketTransport(socket as unknown as WebSocketLike, { peer: { process: 'lab-host', pid: hostPid } }),
    self: { process: 'renderer', id: 'tab-1' },
    local: LabChannelClient,
    remote: LabChannel,
    handlers: {},
    onBadMessage: (report) => {
      throw new Error(report.reason);
    },
  });
}

/** Where the shell tells a bundled lab host its addon is (built by `npm run lab:ipc:build` or the ipc tests). */
const addonBuilt = existsSync(labHostEnvironment(root).LAB_IPC_NATIVE!);
/**
 * A short run: two kernel paths and the SharedArrayBuffer ring (its thread a bundled file), one tear
 * run; with the addon, the shm ring between processes too (its peer a bundled file loading the addon).
 */
const SHORT_RUN = {
  only: ['unix-socket', 'tcp-loopback', 'shared-memory/threads', ...(addonBuilt ? ['shared-memory/process'] : [])],
  sizes: [64, 4096],
  roundTrips: 50,
  tearRuns: 1,
  quick: true,
};

describe('the lab host on real processes', () => {
  it('is started when a lab page first asks, describes itself, and runs the IPC lab over the brokered channel with progress before the result', async () => {
    // `live` stands for a lab site here: the lab pages (lab://ipc) are built on another branch.
    const { registry, tabs, host } = setup({ labSites: ['live'] });
    await tabs.open('lab://live');
    const page = host.commit('tab-1', 201, 'lab://live');
    expect(registry.get(LAB_HOST_ID)).toBeUndefined(); // on demand: nothing runs before a page asks

    const grant = await page.remote.requestLabChannel({}, { timeoutMs: 20_000 });
    const info = registry.get(LAB_HOST_ID)!;
    expect(info).toMatchObject({ kind: 'lab-host', state: 'running', pid: grant.hostPid, restarts: 0 });
    expect(isAlive(grant.hostPid)).toBe(true);
    expect(grant.hostPid).not.toBe(process.pid);
    expect(tabs.directChannels()).toEqual([
      { interface: 'TabLab', tabId: 'tab-1', from: 'renderer-tab-1', to: LAB_HOST_ID, toPid: grant.hostPid },
    ]);

    const channel = await openLabChannel(grant.channel, grant.hostPid);
    const progress: IpcLabProgress[] = [];
    let answered = false;
    let lateProgress = 0;
    channel.on('ipcProgress', (event) => {
      if (answered) lateProgress++;
      progress.push(event);
    });
    const result = await channel.remote.runIpc(SHORT_RUN, { timeoutMs: 120_000 });
    answered = true;
    await new Promise((resolve) => setTimeout(resolve, 200)); // anything still in flight would land now

    expect(compileChecker(IpcLabResult).check(result)).toBe(true); // the endpoint checked it too
    expect(result.addon.loaded).toBe(addonBuilt);
    expect(result.channels.map((measured) => measured.id).sort()).toEqual([...SHORT_RUN.only].sort());
    for (const measured of result.channels) {
      expect(measured.error).toBeUndefined();
      expect(measured.sizes.map((size) => size.bytes)).toEqual([64, 4096]);
    }
    // The kernel paths' peers were real processes other than the lab host; the ring's is a thread of it.
    const peerOf = (id: string) => result.channels.find((measured) => measured.id === id)!.peerPid!;
    expect(peerOf('unix-socket')).not.toBe(grant.hostPid);
    expect(peerOf('shared-memory/threads')).toBe(grant.hostPid);
    expect(result.unsynchronized.some((runs) => runs.between === 'threads' && runs.runs.length === 1)).toBe(true);
    // Every channel's figures for every size came as progress, all before the answer.
    const measuredEvents = progress.filter((event) => event.measured);
    expect(measuredEvents.length).toBe(SHORT_RUN.only.length * SHORT_RUN.sizes.length);
    expect(lateProgress).toBe(0);
  }, 150_000);

  it('answers a second run while one is going with LAB_RUN_IN_PROGRESS, and stopIpc stops the first with LAB_RUN_STOPPED', async () => {
    const { labs } = setup();
    const grant = await labs.establishChannel('tab-1');
    const channel = await openLabChannel(grant.channel, grant.hostPid);
    const first = channel.remote.runIpc(
      { only: ['unix-socket'], sizes: [64], roundTrips: 100_000 },
      { timeoutMs: 60_000 },
    );
    const firstOutcome = first.then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    // The run is going once its first progress line came.
    await new Promise<void>((resolve) => channel.on('ipcProgress', () => resolve()));
    await expect(channel.remote.runIpc({ only: ['unix-socket'] }, { timeoutMs: 10_000 })).rejects.toMatchObject({
      code: LabChannelErrorCode.LAB_RUN_IN_PROGRESS,
    });
    await expect(channel.remote.stopIpc({})).resolves.toEqual({ stopped: true });
    expect(await firstOutcome).toBe(LabChannelErrorCode.LAB_RUN_STOPPED);
    await expect(channel.remote.runIpc({ only: ['no-such-kind'] })).rejects.toMatchObject({
      code: LabChannelErrorCode.LAB_BAD_OPTIONS,
    });
  }, 90_000);

  it('refuses a lab channel to a page of another site, and starts no lab host for it', async () => {
    const { registry, tabs, host, log } = setup(); // the real lab sites: ipc, threads, deadlock
    await tabs.open('lab://live');
    const page = host.commit('tab-1', 201, 'lab://live');
    await expect(page.remote.requestLabChannel({}, { timeoutMs: 5000 })).rejects.toMatchObject({
      code: TabHostErrorCode.LAB_NOT_ALLOWED,
    });
    expect(registry.get(LAB_HOST_ID)).toBeUndefined();
    expect(log.history().some((event) => event.type === 'channel-opened')).toBe(false);
  });

  it('restarts the lab host after a native crash, with a new pid, and tells lab pages it went and came back', async () => {
    const { log, registry, labs, tabs, host } = setup({ labSites: ['live'] });
    await tabs.open('lab://live');
    const page = host.commit('tab-1', 201, 'lab://live');
    const changes: boolean[] = [];
    page.on('labHostChanged', ({ running }) => changes.push(running));
    const grant = await page.remote.requestLabChannel({}, { timeoutMs: 20_000 });
    const channel = await openLabChannel(grant.channel, grant.hostPid);
    const closed = new Promise<string>((resolve) => channel.onDidClose(resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    changes.length = 0; // its first start was told too (running: true); what follows is the crash's

    const restarted = nextEvent(log, labHostRunning);
    labs.crash();
    await restarted;
    await closed; // the page's direct channel ends with the process
    const info = registry.get(LAB_HOST_ID)!;
    expect(info).toMatchObject({ state: 'running', restarts: 1 });
    expect(info.pid).not.toBe(grant.hostPid);
    expect(isAlive(grant.hostPid)).toBe(false);
    const exited = log.history().find((event) => event.type === 'process-exited' && event.process.id === LAB_HOST_ID);
    expect(exited).toMatchObject({ expected: false, process: { exitReason: 'crashed', exitSignal: 'SIGABRT' } });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the events travel over the page's port
    expect(changes).toEqual([false, true]);
    // Asked again, the page gets a channel to the new one, which answers.
    const again = await page.remote.requestLabChannel({}, { timeoutMs: 20_000 });
    expect(again.hostPid).toBe(info.pid);
    const next = await openLabChannel(again.channel, again.hostPid);
    await expect(next.remote.stopIpc({})).resolves.toEqual({ stopped: false });
  }, 60_000);

  it('ends a hung lab host by its watchdog and starts another, while the browser keeps answering', async () => {
    const thresholdMs = 1000;
    const { log, registry, labs } = setup({ hangThresholdMs: thresholdMs });
    await labs.start();
    const hungPid = labs.pid!;

    // The browser process's own event loop, sampled while the lab host spins.
    let longestGapMs = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    }, 20);
    disposers.push(() => clearInterval(ticker));

    const unresponsive = nextEvent(
      log,
      (event) =>
        event.type === 'process-state-changed' &&
        event.process.id === LAB_HOST_ID &&
        event.process.state === 'unresponsive',
    );
    const restarted = nextEvent(log, labHostRunning);
    const hungAt = performance.now();
    labs.hang(); // forever: only the watchdog ends it
    await unresponsive;
    await restarted;
    const recoveredMs = performance.now() - hungAt;
    clearInterval(ticker);

    expect(isAlive(hungPid)).toBe(false);
    const exited = log.history().find((event) => event.type === 'process-exited' && event.process.id === LAB_HOST_ID);
    expect(exited).toMatchObject({ expected: false, process: { exitReason: 'killed', exitSignal: 'SIGKILL' } });
    expect(registry.get(LAB_HOST_ID)).toMatchObject({ state: 'running', restarts: 1 });
    expect(labs.pid).not.toBe(hungPid);
    // The hang was noticed only after its threshold of silence, and the browser's loop never stalled
    // anywhere near as long as the lab host did.
    expect(recoveredMs).toBeGreaterThan(thresholdMs);
    expect(longestGapMs).toBeLessThan(recoveredMs / 2);
    console.log(
      `lab host hang: ended and restarted ${recoveredMs.toFixed(0)} ms after it began (threshold ${thresholdMs} ms); browser loop's longest gap ${longestGapMs.toFixed(0)} ms`,
    );
  }, 60_000);
});
