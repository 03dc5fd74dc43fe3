// "Why shared memory needs synchronization": the model and the real runner agree. With the
// handshake neither ever tears or loses a message; without it both can, and the runner does.
import { describe, expect, it } from 'vitest';
import { exploreAll } from './model/shared-ring-model.ts';
import { buildNativeAddon } from './native/build.ts';
import { loadNativeIpc } from './native/native-ipc.ts';
import { runTearRuns, type TearRun } from './unsynchronized.ts';

await buildNativeAddon();
const native = loadNativeIpc();

const MODEL = { slotCount: 1, wordsPerMessage: 3, messages: 3 };
const total = (runs: TearRun[], key: 'torn' | 'lost' | 'duplicates') => runs.reduce((sum, run) => sum + run[key], 0);

const runner = (between: 'threads' | 'processes', synchronized: boolean, runs: number): Promise<TearRun[]> =>
  runTearRuns({
    between,
    synchronized,
    runs,
    messages: 2000,
    size: 64 * 1024,
    ...(native.ok ? { addon: native.addon } : {}),
  });

/** Across processes needs the addon; where it did not build, those cases skip, saying why. */
const unavailable = (between: 'threads' | 'processes') => between === 'processes' && !native.ok;
if (!native.ok) console.log(`shared memory between processes skipped: the addon is not available (${native.reason})`);

describe.each(['threads', 'processes'] as const)('shared memory between %s', (between) => {
  it.skipIf(unavailable(between))(
    'with the handshake: no schedule of the model tears, and no real run tears or loses',
    async () => {
      expect(exploreAll({ ...MODEL, handshake: true }).maxTorn).toBe(0);
      const runs = await runner(between, true, 3);
      expect(runs).toHaveLength(3);
      for (const run of runs) {
        expect(run.sent).toBeGreaterThanOrEqual(2000); // at least 2,000, for at least 100 ms
        expect(run).toEqual({
          sent: run.sent,
          reads: run.sent,
          intact: run.sent,
          torn: 0,
          duplicates: 0,
          distinct: run.sent,
          lost: 0,
        });
      }
    },
    60_000,
  );

  it.skipIf(unavailable(between))(
    'without it: the model has a tearing schedule, and the real runs tear more than zero over N runs',
    async () => {
      expect(exploreAll({ ...MODEL, handshake: false }).maxTorn).toBeGreaterThan(0);
      const runs = await runner(between, false, 8);
      console.log(
        `${between}, no handshake: ${total(runs, 'torn')} torn, ${total(runs, 'lost')} lost, ${total(runs, 'duplicates')} read twice in 8 runs`,
      );
      expect(total(runs, 'torn')).toBeGreaterThan(0);
      expect(total(runs, 'lost')).toBeGreaterThan(0);
    },
    60_000,
  );
});
