/**
 * What the IPC lab page shows, as pure functions of what the lab host reported (no DOM, no i18n:
 * texts are keys and values, so ipc-view-model.test.ts checks them in Node).
 */
import type {
  ChannelResult,
  IpcKind,
  IpcLabProgress,
  IpcLabResult,
  RatioCheck,
  UnsynchronizedRuns,
} from '../../../../protocol/labs/ipc-result.ts';

/**
 * The notes' six kinds (공유 메모리, 파일, 소켓, 익명 파이프, 명명 파이프, 메시지 큐), in the notes' order,
 * and the measured kinds each covers (a socket is measured as a Unix domain socket and TCP loopback).
 */
export const NOTE_KINDS = [
  { id: 'shared-memory', kinds: ['shared-memory'] },
  { id: 'file', kinds: ['file'] },
  { id: 'socket', kinds: ['unix-socket', 'tcp-loopback'] },
  { id: 'anonymous-pipe', kinds: ['anonymous-pipe'] },
  { id: 'named-pipe', kinds: ['named-pipe'] },
  { id: 'message-queue', kinds: ['message-queue'] },
] as const satisfies readonly { id: string; kinds: readonly IpcKind[] }[];
export type NoteKind = (typeof NOTE_KINDS)[number]['id'];

/** The live channels after one progress report: its figures for a size added, or replacing that size's. */
export function applyProgress(channels: readonly ChannelResult[], progress: IpcLabProgress): ChannelResult[] {
  const measured = progress.measured;
  if (!measured) return [...channels];
  const { channel, size } = measured;
  const at = channels.findIndex((known) => known.id === channel.id);
  if (at < 0) return [...channels, { ...channel, sizes: [size] }];
  const known = channels[at]!;
  const sizes = [...known.sizes.filter((other) => other.bytes !== size.bytes), size].sort((a, b) => a.bytes - b.bytes);
  return channels.map((other, index) => (index === at ? { ...known, ...channel, sizes } : other));
}

/** How many (channel, size) figures have arrived. */
export function measuredCount(channels: readonly ChannelResult[]): number {
  return channels.reduce((sum, channel) => sum + channel.sizes.length, 0);
}

export interface KindCard {
  readonly id: NoteKind | typeof APP_CHANNELS_CARD.id;
  /** What ran for this kind (none before a run). */
  readonly channels: readonly Pick<
    ChannelResult,
    'id' | 'kind' | 'mechanism' | 'standIn' | 'note' | 'crossProcess' | 'error' | 'peerPid'
  >[];
}

/** The app's own channels (child-process IPC, WebSocket, MessagePort): a card after the notes' six. */
export const APP_CHANNELS_CARD = { id: 'app-channel', kinds: ['app-channel'] } as const;

/** A card per note kind, then the app's own channels, each with the channels that ran for it. */
export function kindCards(channels: readonly ChannelResult[]): KindCard[] {
  return [...NOTE_KINDS, APP_CHANNELS_CARD].map(({ id, kinds }) => ({
    id,
    channels: channels
      .filter((channel) => (kinds as readonly IpcKind[]).includes(channel.kind))
      .map(({ id, kind, mechanism, standIn, note, crossProcess, error, peerPid }) => ({
        id,
        kind,
        mechanism,
        standIn,
        note,
        crossProcess,
        error,
        peerPid,
      })),
  }));
}

export const LATENCY_STATS = ['p50', 'p99', 'p999'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

export interface LatencyRow {
  readonly channel: string;
  readonly bytes: number;
  readonly stat: LatencyStat;
  readonly us: number;
}

/** A row per channel, size and percentile; only figures a log scale can show (samples, above zero). */
export function latencyRows(channels: readonly ChannelResult[]): LatencyRow[] {
  return channels.flatMap((channel) =>
    channel.sizes.flatMap((size) =>
      size.latencyUs.samples > 0
        ? LATENCY_STATS.filter((stat) => size.latencyUs[stat] > 0).map((stat) => ({
            channel: channel.id,
            bytes: size.bytes,
            stat,
            us: size.latencyUs[stat],
          }))
        : [],
    ),
  );
}

export interface ThroughputRow {
  readonly channel: string;
  readonly bytes: number;
  readonly mibPerSecond: number;
  readonly messagesPerSecond: number;
}

export function throughputRows(channels: readonly ChannelResult[]): ThroughputRow[] {
  return channels.flatMap((channel) =>
    channel.sizes.flatMap(({ bytes, throughput }) =>
      throughput && throughput.megabytesPerSecond > 0
        ? [
            {
              channel: channel.id,
              bytes,
              mibPerSecond: throughput.megabytesPerSecond,
              messagesPerSecond: throughput.messagesPerSecond,
            },
          ]
        : [],
    ),
  );
}

/** The channel ids in the order they arrived: one colour each, the same in every chart. */
export function channelDomain(channels: readonly ChannelResult[]): string[] {
  return channels.map((channel) => channel.id);
}

/** The published figures' names (REFERENCES.roundTripUs) as the kinds they measured. */
export const REFERENCE_KINDS: Readonly<Record<string, IpcKind>> = {
  pipe: 'anonymous-pipe',
  fifo: 'named-pipe',
  unixSocket: 'unix-socket',
  tcpLoopback: 'tcp-loopback',
  messageQueue: 'message-queue',
  sharedMemory: 'shared-memory',
};

export interface ReferenceRows {
  /** The message size ours are read at: the smallest measured. */
  readonly bytes: number | undefined;
  readonly published: readonly { kind: IpcKind; us: number }[];
  readonly ours: readonly { kind: IpcKind; channel: string; us: number }[];
  /** The kinds on the chart, in the notes' order. */
  readonly kinds: readonly IpcKind[];
}

/**
 * Ours (p50 at the smallest size measured, per channel) beside the published figures, per kind. A
 * kind with neither is left out; the file has no published figure.
 */
export function referenceRows(
  roundTripUs: Readonly<Record<string, number>>,
  channels: readonly ChannelResult[],
): ReferenceRows {
  const published = Object.entries(roundTripUs)
    .filter(([name, us]) => REFERENCE_KINDS[name] && us > 0)
    .map(([name, us]) => ({ kind: REFERENCE_KINDS[name]!, us }));
  // The notes' kinds only: the published figures have nothing for the app's own channels (whose
  // sizes, the GPU channel's small message among them, do not pick the size compared either).
  const noted = channels.filter((channel) => channel.kind !== 'app-channel');
  const sizes = noted.flatMap((channel) => channel.sizes.map((size) => size.bytes));
  const bytes = sizes.length ? Math.min(...sizes) : undefined;
  const ours = noted.flatMap((channel) => {
    const size = channel.sizes.find((candidate) => candidate.bytes === bytes);
    return size && size.latencyUs.samples > 0 && size.latencyUs.p50 > 0
      ? [{ kind: channel.kind, channel: channel.id, us: size.latencyUs.p50 }]
      : [];
  });
  const present = new Set<IpcKind>([...published.map((row) => row.kind), ...ours.map((row) => row.kind)]);
  const kinds = NOTE_KINDS.flatMap((note) => note.kinds as readonly IpcKind[]).filter((kind) => present.has(kind));
  return { bytes, published, ours, kinds };
}

export type Verdict = 'holds' | 'fails' | 'unknown';

export interface CheckLabel {
  readonly verdict: Verdict;
  /** The check's name as a text key with values, or (a check this page does not know) the host's text. */
  readonly name: { readonly key: string; readonly values: Record<string, string | number> } | { readonly text: string };
  /** Figures as the lab host wrote them (numbers and units). */
  readonly detail: string;
}

const SHARED_BELOW_KERNEL = /^(\S+) far below every kernel path at (\d+) B$/;

/** A ratio check as the page labels it (the names lab-host/ipc/ipc-lab.ts `ratioChecks` gives). */
export function describeCheck(check: RatioCheck): CheckLabel {
  const verdict: Verdict = check.holds === null ? 'unknown' : check.holds ? 'holds' : 'fails';
  const shared = SHARED_BELOW_KERNEL.exec(check.name);
  const name: CheckLabel['name'] = shared
    ? { key: 'checks.sharedBelowKernel', values: { channel: shared[1]!, size: formatBytes(Number(shared[2])) } }
    : check.name === 'TCP loopback above a Unix socket'
      ? { key: 'checks.tcpAboveUnix', values: {} }
      : { text: check.name };
  return { verdict, name, detail: check.detail };
}

export interface TearRow {
  readonly between: UnsynchronizedRuns['between'];
  readonly synchronized: boolean;
  readonly runs: number;
  readonly reads: number;
  readonly torn: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly error: string | undefined;
}

/** Each set of runs (processes or threads, with or without the handshake) summed. */
export function tearRows(sets: readonly UnsynchronizedRuns[]): TearRow[] {
  return sets.map((set) => ({
    between: set.between,
    synchronized: set.synchronized,
    runs: set.runs.length,
    reads: sum(set.runs.map((run) => run.reads)),
    torn: sum(set.runs.map((run) => run.torn)),
    lost: sum(set.runs.map((run) => run.lost)),
    duplicates: sum(set.runs.map((run) => run.duplicates)),
    error: set.error,
  }));
}

/** Totals without and with the handshake, over every set. */
export function tearTotals(rows: readonly TearRow[]): {
  runs: number;
  torn: number;
  lost: number;
  syncTorn: number;
  syncLost: number;
} {
  const without = rows.filter((row) => !row.synchronized);
  const withIt = rows.filter((row) => row.synchronized);
  return {
    runs: sum(without.map((row) => row.runs)),
    torn: sum(without.map((row) => row.torn)),
    lost: sum(without.map((row) => row.lost)),
    syncTorn: sum(withIt.map((row) => row.torn)),
    syncLost: sum(withIt.map((row) => row.lost)),
  };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** 64 B, 1 KiB, 64 KiB, 1 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** Microseconds with about three significant figures: 0.24, 19.1, 2381. */
export function formatUs(us: number): string {
  if (us >= 100) return us.toFixed(0);
  if (us >= 10) return us.toFixed(1);
  return us.toFixed(2);
}

/** The download's name: ipc-lab-<when it started>.json. */
export function exportFileName(result: Pick<IpcLabResult, 'startedAt'>): string {
  return `ipc-lab-${result.startedAt.replaceAll(':', '-').replace(/\..*$/, '')}.json`;
}

/** The HTML report's file name, beside the JSON's. */
export function htmlReportFileName(result: Pick<IpcLabResult, 'startedAt'>): string {
  return exportFileName(result).replace(/\.json$/, '.html');
}

/** The tab's own GPU channel (measured page-side: gpu-channel-probe.ts). */
export const GPU_CHANNEL = 'app/gpu-channel';

export type TieIn =
  | { readonly state: 'measured'; readonly gpuUs: number; readonly ring: string; readonly ringUs: number }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'none' };

/**
 * The browser tie-in's figures: the tab's GPU channel round trip (p50, its one size) beside the
 * fastest shared-memory ring at its smallest size (the small messages are what the channel carries).
 */
export function tieIn(channels: readonly ChannelResult[]): TieIn {
  const gpu = channels.find((channel) => channel.id === GPU_CHANNEL);
  if (!gpu) return { state: 'none' };
  if (gpu.error) return { state: 'failed', reason: gpu.error };
  const gpuUs = gpu.sizes[0]?.latencyUs.p50;
  const rings = channels
    .filter((channel) => channel.kind === 'shared-memory' && !channel.error && channel.sizes.length)
    .map((channel) => ({ ring: channel.id, ringUs: channel.sizes[0]!.latencyUs.p50 }))
    .sort((a, b) => a.ringUs - b.ringUs);
  if (gpuUs === undefined || !rings.length) return { state: 'none' };
  return { state: 'measured', gpuUs, ...rings[0]! };
}
