// decideSandbox, branch by branch, with made-up kernels and helpers; and once against this machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chromeSandboxHelpers,
  currentUid,
  decideSandbox,
  REASON_REQUESTED,
  REASON_ROOT,
  sandboxInForce,
  sandboxSummary,
  setuidHelper,
  systemSandboxHost,
  userNamespacesForbiddenBy,
  type SandboxHost,
} from './sandbox.ts';

const HELPER = '/opt/browser/chrome-sandbox';

/** A Linux machine with these /proc/sys files and these files' owners and modes. */
function host(
  files: Record<string, string> = {},
  stats: Record<string, { uid: number; mode: number }> = {},
  platform: NodeJS.Platform = 'linux',
): SandboxHost {
  return { platform, readFile: (file) => files[file], stat: (file) => stats[file] };
}

const ordinary = { uid: 1000, noSandboxRequested: false, helperPaths: [HELPER] };
const setuidRoot = { [HELPER]: { uid: 0, mode: 0o104755 } };

describe('decideSandbox', () => {
  it('keeps the sandbox on for an ordinary user where user namespaces are allowed (the files say so or are absent)', () => {
    expect(decideSandbox(ordinary, host())).toEqual({ enabled: true });
    expect(
      decideSandbox(
        ordinary,
        host({
          '/proc/sys/kernel/unprivileged_userns_clone': '1\n',
          '/proc/sys/user/max_user_namespaces': '63000\n',
          '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '0\n',
        }),
      ),
    ).toEqual({ enabled: true });
  });

  it('turns it off as root, whatever else the machine has', () => {
    expect(decideSandbox({ ...ordinary, uid: 0 }, host({}, setuidRoot))).toEqual({
      enabled: false,
      reason: REASON_ROOT,
    });
    expect(decideSandbox({ ...ordinary, uid: 0, noSandboxRequested: true }, host())).toEqual({
      enabled: false,
      reason: REASON_ROOT,
    });
  });

  it.each([
    ['/proc/sys/kernel/unprivileged_userns_clone', '0', 'unprivileged_userns_clone is 0'],
    ['/proc/sys/user/max_user_namespaces', '0', 'max_user_namespaces is 0'],
    ['/proc/sys/kernel/apparmor_restrict_unprivileged_userns', '1', 'apparmor_restrict_unprivileged_userns is 1'],
  ])(
    'turns it off without user namespaces (%s = %s) and without a setuid helper, naming the setting',
    (file, value, named) => {
      expect(decideSandbox(ordinary, host({ [file]: `${value}\n` }))).toEqual({
        enabled: false,
        reason: `no user namespaces (${named}) and no setuid chrome-sandbox`,
      });
    },
  );

  it('keeps it on without user namespaces when a setuid-root helper is where the browser looks', () => {
    const noUserns = { '/proc/sys/user/max_user_namespaces': '0' };
    expect(decideSandbox(ordinary, host(noUserns, setuidRoot))).toEqual({ enabled: true });
    // Not setuid, not root's, not executable, or not where the browser looks: no helper.
    for (const stats of <Record<string, { uid: number; mode: number }>[]>[
      { [HELPER]: { uid: 0, mode: 0o100755 } },
      { [HELPER]: { uid: 1000, mode: 0o104755 } },
      { [HELPER]: { uid: 0, mode: 0o104600 } },
      { '/elsewhere/chrome-sandbox': { uid: 0, mode: 0o104755 } },
    ]) {
      expect(decideSandbox(ordinary, host(noUserns, stats)).enabled).toBe(false);
    }
  });

  it('turns it off when --no-sandbox was asked for where it could work', () => {
    expect(decideSandbox({ ...ordinary, noSandboxRequested: true }, host())).toEqual({
      enabled: false,
      reason: REASON_REQUESTED,
    });
  });

  it('off Linux, only --no-sandbox turns it off (macOS and Windows sandboxes need no privileges)', () => {
    expect(
      decideSandbox({ ...ordinary, uid: 0 }, host({ '/proc/sys/user/max_user_namespaces': '0' }, {}, 'darwin')),
    ).toEqual({ enabled: true });
    expect(decideSandbox({ ...ordinary, uid: undefined }, host({}, {}, 'win32'))).toEqual({ enabled: true });
    expect(decideSandbox({ ...ordinary, uid: undefined, noSandboxRequested: true }, host({}, {}, 'win32'))).toEqual({
      enabled: false,
      reason: REASON_REQUESTED,
    });
  });
});

describe('sandboxInForce (a running Electron, told --no-sandbox or not)', () => {
  it('is on without the switch, and off with it for the reason that made the launcher pass it, else the request', () => {
    expect(sandboxInForce(false, { uid: 1000, helperPaths: [] }, host())).toEqual({ enabled: true });
    expect(sandboxInForce(true, { uid: 0, helperPaths: [] }, host())).toEqual({ enabled: false, reason: REASON_ROOT });
    expect(sandboxInForce(true, { uid: 1000, helperPaths: [] }, host())).toEqual({
      enabled: false,
      reason: REASON_REQUESTED,
    });
  });
});

describe('the parts', () => {
  it('userNamespacesForbiddenBy names the first setting that forbids them; other values do not', () => {
    expect(userNamespacesForbiddenBy(host({ '/proc/sys/kernel/unprivileged_userns_clone': '2' }))).toBeUndefined();
    expect(
      userNamespacesForbiddenBy(host({ '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '0' })),
    ).toBeUndefined();
  });

  it('setuidHelper finds the first setuid-root executable among the paths', () => {
    expect(
      setuidHelper(host({}, { '/b/chrome-sandbox': { uid: 0, mode: 0o104755 } }), [
        '/a/chrome-sandbox',
        '/b/chrome-sandbox',
      ]),
    ).toBe('/b/chrome-sandbox');
    expect(setuidHelper(host(), [])).toBeUndefined();
  });

  it('chromeSandboxHelpers looks at CHROME_DEVEL_SANDBOX, beside the real binary, and beside the named file', () => {
    const links = (file: string) => (file === '/usr/bin/google-chrome' ? '/opt/google/chrome/google-chrome' : file);
    expect(chromeSandboxHelpers('/usr/bin/google-chrome', {}, links)).toEqual([
      '/opt/google/chrome/chrome-sandbox',
      '/usr/bin/chrome-sandbox',
    ]);
    expect(
      chromeSandboxHelpers('/opt/e/electron', { CHROME_DEVEL_SANDBOX: '/usr/local/sbin/chrome-devel-sandbox' }, links),
    ).toEqual(['/usr/local/sbin/chrome-devel-sandbox', '/opt/e/chrome-sandbox']);
  });

  it('sandboxSummary is what the start line and the status bar say', () => {
    expect(sandboxSummary({ enabled: true })).toBe('Sandbox: on');
    expect(sandboxSummary({ enabled: false, reason: REASON_ROOT })).toBe('Sandbox: off (running as root)');
  });
});

describe('on this machine', () => {
  it('systemSandboxHost reads real files and modes, and undefined for missing ones', () => {
    const real = systemSandboxHost();
    expect(real.readFile('/proc/self/status')).toMatch(/^Name:/);
    expect(real.readFile('/nonexistent/file')).toBeUndefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-sandbox-'));
    const file = path.join(dir, 'chrome-sandbox');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o4755);
    try {
      expect(real.stat(file)).toEqual({ uid: fs.statSync(file).uid, mode: fs.statSync(file).mode });
      expect((real.stat(file)!.mode & 0o4000) !== 0).toBe(true);
      expect(real.stat(path.join(dir, 'missing'))).toBeUndefined();
      // Ours, setuid: the helper only counts when root owns it.
      expect(setuidHelper(real, [file]) === file).toBe(currentUid() === 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decides as root that it is off, and otherwise by the kernel settings', () => {
    const decision = decideSandbox({ uid: currentUid(), noSandboxRequested: false, helperPaths: [] });
    if (process.platform === 'linux' && currentUid() === 0)
      expect(decision).toEqual({ enabled: false, reason: REASON_ROOT });
    else if (process.platform === 'linux')
      expect(decision.enabled).toBe(userNamespacesForbiddenBy(systemSandboxHost()) === undefined);
    else expect(decision).toEqual({ enabled: true });
  });
});
