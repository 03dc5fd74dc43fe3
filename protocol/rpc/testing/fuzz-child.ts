/**
 * TEST ONLY. Makes the child process it runs in (the real GPU process or plugin host, through their
 * test-only entries) post a fuzzed batch (fuzz-messages.ts) to the browser process on its real IPC
 * channel, once the browser has spoken to it (its first call, `describe`, has come in and been
 * answered). Set by the test through the environment the child inherits: LAB_TEST_FUZZ_COUNT
 * messages per child, seeded by LAB_TEST_FUZZ_SEED plus the child's pid (the test regenerates the
 * same batch from the pid the browser reports, to know the reason to expect).
 */
import { fuzzBatch } from './fuzz-messages.ts';

export const FUZZ_COUNT_ENV = 'LAB_TEST_FUZZ_COUNT';
export const FUZZ_SEED_ENV = 'LAB_TEST_FUZZ_SEED';

/** The seed of the batch the child with this pid sends. */
export const childFuzzSeed = (baseSeed: number, pid: number): number => (baseSeed + pid) | 0;

/** Cheap messages go in slices, so the child's own event loop (and its answer to `describe`) keeps turning. */
const SLICE = 2000;

export function sendFuzzWhenConnected(child: NodeJS.Process): void {
  const count = Number(child.env[FUZZ_COUNT_ENV]);
  if (!Number.isInteger(count) || count < 1 || typeof child.send !== 'function') return;
  const batch = fuzzBatch('utility', childFuzzSeed(Number(child.env[FUZZ_SEED_ENV] ?? 0), child.pid), count);
  const send = child.send.bind(child) as (message: unknown) => void;
  child.once('message', () => {
    // After the answer to this first call has gone out: the browser counts the child as running.
    setTimeout(() => {
      let next = 0;
      const slice = () => {
        const end = Math.min(next + SLICE, batch.cheap.length);
        for (; next < end; next++) send(batch.cheap[next]);
        if (next < batch.cheap.length) setImmediate(slice);
        else send(batch.malformed.message);
      };
      slice();
    }, 100);
  });
}
