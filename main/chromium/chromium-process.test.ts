// The system Chromium as the shell launches it: no Chromium process outlives the Node process that
// started it, however that process ends. Each case runs a real Node child (testing/chromium-child.ts)
// that launches Chromium and then ends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { chromeSandboxHelpers, currentUid, decideSandbox } from '../node/sandbox.ts';
import { lookUpBrowserUser } from './browser-user.ts';
import { launchChromium, type RunningChromium } from './chromium-process.ts';
import { CdpError } from './cdp-connection.ts';
import { chromiumLeftovers, liveProcess, waitUntil } from './testing/processes.ts';

const CHILD = new URL('./testing/chromium-child.ts', import.meta.url).pathname;

interface Ending {
  readonly mode: string;
  readonly signal?: NodeJS.Signals;
  readonly expected: { code: number | null; signal: NodeJS.Signals | null };
}

const ENDINGS: Ending[] = [
  { mode: 'exit', expected: { code: 0, signal: null } },
  { mode: 'uncaught', expected: { code: 1, signal: null } },
  { mode: 'rejection', expected: { code: 1, signal: null } },
  { mode: 'wait', signal: 'SIGTERM', expected: { code: null, signal: 'SIGTERM' } },
  { mode: 'wait', signal: 'SIGINT', expected: { code: null, signal: 'SIGINT' } },
  // Nothing runs in Node on SIGKILL: Chromium sees its DevTools pipe close and exits by itself.
  { mode: 'wait', signal: 'SIGKILL', expected: { code: null, signal: 'SIGKILL' } },
];

async function runChild({ mode, signal }: Ending) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const [line] = await Promise.race([
    lines.next().then(({ value }) => [value as string]),
    exited.then(() => [undefined]),
  ]);
  if (!line) throw new Error(`the child ended before launching Chromium:\n${stderr}`);
  const launched = JSON.parse(line) as { pid: number; userDataDir: string };
  expect(liveProcess(launched.pid)?.cmdline).toContain(launched.userDataDir);
  if (signal) child.kill(signal);
  return { launched, exit: await exited, stderr };
}

describe('launchChromium', () => {
  it.each(ENDINGS.map((ending) => [ending.signal ?? ending.mode, ending] as const))(
    'leaves no Chromium process behind when Node ends by %s',
    async (_name, ending) => {
      const { launched, exit } = await runChild(ending);
      expect(exit).toEqual(ending.expected);
      const leftovers = () => chromiumLeftovers(launched.pid, launched.userDataDir);
      await waitUntil(() => leftovers().length === 0, 5000, 'every Chromium process to end').catch(() => {});
      expect(leftovers()).toEqual([]);
      if (ending.signal === 'SIGKILL') fs.rmSync(launched.userDataDir, { recursive: true, force: true });
      else expect(fs.existsSync(launched.userDataDir), 'the profile is removed').toBe(false);
    },
    20_000,
  );

  it('rejects with the reason when Chromium cannot start', async () => {
    await expect(launchChromium({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      /did not start: spawn .* ENOENT/,
    );
  });

  it('fails pending and later calls cleanly when the browser goes away', async () => {
    const chromium = await launchChromium();
    const { targetId } = await chromium.connection.root.send('Target.createTarget', { url: 'about:blank' });
    const page = await chromium.connection.attach(targetId);
    // A call that never answers on its own, bounded by its timeout.
    const hanging = page.send(
      'Runtime.evaluate',
      { expression: 'new Promise(() => {})', awaitPromise: true },
      { timeoutMs: 200 },
    );
    await expect(hanging).rejects.toMatchObject({ kind: 'timeout' });

    const pending = page.send('Runtime.evaluate', { expression: 'new Promise(() => {})', awaitPromise: true });
    const detached = new Promise((resolve) => page.onDidDetach(resolve));
    process.kill(chromium.pid, 'SIGKILL');
    await expect(pending).rejects.toBeInstanceOf(CdpError);
    await expect(pending).rejects.toMatchObject({ kind: expect.stringMatching(/closed|detached/) });
    await detached;
    await expect(chromium.connection.root.send('Browser.getVersion')).rejects.toMatchObject({ kind: 'closed' });
    await chromium.close();
    // The rest of the group was SIGKILLed by close(); the kernel takes a moment to end them.
    const leftovers = () => chromiumLeftovers(chromium.pid, chromium.userDataDir);
    await waitUntil(() => leftovers().length === 0, 5000, 'every Chromium process to end').catch(() => {});
    expect(leftovers()).toEqual([]);
  });
});

/** What the kernel says about a process: its uid and seccomp mode (read here directly, not through main/node). */
function kernelView(pid: number): { uid: number; seccomp: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { uid: Number(/^Uid:\s+(\d+)/m.exec(status)![1]), seccomp: Number(/^Seccomp:\s+(\d+)/m.exec(status)![1]) };
}

/** The pids of Chromium's renderers, once a page runs script (its renderer's sandbox is engaged by then). */
async function rendererPids(chromium: RunningChromium): Promise<number[]> {
  const { targetId } = await chromium.connection.root.send('Target.createTarget', {
    url: 'data:text/html,<p>sandboxed?</p>',
  });
  const page = await chromium.connection.attach(targetId);
  await page.send('Runtime.evaluate', { expression: '1' });
  const { processInfo } = await chromium.connection.root.send('SystemInfo.getProcessInfo');
  return processInfo.filter((info) => info.type === 'renderer').map((info) => info.id);
}

const SANDBOX_USER = 'labsandbox';
const sandboxUser = (() => {
  try {
    return currentUid() === 0 ? lookUpBrowserUser(SANDBOX_USER) : undefined;
  } catch {
    return undefined;
  }
})();

describe.skipIf(process.platform !== 'linux')('launchChromium and the OS sandbox', () => {
  it('keeps the sandbox on where it can work and passes --no-sandbox only where main/node/sandbox.ts says it cannot', async () => {
    const executable = process.env.CHROME_PATH ?? '/usr/bin/chromium';
    const expected = decideSandbox({
      uid: currentUid(),
      noSandboxRequested: false,
      helperPaths: chromeSandboxHelpers(executable),
    });
    const chromium = await launchChromium();
    try {
      expect(chromium.sandbox).toEqual(expected);
      expect(liveProcess(chromium.pid)?.cmdline.includes('--no-sandbox')).toBe(!expected.enabled);
      const renderers = await rendererPids(chromium);
      expect(renderers.length).toBeGreaterThan(0);
      // Seccomp 2 (seccomp-bpf) in every renderer with the sandbox on, 0 without it. A spare renderer
      // Chromium starts ahead may be a moment from engaging it (seccomp is never lifted once on).
      const seccomp = expected.enabled ? 2 : 0;
      await waitUntil(
        () => renderers.every((pid) => !liveProcess(pid) || kernelView(pid).seccomp === seccomp),
        5000,
        'every renderer to engage its sandbox',
      ).catch(() => {});
      for (const pid of renderers.filter((pid) => liveProcess(pid))) expect(kernelView(pid).seccomp).toBe(seccomp);
    } finally {
      await chromium.close();
    }
  });

  it.skipIf(!sandboxUser)(
    `as root, runs Chromium as an ordinary user (${SANDBOX_USER}) with the sandbox on, in a profile that user owns`,
    async () => {
      const user = sandboxUser!;
      const chromium = await launchChromium({ user });
      try {
        expect(chromium.sandbox).toEqual({ enabled: true });
        expect(fs.statSync(chromium.userDataDir).uid).toBe(user.uid);
        expect(kernelView(chromium.pid).uid).toBe(user.uid);
        expect(liveProcess(chromium.pid)?.cmdline).not.toContain('--no-sandbox');
        const renderers = await rendererPids(chromium);
        expect(renderers.length).toBeGreaterThan(0);
        await waitUntil(
          () => renderers.every((pid) => !liveProcess(pid) || kernelView(pid).seccomp === 2),
          5000,
          'every renderer to engage its sandbox',
        ).catch(() => {});
        for (const pid of renderers.filter((pid) => liveProcess(pid)))
          expect(kernelView(pid)).toEqual({ uid: user.uid, seccomp: 2 });
      } finally {
        await chromium.close();
      }
      expect(fs.existsSync(chromium.userDataDir), 'the profile is removed').toBe(false);
    },
  );
});
if (!sandboxUser) {
  console.log(
    currentUid() === 0
      ? `[chromium-process.test] the case "as root, runs Chromium as an ordinary user" is skipped: there is no user ${SANDBOX_USER} (create one with: useradd --system --no-create-home ${SANDBOX_USER}; .ci/run does).`
      : '[chromium-process.test] the case "as root, runs Chromium as an ordinary user" is skipped: it needs root.',
  );
}
