// ChromiumTabHost against the real, headless system Chromium: tabs are cross-site iframes of a UI
// page, each in its own renderer process, crashed, killed, hung and recovered for real. The steps
// share one browser and run in order. Screenshots and timings go to test-results/chromium/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transport } from '../../protocol/transport/transport.ts';
import type { RendererGone, TabCommit, TabHostEvents } from '../core/tab-host.ts';
import type { CdpSession } from './cdp-connection.ts';
import { launchChromium, type RunningChromium } from './chromium-process.ts';
import { ChromiumTabHost } from './tab-host.ts';
import { localhostTabUrls } from './tab-urls.ts';
import { openPage } from './open-page.ts';
import { startFixtureServer, type FixtureServer } from './testing/fixture-server.ts';
import { chromiumLeftovers, isAlive, liveProcess, waitUntil } from './testing/processes.ts';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-results/chromium');

interface TabMessage {
  readonly type: string;
  readonly count?: number;
  readonly id?: number;
}

/** Stands in for the core: records what the host reports and listens on every new transport. */
class Recorder implements TabHostEvents {
  readonly commits: Array<TabCommit & { tabId: string; at: number }> = [];
  readonly gone: Array<RendererGone & { tabId: string; at: number }> = [];
  readonly messages = new Map<string, Array<TabMessage & { at: number }>>();
  readonly decodeFailures = new Map<string, unknown[]>();
  readonly transports = new Map<string, Transport>();
  host!: ChromiumTabHost;

  onDidCommit(tabId: string, commit: TabCommit): void {
    this.commits.push({ tabId, ...commit, at: performance.now() });
    const transport = this.host.transport(tabId);
    if (!transport) throw new Error(`no transport for ${tabId} at its commit`);
    this.transports.set(tabId, transport);
    this.messages.set(tabId, []);
    this.decodeFailures.set(tabId, []);
    transport.on((message) => this.messages.get(tabId)?.push({ ...(message as TabMessage), at: performance.now() }));
    transport.onDidFailToDecode?.((error) => this.decodeFailures.get(tabId)?.push(error));
  }

  onDidRendererGone(tabId: string, gone: RendererGone): void {
    this.gone.push({ tabId, ...gone, at: performance.now() });
  }

  commitsOf(tabId: string) {
    return this.commits.filter((commit) => commit.tabId === tabId);
  }

  pid(tabId: string): number {
    return this.commitsOf(tabId).at(-1)!.pid;
  }

  lastCount(tabId: string): number {
    const counts = (this.messages.get(tabId) ?? []).filter((message) => message.type === 'count');
    return counts.at(-1)?.count ?? 0;
  }
}

let server: FixtureServer;
let chromium: RunningChromium;
let ui: CdpSession;
let host: ChromiumTabHost;
const recorder = new Recorder();
const timings: Record<string, number> = {};
const rendererPids = new Set<number>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = (check: () => boolean, what: string, timeoutMs = 3000) => waitUntil(check, timeoutMs, what);

async function screenshot(name: string): Promise<void> {
  const { data } = await ui.send('Page.captureScreenshot', { format: 'png' });
  fs.writeFileSync(path.join(ARTIFACTS, `${name}.png`), Buffer.from(data, 'base64'));
}

/** Opens a tab and waits for its first commit; returns the time that took. */
async function open(tabId: string, page: string, site: string): Promise<number> {
  const started = performance.now();
  const before = recorder.commitsOf(tabId).length;
  await host.create(tabId, `lab://${page}`, site);
  await until(() => recorder.commitsOf(tabId).length > before, `${tabId}'s first commit`);
  rendererPids.add(recorder.pid(tabId));
  return recorder.commitsOf(tabId).at(-1)!.at - started;
}

async function reloadAndWait(tabId: string): Promise<number> {
  const started = performance.now();
  const before = recorder.commitsOf(tabId).length;
  await host.reload(tabId);
  await until(() => recorder.commitsOf(tabId).length > before, `${tabId}'s commit after reload`);
  rendererPids.add(recorder.pid(tabId));
  return recorder.commitsOf(tabId).at(-1)!.at - started;
}

/** Asserts that the tabs keep counting for `ms`, and returns how much each counted. */
async function keepCounting(tabIds: string[], ms: number): Promise<number[]> {
  const before = tabIds.map((tabId) => recorder.lastCount(tabId));
  await sleep(ms);
  const gained = tabIds.map((tabId, index) => recorder.lastCount(tabId) - before[index]!);
  for (const [index, tabId] of tabIds.entries())
    expect(gained[index], `${tabId} kept counting`).toBeGreaterThan(ms / 100);
  return gained;
}

function goneOf(tabId: string) {
  return recorder.gone.filter((gone) => gone.tabId === tabId);
}

const round = (ms: number) => Math.round(ms * 10) / 10;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await startFixtureServer();
  chromium = await launchChromium({ args: ['--window-size=1200,700'] });
  ui = await openPage(chromium.connection, server.uiUrl);
  host = await ChromiumTabHost.start({ connection: chromium.connection, ui, urls: localhostTabUrls(server.port) });
  recorder.host = host;
  host.attach(recorder);
}, 20_000);

afterAll(async () => {
  host?.dispose();
  await chromium?.close();
  await server?.close();
  fs.writeFileSync(path.join(ARTIFACTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  console.log('[chromium] timings (ms):', timings);
});

describe('ChromiumTabHost on real Chromium', () => {
  it('runs three tabs on three site instances in three renderer processes, each talking over its transport', async () => {
    timings.createToFirstCommit = round(await open('tab-1', 'counter', 'tab-1'));
    await open('tab-2', 'counter', 'tab-2');
    await open('tab-3', 'counter', 'tab-3');

    const pids = ['tab-1', 'tab-2', 'tab-3'].map((tabId) => recorder.pid(tabId));
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(chromium.pid);
    for (const pid of pids) expect(liveProcess(pid)?.cmdline).toContain('--type=renderer');
    expect(recorder.commitsOf('tab-1')[0]!.url).toBe('lab://counter');
    expect(recorder.transports.get('tab-2')!.peer).toEqual({ process: 'renderer', id: 'tab-2', pid: pids[1] });

    await until(
      () => ['tab-1', 'tab-2', 'tab-3'].every((tabId) => recorder.lastCount(tabId) >= 3),
      'every tab to count',
    );
    // The other way: the browser posts, the page answers.
    recorder.transports.get('tab-3')!.post({ type: 'ping', id: 7 });
    await until(
      () => recorder.messages.get('tab-3')!.some((message) => message.type === 'pong' && message.id === 7),
      'the pong',
    );
    await screenshot('1-three-tabs');
  });

  it('reports a crash within a second while the other tabs keep counting, and reloads it in a new process', async () => {
    const oldPid = recorder.pid('tab-2');
    const crashedAt = performance.now();
    host.crash('tab-2');
    await until(() => goneOf('tab-2').length === 1, 'tab-2 gone', 1000);
    timings.crashToDetection = round(goneOf('tab-2')[0]!.at - crashedAt);
    expect(goneOf('tab-2')[0]).toMatchObject({ reason: 'crashed' });
    expect(goneOf('tab-2')[0]!.code).toBeUndefined(); // Chromium's errorCode is 0 (no code): left out
    expect(host.transport('tab-2')).toBeUndefined();
    const stalled = recorder.lastCount('tab-2');

    await keepCounting(['tab-1', 'tab-3'], 1000);
    expect(recorder.lastCount('tab-2')).toBe(stalled);
    expect(goneOf('tab-1').length + goneOf('tab-3').length).toBe(0);
    await until(() => !isAlive(oldPid), 'the crashed renderer to end');
    await screenshot('2-tab-2-crashed');

    timings.reloadToNewPid = round(await reloadAndWait('tab-2'));
    expect(recorder.pid('tab-2')).not.toBe(oldPid);
    expect(liveProcess(recorder.pid('tab-2'))?.cmdline).toContain('--type=renderer');
    await until(() => recorder.lastCount('tab-2') >= 3, 'tab-2 to count again');
    await screenshot('3-tab-2-reloaded');
  });

  it('reports a SIGKILL to the renderer as killed, and recovers the same way', async () => {
    const oldPid = recorder.pid('tab-2');
    const killedAt = performance.now();
    host.kill('tab-2');
    await until(() => goneOf('tab-2').length === 2, 'tab-2 gone', 1000);
    timings.killToDetection = round(goneOf('tab-2')[1]!.at - killedAt);
    expect(goneOf('tab-2')[1]).toMatchObject({ reason: 'killed', signal: 'SIGKILL' });
    expect(isAlive(oldPid)).toBe(false);
    await keepCounting(['tab-1', 'tab-3'], 500);

    await reloadAndWait('tab-2');
    expect(recorder.pid('tab-2')).not.toBe(oldPid);
    await until(() => recorder.lastCount('tab-2') >= 3, 'tab-2 to count again');
  });

  it('hangs a tab without stopping the others; stopScript brings it back with its state, in the same process', async () => {
    const pid = recorder.pid('tab-3');
    const commits = recorder.commitsOf('tab-3').length;
    host.hang('tab-3');
    await sleep(100); // a tick already on its way may still arrive
    const frozen = recorder.lastCount('tab-3');
    const [others] = await keepCounting(['tab-1', 'tab-2'], 700);
    expect(recorder.lastCount('tab-3'), 'no heartbeat from the hung tab').toBe(frozen);
    expect(others).toBeGreaterThan(7);
    await screenshot('4-tab-3-hung');

    const stopping = performance.now();
    expect(await host.stopScript('tab-3')).toBe(true);
    timings.stopScriptLatency = round(performance.now() - stopping);
    await until(() => recorder.lastCount('tab-3') > frozen, 'tab-3 to count again', 1000);
    timings.stopScriptToNextTick = round(recorder.messages.get('tab-3')!.at(-1)!.at - stopping);
    // The page kept its state: the counter goes on from where it stopped.
    const next = recorder.messages
      .get('tab-3')!
      .find((message) => message.type === 'count' && message.count! > frozen)!;
    expect(next.count).toBe(frozen + 1);
    expect(recorder.commitsOf('tab-3')).toHaveLength(commits);
    expect(recorder.pid('tab-3')).toBe(pid);
    expect(goneOf('tab-3')).toHaveLength(0);
  });

  it('puts two tabs of one site instance in one process; a crash ends both', async () => {
    await open('pair-a', 'counter', 'site-pair');
    await open('pair-b', 'counter', 'site-pair');
    expect(recorder.pid('pair-a')).toBe(recorder.pid('pair-b'));
    await until(() => recorder.lastCount('pair-a') >= 2 && recorder.lastCount('pair-b') >= 2, 'the pair to count');
    await screenshot('5-same-site-pair');

    host.crash('pair-b');
    await until(
      () => goneOf('pair-a').length === 1 && goneOf('pair-b').length === 1,
      'both tabs of the pair gone',
      1000,
    );
    for (const tabId of ['pair-a', 'pair-b']) expect(goneOf(tabId)[0]).toMatchObject({ reason: 'crashed' });
    await keepCounting(['tab-1', 'tab-2', 'tab-3'], 500);
    await sleep(200); // the second frame's own crash event must not report it again
    expect(goneOf('pair-a')).toHaveLength(1);
    expect(goneOf('pair-b')).toHaveLength(1);
    await screenshot('6-same-site-pair-crashed');
  });

  it('gives a decode failure for text that is not JSON and for a 2 MiB message, and still delivers valid ones', async () => {
    await open('bad', 'garbage', 'bad');
    await until(
      () => recorder.messages.get('bad')!.length === 2 && recorder.decodeFailures.get('bad')!.length === 2,
      'the garbage',
    );
    expect(recorder.messages.get('bad')!.map((message) => message.type)).toEqual(['hello', 'after']);
    const [notJson, tooBig] = recorder.decodeFailures.get('bad')! as Error[];
    expect(notJson).toBeInstanceOf(SyntaxError);
    expect(tooBig!.message).toMatch(/over the limit/);
  });

  it('a crash asked for before the tab’s first commit is done once it commits, not lost', async () => {
    // "Crash this tab" (or chrome://crash) right after New tab: there is no renderer to crash yet.
    await host.create('tab-early', 'lab://counter', 'tab-early');
    host.crash('tab-early');
    await until(() => goneOf('tab-early').length === 1, 'the early crash to be done after the commit', 10_000);
    const commit = recorder.commitsOf('tab-early');
    expect(commit).toHaveLength(1);
    expect(goneOf('tab-early')[0]!.at).toBeGreaterThan(commit[0]!.at);
    rendererPids.add(commit[0]!.pid);
    await until(() => !isAlive(commit[0]!.pid), 'the crashed renderer to end');
    await host.close('tab-early');
  });

  it('navigates in place within a site instance and to a new element for a new one; closes', async () => {
    const pid = recorder.pid('tab-1');
    const commits = recorder.commitsOf('tab-1').length;
    await host.navigate('tab-1', 'lab://counter?again', 'tab-1');
    await until(() => recorder.commitsOf('tab-1').length === commits + 1, 'the same-site navigation');
    expect(recorder.commitsOf('tab-1').at(-1)).toMatchObject({ pid, url: 'lab://counter?again' });

    await host.navigate('tab-1', 'lab://counter', 'tab-1-elsewhere');
    await until(() => recorder.commitsOf('tab-1').length === commits + 2, 'the cross-site navigation');
    const newPid = recorder.pid('tab-1');
    rendererPids.add(newPid);
    expect(newPid).not.toBe(pid);
    await until(() => !isAlive(pid), 'the old renderer to end once unused');

    await host.close('tab-1');
    expect(host.transport('tab-1')).toBeUndefined();
    await until(() => !isAlive(newPid), 'the closed tab’s renderer to end');
  });

  it('leaves no Chromium process behind', async () => {
    const { pid, userDataDir } = chromium;
    host.dispose();
    await chromium.close();
    expect(chromiumLeftovers(pid, userDataDir)).toEqual([]);
    for (const rendererPid of rendererPids) expect(isAlive(rendererPid)).toBe(false);
    expect(fs.existsSync(userDataDir)).toBe(false);
  });
});
