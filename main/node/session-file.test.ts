// The session file on a real disk: a process SIGKILLed at random moments while it writes leaves the
// last session or the one before, 100 times of 100; a corrupt file is moved aside with one line.
import { buildSync } from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../protocol/experiments/stats.ts';
import type { SessionState } from '../../protocol/session/session-state.ts';
import { SESSION_FILE, SessionFile } from './session-file.ts';

let root: string;
let writer: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-session-'));
  // Bundled once, so each of the hundred processes starts in tens of milliseconds, not through tsx.
  writer = path.join(root, 'session-writer.cjs');
  buildSync({
    entryPoints: [path.join(import.meta.dirname, 'testing/session-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: writer,
    logLevel: 'error',
  });
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const session = (tabs: number, cleanExit = true): SessionState => ({
  version: 1,
  savedAt: Date.now(),
  cleanExit,
  processModel: 'process-per-site',
  window: { width: 1280, height: 800 },
  tabs: Array.from({ length: tabs }, (_, i) => ({
    url: `lab://live#${i}`,
    title: `Tab ${i}`,
    history: { entries: ['lab://labs', `lab://live#${i}`], index: 1 },
  })),
  selected: 0,
});

/** Runs the writer until it has saved at least once, kills it `afterMs` later, and says what it last saved. */
async function killDuringWrites(dir: string, afterMs: number): Promise<number> {
  const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (out.includes('saved ')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before its first save`)));
  });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  child.kill('SIGKILL');
  await exited;
  const saved = [...out.matchAll(/saved (\d+)/g)].map((match) => Number(match[1]));
  return saved.at(-1)!;
}

describe('a browser process killed while it writes its session', () => {
  it('leaves the last session or the one being written, 100 times of 100', async () => {
    const random = seededRandom(19);
    const outcomes: { acked: number; found: number | string }[] = [];
    // Four at a time, each in its own folder: every run is one process killed mid-stream.
    for (let batch = 0; batch < 25; batch++) {
      await Promise.all(
        Array.from({ length: 4 }, async (_, slot) => {
          const dir = path.join(root, `kill-${batch}-${slot}`);
          const acked = await killDuringWrites(dir, Math.floor(random() * 80));
          const loaded = await new SessionFile(dir).load();
          outcomes.push({ acked, found: loaded.kind === 'session' ? loaded.state.savedAt : loaded.kind });
          // What a killed write leaves behind (its temp file) is cleared by the next load.
          expect(fs.readdirSync(dir).filter((name) => name !== SESSION_FILE)).toEqual([]);
        }),
      );
    }
    const valid = outcomes.filter(({ acked, found }) => found === acked || found === acked + 1);
    expect(valid.length, JSON.stringify(outcomes.filter((outcome) => !valid.includes(outcome)))).toBe(100);
    // The kills landed at different points of the stream, not all before the first write.
    expect(new Set(outcomes.map((outcome) => outcome.acked)).size).toBeGreaterThanOrEqual(5);
  }, 300_000);
});

describe('SessionFile', () => {
  it('gives back what it saved; with no file, none', async () => {
    const dir = path.join(root, 'round-trip');
    const store = new SessionFile(dir);
    expect(await store.load()).toEqual({ kind: 'none' });
    const state = session(3, false);
    await store.save(state);
    expect(await store.load()).toEqual({ kind: 'session', state });
  });

  it('coalesces saves asked for during a write into the newest, and answers every caller', async () => {
    const store = new SessionFile(path.join(root, 'coalesce'));
    const states = Array.from({ length: 20 }, (_, i) => session(i + 1));
    await Promise.all(states.map((state) => store.save(state)));
    const loaded = await store.load();
    expect(loaded.kind === 'session' && loaded.state.tabs.length).toBe(20);
  });

  it.each([
    ['half a file', (text: string) => text.slice(0, text.length / 2), /is not JSON/],
    [
      'another version',
      (text: string) => text.replace('"version":1', '"version":7'),
      /session version 7, this app reads 1/,
    ],
    [
      'a wrong field',
      (text: string) => text.replace('"processModel":"process-per-site"', '"processModel":"none"'),
      /not a session: \/processModel/,
    ],
    [
      'a history index past its entries',
      (text: string) => text.replace('"index":1', '"index":9'),
      /history index 9 past its 2 entries/,
    ],
  ])('moves %s aside, says so in one line, and starts fresh; nothing else is lost', async (_, spoil, reason) => {
    const dir = path.join(root, `corrupt-${reason.source.slice(0, 12).replace(/\W/g, '')}`);
    const store = new SessionFile(dir, () => new Date('2026-12-03T10:00:00Z'));
    await store.save(session(2));
    const file = path.join(dir, SESSION_FILE);
    const spoiled = spoil(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, spoiled);
    fs.writeFileSync(path.join(dir, 'other-data.json'), '{}');
    const loaded = await store.load();
    expect(loaded.kind).toBe('corrupt');
    if (loaded.kind !== 'corrupt') return;
    expect(loaded.problem).toMatch(reason);
    expect(loaded.problem).not.toContain('\n');
    expect(loaded.problem).toContain('starting with a fresh session');
    expect(loaded.keptAt).toBe(`${file}.corrupt-2026-12-03T10-00-00-000Z`);
    expect(fs.readFileSync(loaded.keptAt, 'utf8')).toBe(spoiled);
    expect(fs.existsSync(path.join(dir, 'other-data.json'))).toBe(true);
    expect(await store.load()).toEqual({ kind: 'none' });
  });

  it('names the platform config folder for the Chromium shell', async () => {
    const { chromiumSessionDir } = await import('./session-file.ts');
    expect(chromiumSessionDir()).toMatch(/browser-process-lab$/);
  });
});
