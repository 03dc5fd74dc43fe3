/**
 * A process's sandbox as the kernel reports it, for the task manager's Sandbox column: measured from
 * /proc, never inferred from how the process was started.
 *   - `/proc/<pid>/status`: `Seccomp:` 0 (none), 1 (strict), 2 (filter: seccomp-bpf, Chromium's
 *     layer-2 sandbox) and `NoNewPrivs:` 1 (it can never gain privileges again, e.g. through setuid);
 *   - `/proc/<pid>/ns/{user,pid,net}`: the namespaces it does not share with the browser process
 *     (Chromium's layer-1 sandbox puts renderers in their own user, pid and net namespaces).
 * Linux only: elsewhere `measure` answers undefined ("not measured"), never a guess.
 *
 * Cost: one small file and three readlinks per process per sample (the task manager samples once a
 * second); measured in proc-sandbox.test.ts against smaps_rollup, which the same sample reads anyway.
 */
import fs from 'node:fs/promises';
import type { ProcessSandbox } from '../../protocol/interfaces/ui-browser.ts';
import type { Static } from '../../protocol/rpc/schema.ts';

export type SandboxMeasurement = Static<typeof ProcessSandbox>;
export type Namespace = NonNullable<SandboxMeasurement['namespaces']>[number];

export const NAMESPACES: readonly Namespace[] = ['user', 'pid', 'net'];

const SECCOMP_MODES = { '0': 'none', '1': 'strict', '2': 'filter' } as const;

/** Seccomp mode and NoNewPrivs from a /proc/<pid>/status text; undefined when it has no Seccomp line (no CONFIG_SECCOMP). */
export function parseStatusSandbox(status: string): Pick<SandboxMeasurement, 'seccomp' | 'noNewPrivs'> | undefined {
  const seccomp = /^Seccomp:\s*(\d+)\s*$/m.exec(status)?.[1];
  if (seccomp === undefined || !(seccomp in SECCOMP_MODES)) return undefined;
  return {
    seccomp: SECCOMP_MODES[seccomp as keyof typeof SECCOMP_MODES],
    noNewPrivs: /^NoNewPrivs:\s*1\s*$/m.test(status),
  };
}

export interface ProcSandboxOptions {
  readonly platform?: NodeJS.Platform;
  readonly readFile?: (file: string) => Promise<string>;
  readonly readlink?: (file: string) => Promise<string>;
  /** Whose namespaces count as "its own": the browser process (default: this process, `self`). */
  readonly referencePid?: number | 'self';
}

export interface ProcSandboxReader {
  /** What /proc says about `pid`'s sandbox; undefined where it cannot be measured (not Linux, or the process is gone). */
  measure(pid: number): Promise<SandboxMeasurement | undefined>;
}

export function procSandboxReader(options: ProcSandboxOptions = {}): ProcSandboxReader {
  const platform = options.platform ?? process.platform;
  const readFile = options.readFile ?? ((file: string) => fs.readFile(file, 'utf8'));
  const readlink = options.readlink ?? ((file: string) => fs.readlink(file));
  const reference = options.referencePid ?? 'self';
  // The browser's own namespaces do not change while it runs: read once.
  let own: Promise<Map<Namespace, string>> | undefined;
  const namespacesOf = async (pid: number | 'self') =>
    new Map(await Promise.all(NAMESPACES.map(async (ns) => [ns, await readlink(`/proc/${pid}/ns/${ns}`)] as const)));

  return {
    async measure(pid) {
      if (platform !== 'linux') return undefined;
      let status: string;
      try {
        status = await readFile(`/proc/${pid}/status`);
      } catch {
        return undefined; // gone
      }
      const parsed = parseStatusSandbox(status);
      if (!parsed) return undefined;
      try {
        own ??= namespacesOf(reference);
        const [mine, theirs] = await Promise.all([own, namespacesOf(pid)]);
        return { ...parsed, namespaces: NAMESPACES.filter((ns) => theirs.get(ns) !== mine.get(ns)) };
      } catch {
        // The namespace links need ptrace-read access: status alone when they are refused.
        own = undefined;
        return parsed;
      }
    },
  };
}
