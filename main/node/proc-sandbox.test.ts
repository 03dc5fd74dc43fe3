// The task manager's Sandbox column: /proc's words parsed, and real processes measured (one with
// no_new_privs, one in its own user, pid and net namespaces). Chromium's sandboxed renderers
// (seccomp-bpf) are measured end to end in e2e/sandbox.spec.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStatusSandbox, procSandboxReader } from './proc-sandbox.ts';

const status = (seccomp: string | undefined, noNewPrivs = '0') =>
  `Name:\tchromium\nUmask:\t0022\nState:\tS (sleeping)\nNoNewPrivs:\t${noNewPrivs}\n${seccomp === undefined ? '' : `Seccomp:\t${seccomp}\nSeccomp_filters:\t1\n`}Speculation_Store_Bypass:\tthread vulnerable\n`;

describe('parseStatusSandbox', () => {
  it.each([
    ['0', '0', { seccomp: 'none', noNewPrivs: false }],
    ['1', '0', { seccomp: 'strict', noNewPrivs: false }],
    ['2', '1', { seccomp: 'filter', noNewPrivs: true }],
  ])('Seccomp: %s, NoNewPrivs: %s', (seccomp, noNewPrivs, expected) => {
    expect(parseStatusSandbox(status(seccomp, noNewPrivs))).toEqual(expected);
  });

  it('is undefined without a Seccomp line (a kernel without seccomp) or with a mode it does not know', () => {
    expect(parseStatusSandbox(status(undefined))).toBeUndefined();
    expect(parseStatusSandbox(status('3'))).toBeUndefined();
    // Seccomp_filters is another line, not the mode.
    expect(parseStatusSandbox('Seccomp_filters:\t2\n')).toBeUndefined();
  });
});

describe('procSandboxReader with made-up /proc', () => {
  const links: Record<string, string> = {
    '/proc/self/ns/user': 'user:[1]',
    '/proc/self/ns/pid': 'pid:[2]',
    '/proc/self/ns/net': 'net:[3]',
    '/proc/7/ns/user': 'user:[10]',
    '/proc/7/ns/pid': 'pid:[20]',
    '/proc/7/ns/net': 'net:[3]',
  };
  const files: Record<string, string> = { '/proc/7/status': status('2', '1'), '/proc/8/status': status('0') };
  const readFile = (file: string) =>
    file in files ? Promise.resolve(files[file]!) : Promise.reject(new Error('ENOENT'));
  const readlink = (file: string) =>
    file in links ? Promise.resolve(links[file]!) : Promise.reject(new Error('EACCES'));

  it("lists the namespaces that differ from the browser process's own", async () => {
    const reader = procSandboxReader({ platform: 'linux', readFile, readlink });
    expect(await reader.measure(7)).toEqual({ seccomp: 'filter', noNewPrivs: true, namespaces: ['user', 'pid'] });
  });

  it('gives the status alone when the namespace links are refused, and nothing for a process that is gone', async () => {
    const reader = procSandboxReader({ platform: 'linux', readFile, readlink });
    expect(await reader.measure(8)).toEqual({ seccomp: 'none', noNewPrivs: false });
    expect(await reader.measure(9)).toBeUndefined();
  });

  it('measures nothing off Linux: "not measured", never a guess', async () => {
    expect(await procSandboxReader({ platform: 'darwin', readFile, readlink }).measure(7)).toBeUndefined();
    expect(await procSandboxReader({ platform: 'win32', readFile, readlink }).measure(7)).toBeUndefined();
  });
});

const linux = process.platform === 'linux';
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts `command` and resolves with its pid once it runs `sleep` (after any wrapper has exec'd or forked). */
async function sleeper(command: string[]): Promise<{ child: ChildProcess; sleepPid: () => number }> {
  const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
  children.push(child);
  const error = new Promise<never>((_, reject) => child.once('error', reject));
  const sleepPid = () => {
    const own = readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim();
    if (own === 'sleep') return child.pid!;
    // unshare --fork runs sleep as its child.
    const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
      .trim()
      .split(' ')
      .filter(Boolean)
      .map(Number);
    const found = kids.find((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep');
    if (found === undefined) throw new Error('not yet');
    return found;
  };
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      sleepPid();
      return { child, sleepPid };
    } catch {
      if (Date.now() > deadline) throw new Error(`${command.join(' ')} did not start sleep`);
      await Promise.race([error, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
  }
}

describe.skipIf(!linux)('procSandboxReader on real processes', () => {
  it('measures this process (the browser) as unconfined: no seccomp, no no_new_privs, its own namespaces', async () => {
    expect(await procSandboxReader().measure(process.pid)).toEqual({
      seccomp: 'none',
      noNewPrivs: false,
      namespaces: [],
    });
  });

  it('sees no_new_privs set by setpriv', async () => {
    const { sleepPid } = await sleeper(['setpriv', '--no-new-privs', 'sleep', '30']);
    expect(await procSandboxReader().measure(sleepPid())).toEqual({
      seccomp: 'none',
      noNewPrivs: true,
      namespaces: [],
    });
  });

  it('sees new user, pid and net namespaces made by unshare', async (context) => {
    const probe = spawn('unshare', ['--user', '--pid', '--net', '--fork', 'true'], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) =>
      probe.once('exit', resolve).once('error', () => resolve(-1)),
    );
    if (code !== 0)
      context.skip('this machine forbids new user namespaces (unshare --user failed): nothing to measure');
    const { sleepPid } = await sleeper(['unshare', '--user', '--pid', '--net', '--fork', 'sleep', '30']);
    expect(await procSandboxReader().measure(sleepPid())).toEqual({
      seccomp: 'none',
      noNewPrivs: false,
      namespaces: ['user', 'pid', 'net'],
    });
  });

  it('answers undefined for a pid that has ended', async () => {
    const child = spawn('true', { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await procSandboxReader().measure(child.pid!)).toBeUndefined();
  });
});
