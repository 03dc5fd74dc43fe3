/**
 * Can Chromium's OS sandbox work here, and if not, why: the one decision both shells (and the tests
 * that launch a browser) make before starting Chromium or Electron. The sandbox stays on unless it
 * cannot work; turning it off is always said, with this reason.
 *
 * On Linux, Chromium's renderers are confined by seccomp-bpf plus namespaces made either by the
 * browser itself (unprivileged user namespaces) or by a setuid-root helper, `chrome-sandbox`, found
 * beside the browser's binary (or at CHROME_DEVEL_SANDBOX). It refuses to start as root unless told
 * `--no-sandbox` (crbug.com/638180; Electron aborts the same way before any app code runs), and it
 * aborts with "No usable sandbox!" when it has neither namespaces nor the helper. macOS and Windows
 * need no privileges for their sandboxes: there only an explicit `--no-sandbox` turns it off.
 *
 * The inputs (uid, files) come through `SandboxHost` so every branch is tested with made-up ones;
 * `systemSandboxHost()` reads the real ones.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What the shell tells the core (protocol/interfaces/browser-state.ts SandboxState). */
export type SandboxDecision = { readonly enabled: true } | { readonly enabled: false; readonly reason: string };

export const REASON_ROOT = 'running as root';
export const REASON_REQUESTED = '--no-sandbox was given';

export interface SandboxHost {
  readonly platform: NodeJS.Platform;
  /** A small file's text, or undefined when it does not exist or cannot be read. */
  readFile(file: string): string | undefined;
  /** Owner and mode of a file (following symlinks), or undefined when there is none. */
  stat(file: string): { readonly uid: number; readonly mode: number } | undefined;
}

export interface SandboxQuestion {
  /** The uid the browser will run as: this process's, or the one it is started as (`--browser-user`). */
  readonly uid: number | undefined;
  /** The user asked for `--no-sandbox`. */
  readonly noSandboxRequested: boolean;
  /** Where the browser would look for its setuid sandbox helper (`chromeSandboxHelpers`). */
  readonly helperPaths: readonly string[];
}

/** The kernel settings that take unprivileged user namespaces away, and the value that does. */
const USERNS_SWITCHES: readonly { readonly file: string; readonly off: string }[] = [
  { file: '/proc/sys/kernel/unprivileged_userns_clone', off: '0' }, // Debian's and some distributions' patch
  { file: '/proc/sys/user/max_user_namespaces', off: '0' },
  { file: '/proc/sys/kernel/apparmor_restrict_unprivileged_userns', off: '1' }, // Ubuntu 23.10+
];

/** Which setting forbids unprivileged user namespaces ("max_user_namespaces is 0"), or undefined when none does. */
export function userNamespacesForbiddenBy(host: Pick<SandboxHost, 'readFile'>): string | undefined {
  for (const { file, off } of USERNS_SWITCHES) {
    if (host.readFile(file)?.trim() === off) return `${path.basename(file)} is ${off}`;
  }
  return undefined;
}

/** The first of `paths` that is a setuid binary owned by root (mode 4755 as Chromium requires), or undefined. */
export function setuidHelper(host: Pick<SandboxHost, 'stat'>, paths: readonly string[]): string | undefined {
  return paths.find((file) => {
    const info = host.stat(file);
    return info !== undefined && info.uid === 0 && (info.mode & 0o4000) !== 0 && (info.mode & 0o111) !== 0;
  });
}

/** Whether the sandbox can stay on, and if not why (a reason the status bar shows after "Sandbox: off"). */
export function decideSandbox(question: SandboxQuestion, host: SandboxHost = systemSandboxHost()): SandboxDecision {
  if (host.platform === 'linux') {
    if (question.uid === 0) return { enabled: false, reason: REASON_ROOT };
    const forbidden = userNamespacesForbiddenBy(host);
    if (forbidden !== undefined && setuidHelper(host, question.helperPaths) === undefined) {
      return { enabled: false, reason: `no user namespaces (${forbidden}) and no setuid chrome-sandbox` };
    }
  }
  if (question.noSandboxRequested) return { enabled: false, reason: REASON_REQUESTED };
  return { enabled: true };
}

/**
 * Where Chromium looks for `chrome-sandbox`: CHROME_DEVEL_SANDBOX, else beside its real binary.
 * `executable` may be a symlink (google-chrome) or a wrapper script in another folder (Debian's
 * /usr/bin/chromium runs /usr/lib/chromium/chromium, which has no helper: Debian relies on user
 * namespaces); both the link's target folder and the named file's own folder are listed.
 */
export function chromeSandboxHelpers(
  executable: string,
  env: NodeJS.ProcessEnv = process.env,
  realpath = safeRealpath,
): string[] {
  const folders = new Set([path.dirname(realpath(executable)), path.dirname(path.resolve(executable))]);
  return [
    ...(env.CHROME_DEVEL_SANDBOX ? [env.CHROME_DEVEL_SANDBOX] : []),
    ...[...folders].map((folder) => path.join(folder, 'chrome-sandbox')),
  ];
}

function safeRealpath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The real files and settings of this machine. */
export function systemSandboxHost(platform: NodeJS.Platform = process.platform): SandboxHost {
  return {
    platform,
    readFile(file) {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    stat(file) {
      try {
        const { uid, mode } = fs.statSync(file);
        return { uid, mode };
      } catch {
        return undefined;
      }
    },
  };
}

/** This process's uid; undefined where there is none (Windows). */
export function currentUid(): number | undefined {
  return process.getuid?.();
}

/** The status bar's words and the start line's: "Sandbox: on", "Sandbox: off (running as root)". */
export function sandboxSummary(decision: SandboxDecision): string {
  return decision.enabled ? 'Sandbox: on' : `Sandbox: off (${decision.reason})`;
}

/**
 * The sandbox in force in a browser that is already running (the Electron main process), given
 * whether it got `--no-sandbox`: without it the sandbox is on (Electron aborts before any app code
 * where it cannot work); with it, off, for the reason the decision gives: the one that made the
 * launcher pass it (root, no namespaces), or the user's own request.
 */
export function sandboxInForce(
  noSandboxSwitch: boolean,
  question: Omit<SandboxQuestion, 'noSandboxRequested'>,
  host: SandboxHost = systemSandboxHost(),
): SandboxDecision {
  return noSandboxSwitch ? decideSandbox({ ...question, noSandboxRequested: true }, host) : { enabled: true };
}
