// The IPC lab page's view model over a real recorded run (testing/quick-result.json, written by
// `npx tsx lab-host/ipc/cli.ts --quick`), replayed as the lab host reports it.
import { describe, expect, it } from 'vitest';
import {
  IPC_KINDS,
  IpcLabResult,
  REFERENCES,
  type ChannelResult,
  type IpcLabProgress,
} from '../../../../protocol/labs/ipc-result.ts';
import { compileChecker } from '../../../../protocol/rpc/schema.ts';
import {
  applyProgress,
  describeCheck,
  exportFileName,
  formatBytes,
  kindCards,
  latencyRows,
  measuredCount,
  NOTE_KINDS,
  referenceRows,
  tearRows,
  tearTotals,
  throughputRows,
  tieIn,
} from './ipc-view-model.ts';
import { gpuChannelFailed, gpuChannelResult } from './gpu-channel-probe.ts';
import recorded from './testing/quick-result.json';
import { ReplayIpcLabSource } from './testing/replay-source.ts';

const result = recorded as unknown as IpcLabResult;

/** Every progress report a replay of the recording sends, in order. */
async function replayed(): Promise<IpcLabProgress[]> {
  const reports: IpcLabProgress[] = [];
  await new ReplayIpcLabSource(result).run({ quick: true }, (progress) => reports.push(progress));
  return reports;
}

describe('the recorded run (fixture)', () => {
  it('is a lab-ipc/1 result with every kind measured at more than one size', () => {
    const checker = compileChecker(IpcLabResult);
    expect(checker.check(recorded), checker.check(recorded) ? '' : checker.explain(recorded)).toBe(true);
    expect(new Set(result.channels.map((channel) => channel.kind))).toEqual(new Set([...IPC_KINDS, 'app-channel']));
    for (const channel of result.channels) expect(channel.sizes.length, channel.id).toBeGreaterThan(1);
  });
});

describe('the six kinds', () => {
  it("are the notes' six, covering every measured kind exactly once", () => {
    expect(NOTE_KINDS.map((kind) => kind.id)).toEqual([
      'shared-memory',
      'file',
      'socket',
      'anonymous-pipe',
      'named-pipe',
      'message-queue',
    ]);
    const covered = NOTE_KINDS.flatMap((kind) => kind.kinds);
    expect([...covered].sort()).toEqual([...IPC_KINDS].sort());
  });

  it('list what ran for each kind, and nothing before a run', () => {
    expect(kindCards([]).every((card) => card.channels.length === 0)).toBe(true);
    const cards = kindCards(result.channels);
    expect(cards.find((card) => card.id === 'socket')!.channels.map((channel) => channel.id)).toEqual([
      'unix-socket',
      'tcp-loopback',
    ]);
    expect(cards.flatMap((card) => card.channels).length).toBe(result.channels.length);
    for (const card of cards) expect(card.channels.length, card.id).toBeGreaterThan(0);
    // The app's own channels come last, after the notes' six.
    expect(cards.at(-1)!.channels.map((channel) => channel.id)).toEqual([
      'app/child-process-ipc',
      'app/websocket',
      'app/message-port',
    ]);
  });

  it("carry a stand-in's label and the reason it gives", () => {
    // As the lab host describes its stand-in where the addon is missing (lab-host/ipc/kinds.ts).
    const standIn: ChannelResult = {
      ...result.channels.find((channel) => channel.kind === 'message-queue')!,
      mechanism: 'message-framed channel over a Unix socket',
      standIn: true,
      note: 'Node has no POSIX mq binding (addon: no compiler)',
    };
    const card = kindCards([standIn]).find((candidate) => candidate.id === 'message-queue')!;
    expect(card.channels).toEqual([
      expect.objectContaining({
        standIn: true,
        mechanism: 'message-framed channel over a Unix socket',
        note: 'Node has no POSIX mq binding (addon: no compiler)',
      }),
    ]);
  });
});

describe('live figures', () => {
  it('build up, one progress report at a time, to the channels of the finished result', async () => {
    let channels: ChannelResult[] = [];
    const counts: number[] = [];
    for (const progress of await replayed()) {
      channels = applyProgress(channels, progress);
      counts.push(measuredCount(channels));
    }
    // Every report with figures adds one; lines alone add none.
    expect(counts.at(-1)).toBe(result.channels.reduce((sum, channel) => sum + channel.sizes.length, 0));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(channels.map((channel) => channel.id)).toEqual(result.channels.map((channel) => channel.id));
    for (const [index, channel] of channels.entries())
      expect(channel.sizes, channel.id).toEqual(result.channels[index]!.sizes);
  });

  it('replace a size measured again rather than adding it twice', () => {
    const [channel] = result.channels;
    const { sizes, peerPid: _pid, error: _error, ...spec } = channel!;
    const first = applyProgress([], { line: 'a', measured: { channel: spec, size: sizes[0]! } });
    const again = { ...sizes[0]!, latencyUs: { ...sizes[0]!.latencyUs, p50: 1 } };
    const second = applyProgress(first, { line: 'b', measured: { channel: spec, size: again } });
    expect(second[0]!.sizes).toEqual([again]);
    expect(applyProgress(second, { line: 'just a line' })).toEqual(second);
  });
});

describe('what the charts draw', () => {
  it('a latency point per channel, size and percentile, p50 <= p99 <= p99.9', () => {
    const rows = latencyRows(result.channels);
    expect(rows.length).toBe(measuredCount(result.channels) * 3);
    for (const channel of result.channels)
      for (const size of channel.sizes) {
        const at = (stat: string) =>
          rows.find((row) => row.channel === channel.id && row.bytes === size.bytes && row.stat === stat)!.us;
        expect(at('p50')).toBeLessThanOrEqual(at('p99'));
        expect(at('p99')).toBeLessThanOrEqual(at('p999'));
      }
  });

  it('leaves out what a log scale cannot show', () => {
    const [channel] = result.channels;
    const empty = {
      ...channel!,
      sizes: [
        {
          ...channel!.sizes[0]!,
          latencyUs: { ...channel!.sizes[0]!.latencyUs, samples: 0 },
          throughput: { ...channel!.sizes[0]!.throughput!, megabytesPerSecond: 0 },
        },
      ],
    };
    expect(latencyRows([empty])).toEqual([]);
    expect(throughputRows([empty])).toEqual([]);
  });

  it("a channel timed by round trips only (the tab's GPU channel) is on the latency chart, not the throughput one", () => {
    const [channel] = result.channels;
    const roundTripsOnly = {
      ...channel!,
      id: 'app/gpu-channel',
      sizes: [{ bytes: 200, latencyUs: channel!.sizes[0]!.latencyUs }],
    };
    expect(latencyRows([roundTripsOnly]).length).toBeGreaterThan(0);
    expect(throughputRows([roundTripsOnly])).toEqual([]);
    // Its small size does not move the published comparison off the notes' kinds' smallest size.
    const withGpu = referenceRows(REFERENCES.roundTripUs, [
      ...result.channels,
      { ...roundTripsOnly, kind: 'app-channel' },
    ]);
    expect(withGpu).toEqual(referenceRows(REFERENCES.roundTripUs, result.channels));
  });

  it('a throughput point per channel and size', () => {
    const rows = throughputRows(result.channels);
    expect(rows.length).toBe(measuredCount(result.channels));
    expect(rows.every((row) => row.mibPerSecond > 0)).toBe(true);
  });

  it('ours at the smallest size beside every published figure, in the notes order', () => {
    const rows = referenceRows(REFERENCES.roundTripUs, result.channels);
    expect(rows.bytes).toBe(64);
    expect(rows.published.map((row) => row.kind).sort()).toEqual(
      ['anonymous-pipe', 'named-pipe', 'unix-socket', 'tcp-loopback', 'message-queue', 'shared-memory'].sort(),
    );
    expect(rows.published.find((row) => row.kind === 'shared-memory')!.us).toBe(REFERENCES.roundTripUs.sharedMemory);
    expect(rows.ours.length).toBe(result.channels.filter((channel) => channel.kind !== 'app-channel').length);
    expect(rows.kinds[0]).toBe('shared-memory');
    // No published figure for the file, but ours is there.
    expect(rows.kinds).toContain('file');
    // Before a run: the published figures alone.
    expect(referenceRows(REFERENCES.roundTripUs, []).ours).toEqual([]);
  });
});

describe('the ratio checks', () => {
  it('name every check the lab host makes with a text of their own', () => {
    for (const check of result.checks) expect('key' in describeCheck(check).name, check.name).toBe(true);
    expect(describeCheck(result.checks[0]!).name).toEqual({
      key: 'checks.sharedBelowKernel',
      values: { channel: 'shared-memory/process', size: '64 B' },
    });
  });

  it('say holds, does not hold, or could not be told; an unknown check keeps its own name', () => {
    expect(describeCheck({ name: 'TCP loopback above a Unix socket', holds: true, detail: 'd' })).toEqual({
      verdict: 'holds',
      name: { key: 'checks.tcpAboveUnix', values: {} },
      detail: 'd',
    });
    expect(describeCheck({ name: 'x', holds: false, detail: '' }).verdict).toBe('fails');
    expect(describeCheck({ name: 'something new', holds: null, detail: '' })).toMatchObject({
      verdict: 'unknown',
      name: { text: 'something new' },
    });
  });
});

describe('why shared memory needs synchronization', () => {
  it('sums each set of runs, and the totals with and without the handshake', () => {
    const rows = tearRows(result.unsynchronized);
    expect(rows.length).toBe(result.unsynchronized.length);
    for (const [index, set] of result.unsynchronized.entries()) {
      expect(rows[index]!.runs).toBe(set.runs.length);
      expect(rows[index]!.torn).toBe(set.runs.reduce((sum, run) => sum + run.torn, 0));
      expect(rows[index]!.lost).toBe(set.runs.reduce((sum, run) => sum + run.lost, 0));
    }
    const totals = tearTotals(rows);
    const without = result.unsynchronized.filter((set) => !set.synchronized).flatMap((set) => set.runs);
    const withIt = result.unsynchronized.filter((set) => set.synchronized).flatMap((set) => set.runs);
    expect(totals).toEqual({
      runs: without.length,
      torn: without.reduce((sum, run) => sum + run.torn, 0),
      lost: without.reduce((sum, run) => sum + run.lost, 0),
      syncTorn: withIt.reduce((sum, run) => sum + run.torn, 0),
      syncLost: withIt.reduce((sum, run) => sum + run.lost, 0),
    });
  });
});

describe('formatting', () => {
  it('sizes as the lab sends them', () => {
    expect([64, 1024, 65536, 1048576, 100].map(formatBytes)).toEqual(['64 B', '1 KiB', '64 KiB', '1 MiB', '100 B']);
  });
  it("names the export after the run's start", () => {
    expect(exportFileName({ startedAt: '2026-12-03T09:42:45.123Z' })).toBe('ipc-lab-2026-12-03T09-42-45.json');
  });
});

describe('the replay source', () => {
  it('stops mid-run: the run rejects and no more figures arrive', async () => {
    const source = new ReplayIpcLabSource(result, 1);
    let figures = 0;
    const run = source.run({ quick: true }, (progress) => {
      if (progress.measured && ++figures === 3) void source.stop();
    });
    await expect(run).rejects.toThrow('stopped');
    expect(figures).toBe(3);
    expect(source.runs).toEqual([{ quick: true }]);
  });
});

describe("the browser tie-in: this tab's GPU channel beside the rings", () => {
  const trips = {
    roundTripsMs: [0.4, 0.5, 0.6, 2],
    rasterMs: [0.05, 0.05, 0.06, 0.1],
    gpuPid: 42,
    payloadBytes: 30,
  };

  it('is one app-channel of round trips only, in microseconds, and compared with the fastest ring', () => {
    const gpu = gpuChannelResult(trips);
    expect(compileChecker(IpcLabResult).check({ ...result, channels: [...result.channels, gpu] })).toBe(true);
    expect(gpu).toMatchObject({ kind: 'app-channel', id: 'app/gpu-channel', crossProcess: true, standIn: false });
    expect(gpu.sizes).toHaveLength(1);
    expect(gpu.sizes[0]!.throughput).toBeUndefined();
    expect(gpu.sizes[0]!.latencyUs).toMatchObject({ samples: 4, min: 400, max: 2000 });
    expect(gpu.sizes[0]!.latencyUs.p50).toBeCloseTo(550);
    const figures = tieIn([...result.channels, gpu]);
    const rings = result.channels.filter((channel) => channel.kind === 'shared-memory');
    const fastest = Math.min(...rings.map((ring) => ring.sizes[0]!.latencyUs.p50));
    expect(figures).toEqual({
      state: 'measured',
      gpuUs: gpu.sizes[0]!.latencyUs.p50,
      ring: rings.find((ring) => ring.sizes[0]!.latencyUs.p50 === fastest)!.id,
      ringUs: fastest,
    });
  });

  it('says why it was not timed, and nothing when it was not asked', () => {
    expect(tieIn([...result.channels, gpuChannelFailed(new Error('compositing is in software'))])).toEqual({
      state: 'failed',
      reason: 'compositing is in software',
    });
    expect(tieIn(result.channels)).toEqual({ state: 'none' });
  });
});
