/**
 * The session on disk: one JSON file, replaced atomically (write-file-atomic: a temp file, fsync,
 * rename) and durably (the folder fsynced after the rename, which write-file-atomic leaves out), so
 * a browser process killed at any moment leaves the last session or the one before, never half of
 * one. One write at a time; saves asked for meanwhile coalesce into the newest.
 */
import envPaths from 'env-paths';
import fs from 'node:fs';
import { readFile, rename, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parseSession, type LoadedSession, type SessionState } from '../../protocol/session/session-state.ts';

export const SESSION_FILE = 'session.json';

/** The Chromium shell's session folder: the platform's config folder (Electron's shell uses `userData`). */
export function chromiumSessionDir(): string {
  return envPaths('browser-process-lab', { suffix: '' }).config;
}

/** write-file-atomic's temp files (`<file>.<number>`), left behind when a write was killed. */
const isTempOf = (name: string) =>
  name.startsWith(`${SESSION_FILE}.`) && /^\d+$/.test(name.slice(SESSION_FILE.length + 1));

/** Fills the core's `SessionStore` port (main/core/session/session-store.ts). */
export class SessionFile {
  readonly location: string;
  private writing: Promise<void> = Promise.resolve();
  private pending: { state: SessionState; waiters: (() => void)[]; failed: ((error: Error) => void)[] } | undefined;

  constructor(
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.location = path.join(dir, SESSION_FILE);
  }

  async load(): Promise<LoadedSession> {
    await this.removeStaleTemps();
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
      return this.keepAside(`could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const parsed = parseSession(text);
    return parsed.ok ? { kind: 'session', state: parsed.state } : this.keepAside(`is ${parsed.reason}`);
  }

  save(state: SessionState): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending) {
        // A newer state replaces one not yet written: its waiters are answered by this write.
        this.pending.state = state;
        this.pending.waiters.push(resolve);
        this.pending.failed.push(reject);
        return;
      }
      const batch = { state, waiters: [resolve], failed: [reject] };
      this.pending = batch;
      this.writing = this.writing.then(async () => {
        this.pending = undefined;
        try {
          await this.write(batch.state);
          for (const done of batch.waiters) done();
        } catch (error) {
          for (const fail of batch.failed) fail(error as Error);
        }
      });
    });
  }

  private async write(state: SessionState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.location, `${JSON.stringify(state)}\n`, { fsync: true, mode: 0o600 });
    // The rename is durable only once the folder's entry is on disk.
    const folder = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(folder);
    } finally {
      fs.closeSync(folder);
    }
  }

  /** Moves an unreadable session aside (never deletes what a user might want back) and says so in one line. */
  private async keepAside(problem: string): Promise<LoadedSession> {
    const keptAt = `${this.location}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.location, keptAt);
    } catch (error) {
      return {
        kind: 'corrupt',
        problem: `The saved session ${this.location} ${problem}, and could not be moved aside (${(error as Error).message}): starting with a fresh session.`,
        keptAt: this.location,
      };
    }
    return {
      kind: 'corrupt',
      problem: `The saved session ${this.location} ${problem}; kept as ${keptAt}, starting with a fresh session.`,
      keptAt,
    };
  }

  private async removeStaleTemps(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    await Promise.all(names.filter(isTempOf).map((name) => rm(path.join(this.dir, name), { force: true })));
  }
}
