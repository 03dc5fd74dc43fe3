/**
 * A stand-in browser process for the session kill test: saves a new session as fast as it can
 * through the real SessionFile, and after each save is durable prints `saved <n>` (synchronously,
 * so what the test reads was on disk first). Killed by the test at a random moment.
 */
import fs from 'node:fs';
import type { SessionState } from '../../../protocol/session/session-state.ts';
import { SessionFile } from '../session-file.ts';

const store = new SessionFile(process.argv[2]!);

function session(seq: number): SessionState {
  // Sizes vary, so a write cut short would leave files of different lengths.
  const tabs = Array.from({ length: 1 + (seq % 40) }, (_, i) => ({
    url: `https://example.org/${seq}/${i}`,
    title: `session ${seq} tab ${i}`,
    history: { entries: [`lab://live`, `https://example.org/${seq}/${i}`], index: 1 },
  }));
  return { version: 1, savedAt: seq, cleanExit: false, processModel: 'process-per-tab', tabs, selected: 0 };
}

async function writeForever(): Promise<never> {
  for (let seq = 1; ; seq++) {
    await store.save(session(seq));
    fs.writeSync(1, `saved ${seq}\n`);
  }
}

void writeForever();
