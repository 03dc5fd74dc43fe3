/**
 * "Ignoring it" (무시): no prevention, avoidance or detection inside the program. Two child
 * processes each answer the other's calls from their event loop; told 'go', each makes a
 * synchronous call to the other (sync-call-peer.ts) and blocks in read(2) for the answer. Both
 * calling at once is a real deadlock between two OS processes; only a watchdog outside them sees
 * it (their heartbeats stop) and ends them, as the browser's hang watchdog ends a hung tab.
 *
 * Beside it, Chrome's rule (CHROME_RULE): only one side of a pair may make synchronous calls, and
 * the browser never makes one to a renderer. The 'one-way' mode is that rule: one process calls
 * synchronously, the other only answers, and the call returns.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deadlockLabEntries } from './entry-paths.ts';
import { HeartbeatWatchdog } from './heartbeat-watchdog.ts';

export const CHROME_RULE =
  'The browser process never makes a synchronous call to a renderer: a renderer waiting on the browser while the browser waits on it would freeze both. Renderers may call the browser synchronously (sparingly); the browser only answers, asynchronously. A hung renderer is caught by the hang watchdog (heartbeats) and the user may end it.';

export type SyncCallMode = 'both-sync' | 'one-way';

export interface SyncCallOptions {
  readonly mode: SyncCallMode;
  /** Heartbeat silence that counts as hung (the app's hang watchdog defaults to 1 s; Chrome's desktop waits 15 s). */
  readonly thresholdMs?: number;
  readonly beatMs?: number;
  /** Gives up (ending both) if nothing is decided by then. */
  readonly timeoutMs?: number;
  readonly peerEntry?: string;
}

export interface SyncPeerReport {
  readonly name: string;
  readonly pid: number;
  readonly callsPeer: boolean;
  /** Got the answer to its own call. */
  readonly gotAnswer: boolean;
  /** Calls of the other it answered. */
  readonly answered: number;
  /** The watchdog reported it unresponsive (heartbeats stopped). */
  readonly unresponsive: boolean;
  /** Where the kernel had it sleeping when it was reported (/proc/<pid>/wchan, e.g. pipe_read), if readable. */
  readonly blockedIn: string | null;
  /** How it ended: 'exit 0', 'SIGKILL', ... */
  readonly ended: string;
}

export interface SyncCallResult {
  readonly mode: SyncCallMode;
  /** Both calls crossed and neither returned: a deadlock. */
  readonly deadlocked: boolean;
  /** The watchdog reported every process of the deadlock, and the lab ended them. */
  readonly detectedByWatchdog: boolean;
  readonly thresholdMs: number;
  /** From 'go' to the watchdog's report (informational; depends on the threshold and the machine). */
  readonly detectedAfterMs: number | null;
  readonly peers: readonly SyncPeerReport[];
  /** Both processes are gone (reaped) at the end. */
  readonly bothEnded: boolean;
  readonly rule: string;
  readonly error?: string;
}

export const SYNC_PEER_ENTRY = path.join(import.meta.dirname, 'sync-call-peer.ts');

interface Peer {
  readonly name: string;
  readonly callsPeer: boolean;
  readonly child: ChildProcess;
  readonly exited: Promise<string>;
  pid: number;
  gotAnswer: boolean;
  answered: number;
  unresponsive: boolean;
  blockedIn: string | null;
  ended: string;
}

function wchan(pid: number): string | null {
  try {
    const value = readFileSync(`/proc/${pid}/wchan`, 'utf8').trim();
    return value && value !== '0' ? value : null;
  } catch {
    return null;
  }
}

export async function runSyncCallScene(options: SyncCallOptions): Promise<SyncCallResult> {
  const thresholdMs = options.thresholdMs ?? 2000;
  const beatMs = options.beatMs ?? 100;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-deadlock-'));
  const fifo = (name: string) => path.join(dir, name);
  const names = ['a-calls', 'b-calls', 'a-answers', 'b-answers'];
  const peers: Peer[] = [];
  const detection: { at: number | null; go: number } = { at: null, go: 0 };
  let error: string | undefined;
  try {
    execFileSync('mkfifo', names.map(fifo));
    const entry = options.peerEntry ?? deadlockLabEntries().syncPeer;
    const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const env = process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env;
    for (const [name, mine, other] of [
      ['A', 'a', 'b'],
      ['B', 'b', 'a'],
    ] as const) {
      const callsPeer = options.mode === 'both-sync' || name === 'A';
      const args = {
        name,
        calls: { mine: fifo(`${mine}-calls`), peer: fifo(`${other}-calls`) },
        answers: { mine: fifo(`${mine}-answers`), peer: fifo(`${other}-answers`) },
        callsPeer,
        beatMs,
      };
      const child = spawn(process.execPath, [...loader, entry, JSON.stringify(args)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env,
      });
      const exited = new Promise<string>((resolve) =>
        child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
      );
      peers.push({
        name,
        callsPeer,
        child,
        exited,
        pid: child.pid ?? -1,
        gotAnswer: false,
        answered: 0,
        unresponsive: false,
        blockedIn: null,
        ended: '',
      });
    }

    let settle: (() => void) | undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const watchdog = new HeartbeatWatchdog({
      thresholdMs,
      onUnresponsive: (name) => {
        const peer = peers.find((p) => p.name === name)!;
        peer.unresponsive = true;
        peer.blockedIn = wchan(peer.pid);
        // A deadlock is reported once every process that called is silent.
        if (peers.filter((p) => p.callsPeer).every((p) => p.unresponsive)) {
          detection.at = performance.now();
          settle?.();
        }
      },
    });
    const ready = peers.map(
      (peer) =>
        new Promise<void>((resolve, reject) => {
          peer.child.on('message', (message: { type: string; pid?: number }) => {
            if (message.type === 'ready') resolve();
            else if (message.type === 'beat') watchdog.heartbeat(peer.name);
            else if (message.type === 'got-answer') {
              peer.gotAnswer = true;
              if (peers.filter((p) => p.callsPeer).every((p) => p.gotAnswer)) settle?.();
            } else if (message.type === 'answered-call') peer.answered++;
          });
          void peer.exited.then((how) => reject(new Error(`peer ${peer.name} exited (${how}) before it was ready`)));
        }),
    );
    const startTimeout = setTimeout(() => settle?.(), options.timeoutMs ?? 60_000);
    try {
      await Promise.all(ready);
      for (const peer of peers) watchdog.watch(peer.name);
      detection.go = performance.now();
      for (const peer of peers) peer.child.send({ type: 'go' });
      await settled;
    } finally {
      clearTimeout(startTimeout);
      watchdog.dispose();
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    // Recovery by the watchdog's owner: a hung process is ended; a healthy one is asked to stop.
    for (const peer of peers) {
      if (peer.child.exitCode !== null || peer.child.signalCode !== null) continue;
      if (peer.unresponsive || error) peer.child.kill('SIGKILL');
      else if (peer.child.connected) peer.child.send({ type: 'stop' });
    }
    const killLater = setTimeout(() => peers.forEach((peer) => peer.child.kill('SIGKILL')), 5000);
    for (const peer of peers) peer.ended = await peer.exited;
    clearTimeout(killLater);
    rmSync(dir, { recursive: true, force: true });
  }
  const callers = peers.filter((peer) => peer.callsPeer);
  const deadlocked = callers.length === 2 && callers.every((peer) => !peer.gotAnswer);
  return {
    mode: options.mode,
    deadlocked,
    detectedByWatchdog: deadlocked && callers.every((peer) => peer.unresponsive),
    thresholdMs,
    detectedAfterMs: detection.at === null ? null : Math.round(detection.at - detection.go),
    peers: peers.map((peer) => ({
      name: peer.name,
      pid: peer.pid,
      callsPeer: peer.callsPeer,
      gotAnswer: peer.gotAnswer,
      answered: peer.answered,
      unresponsive: peer.unresponsive,
      blockedIn: peer.blockedIn,
      ended: peer.ended,
    })),
    bothEnded: peers.length === 2 && peers.every((peer) => peer.ended !== ''),
    rule: CHROME_RULE,
    ...(error ? { error } : {}),
  };
}
