/**
 * The system Chromium as a child of the shell's Node process, driven over `--remote-debugging-pipe`
 * (fd 3: commands in, fd 4: answers and events out, each message ended by a NUL byte).
 *
 * Why a pipe rather than `--remote-debugging-port`: no other local process can connect to it and
 * take the browser over, no port file to poll, and if Node dies in a way no handler sees (SIGKILL),
 * the pipe closes and Chromium exits by itself. A test that wants Playwright on the same browser
 * can still add `--remote-debugging-port=N` to `args`.
 *
 * Chromium runs in its own process group (`detached`), so one signal to the group ends the browser
 * process, its zygotes and every renderer. The group is killed when Node exits however it exits:
 * normal exit, SIGINT/SIGTERM/SIGHUP, or an uncaught error.
 *
 * The OS sandbox stays on unless main/node/sandbox.ts says it cannot work here (running as root, no
 * user namespaces and no setuid helper) or `--no-sandbox` was asked for; only then is Chromium given
 * `--no-sandbox`. As root it can instead run Chromium as an ordinary user (`user`), sandbox on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { requireBrowser } from '../node/find-browser.ts';
import { chromeSandboxHelpers, currentUid, decideSandbox, type SandboxDecision } from '../node/sandbox.ts';
import { CdpConnection } from './cdp-connection.ts';

/** Flags measured to work on this machine (shared/knowledge/chromium-cdp.md); `--no-sandbox` only when decided. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-default-browser-check',
  '--disable-features=Translate,MediaRouter',
];

export interface ChromiumLaunchOptions {
  /** Defaults to the browser `requireBrowser()` finds (CHROME_PATH, PATH, the usual install folders). */
  readonly executablePath?: string;
  /** `--headless=new` unless false. */
  readonly headless?: boolean;
  /** More flags, after the defaults. */
  readonly args?: readonly string[];
  /** Default timeout of every CDP call. */
  readonly cdpTimeoutMs?: number;
  /** How long to wait for the browser to answer its first command. */
  readonly launchTimeoutMs?: number;
  /**
   * Run Chromium as this user rather than as this process's (only root may): the profile, HOME and
   * the XDG folders are a throwaway folder it owns. Its sandbox then depends on that user, not root.
   */
  readonly user?: BrowserUser;
  /** The OS sandbox: on or off, and why. Default: `decideSandbox` for the user it runs as. */
  readonly sandbox?: SandboxDecision;
}

export interface BrowserUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface RunningChromium {
  /** The browser process's pid (and its process group's id). */
  readonly pid: number;
  readonly userDataDir: string;
  readonly connection: CdpConnection;
  /** Whether it runs with the OS sandbox, and if not why. */
  readonly sandbox: SandboxDecision;
  /** The last lines Chromium wrote to stderr, for error reports. */
  stderrTail(): string;
  /** Calls `listener` once when the browser process has exited. */
  onDidExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Asks the browser to close, then kills whatever is left of its process group; removes the profile. */
  close(): Promise<void>;
}

export async function launchChromium(options: ChromiumLaunchOptions = {}): Promise<RunningChromium> {
  const executable = options.executablePath ?? requireBrowser();
  const { user } = options;
  const sandbox =
    options.sandbox ??
    decideSandbox({
      uid: user?.uid ?? currentUid(),
      noSandboxRequested: false,
      helperPaths: chromeSandboxHelpers(executable),
    });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-chromium-'));
  if (user) fs.chownSync(userDataDir, user.uid, user.gid);
  const args = [
    ...CHROMIUM_ARGS,
    ...(sandbox.enabled ? [] : ['--no-sandbox']),
    ...(options.headless === false ? [] : ['--headless=new']),
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-pipe',
    ...(options.args ?? []),
    'about:blank',
  ];
  const child = spawn(executable, args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    // Crash dumps go to $XDG_CONFIG_HOME/chromium/Crash Reports: keep them in the throwaway profile,
    // not the user's home. Chromium's crash handler (crashpad) then names this folder in its command
    // line, which is how a test finds it (it leaves the process group on purpose).
    env: {
      ...process.env,
      XDG_CONFIG_HOME: userDataDir,
      ...(user ? { HOME: userDataDir, XDG_CACHE_HOME: userDataDir, USER: user.name, LOGNAME: user.name } : {}),
    },
    // Another user may not reach this process's folders (a clone under /root): it starts in its own.
    // The DevTools pipe's fds are inherited whatever the uid.
    ...(user ? { uid: user.uid, gid: user.gid, cwd: userDataDir } : {}),
  });
  const group = track(child, userDataDir);

  let stderr = '';
  child.stderr!.setEncoding('utf8');
  // Always read stderr: an unread pipe fills up and blocks Chromium.
  child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A spawn that failed (no such file) reports only an 'error', never an 'exit'.
    child.once('error', () => child.pid === undefined && resolve());
  });

  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const connection = new CdpConnection(
    {
      send: (text) => void toBrowser.write(`${text}\0`),
      close: () => {
        toBrowser.destroy();
        fromBrowser.destroy();
      },
    },
    options.cdpTimeoutMs,
  );
  readNulSeparated(fromBrowser, (text) => connection.receive(text));
  fromBrowser.once('close', () => connection.close('the browser closed its DevTools pipe'));
  toBrowser.on('error', () => connection.close('the DevTools pipe broke'));
  child.once('exit', (code, signal) => connection.close(`the browser exited (${signal ?? `code ${code}`})`));

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      connection.root.fire('Browser.close', undefined, { timeoutMs: 1000 });
      await Promise.race([exited, delay(2000)]);
    }
    group.kill();
    await exited;
  };

  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  try {
    await Promise.race([
      connection.root.send('Browser.getVersion', undefined, { timeoutMs: options.launchTimeoutMs ?? 15_000 }),
      spawnError,
    ]);
  } catch (error) {
    await close();
    const hint = /No usable sandbox/i.test(stderr)
      ? '\nIts OS sandbox cannot work here: start with --no-sandbox to run without it.'
      : '';
    throw new Error(`Chromium (${executable}) did not start: ${(error as Error).message}\n${stderr}${hint}`, {
      cause: error,
    });
  }

  return {
    pid: child.pid!,
    userDataDir,
    connection,
    sandbox,
    stderrTail: () => stderr,
    onDidExit(listener) {
      if (child.exitCode !== null || child.signalCode !== null) listener(child.exitCode, child.signalCode);
      else child.once('exit', listener);
    },
    close,
  };
}

/** Splits a byte stream at NUL bytes; decodes only whole messages (a UTF-8 character may span chunks). */
function readNulSeparated(stream: Readable, onMessage: (text: string) => void): void {
  let parts: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      parts.push(chunk.subarray(start, end));
      const text = Buffer.concat(parts).toString('utf8');
      parts = [];
      start = end + 1;
      onMessage(text);
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---- no Chromium outlives this process -----------------------------------------------------------

interface Group {
  kill(): void;
}

const groups = new Set<Group>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooked = false;

/** Registers the child's process group for killing at exit; returns its killer. */
function track(child: ChildProcess, userDataDir: string): Group {
  const pid = child.pid;
  const group: Group = {
    kill() {
      // SIGKILL, synchronous: this also runs inside 'exit', where nothing asynchronous happens.
      // The group outlives its leader while renderers are still in it, so kill it even after exit.
      if (pid !== undefined) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // ESRCH: the group is already empty.
        }
      }
      groups.delete(group);
      fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  groups.add(group);
  if (!hooked) {
    hooked = true;
    // 'exit' also runs after an uncaught exception or an unhandled rejection.
    process.on('exit', killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  return group;
}

function killAll(): void {
  for (const group of [...groups]) group.kill();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Listening to a signal cancels Node's default of exiting on it. When nothing else listens, give
  // it back: stop listening and raise the signal again, so the process ends as it would have.
  if (process.listenerCount(signal) === 1) {
    process.off(signal, onSignal);
    process.kill(process.pid, signal);
  }
}
