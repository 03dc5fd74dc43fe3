/**
 * `--browser-user=NAME`: the Chromium shell, running as root, starts Chromium as that ordinary user
 * so its OS sandbox can stay on (Chromium refuses to sandbox as root). What Chrome-in-a-container
 * setups do with a dedicated user. The name is looked up with `id`, which asks the system's user
 * databases (NSS: /etc/passwd, LDAP, ...), as `runuser` would.
 */
import { execFileSync } from 'node:child_process';
import type { BrowserUser } from './chromium-process.ts';

export type RunId = (args: readonly string[]) => string;

const runId: RunId = (args) => execFileSync('id', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The uid and gid of `name`; a clear error when there is no such user or it is root. */
export function lookUpBrowserUser(name: string, id: RunId = runId): BrowserUser {
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(name)) throw new Error(`--browser-user: "${name}" is not a user name`);
  let uid: number;
  let gid: number;
  try {
    uid = Number(id(['-u', name]).trim());
    gid = Number(id(['-g', name]).trim());
  } catch {
    throw new Error(
      `--browser-user: there is no user "${name}" (create one with: useradd --system --no-create-home ${name})`,
    );
  }
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error(`--browser-user: could not read the ids of "${name}"`);
  if (uid === 0) throw new Error(`--browser-user: "${name}" is root; Chromium's sandbox needs an ordinary user`);
  return { name, uid, gid };
}
