/**
 * The IPC lab's result (schema `lab-ipc/1`): what `npm run lab:ipc` writes, what the lab host sends
 * the `lab://ipc` page, and what the page charts. Shared by the lab host (lab-host/ipc/), the page
 * (renderer/pages/labs/) and the HTML report, so one schema checks it everywhere.
 */
import { Struct, Type, type Static } from '../rpc/schema.ts';

export const IPC_LAB_SCHEMA = 'lab-ipc/1';

/**
 * The six kinds of IPC from the notes (공유 메모리, 파일, 소켓, 익명 파이프, 명명 파이프, 메시지 큐), and
 * `app-channel`: the app's own channels, measured on the same chart.
 */
export const IpcKind = Type.Union([
  Type.Literal('anonymous-pipe'),
  Type.Literal('named-pipe'),
  Type.Literal('unix-socket'),
  Type.Literal('tcp-loopback'),
  Type.Literal('file'),
  Type.Literal('message-queue'),
  Type.Literal('shared-memory'),
  Type.Literal('app-channel'),
]);
export type IpcKind = Static<typeof IpcKind>;
/** The notes' six kinds (the app's channels left out). */
export const IPC_KINDS: readonly IpcKind[] = IpcKind.anyOf
  .map((literal) => literal.const)
  .filter((kind) => kind !== 'app-channel');

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Text = (maxLength = 512) => Type.String({ maxLength });
const Us = Type.Number({ minimum: 0 });

/** One measured channel: a kind, and how it was made on this machine. */
export const ChannelSpec = Struct({
  kind: IpcKind,
  /** Unique within a run: `kind` or `kind/variant`. */
  id: Id,
  /** What ran, in a few words. */
  mechanism: Text(),
  /** True when this is not the notes' mechanism itself but the closest honest substitute. */
  standIn: Type.Boolean(),
  /** Between two OS processes (false: two threads of one process). */
  crossProcess: Type.Boolean(),
  /** True for kernel paths (every kind but shared memory): the ratio checks compare against these. */
  kernelPath: Type.Boolean(),
  note: Type.Optional(Text()),
});
export type ChannelSpec = Static<typeof ChannelSpec>;

/** Round-trip latency in microseconds. */
export const LatencySummary = Struct({
  samples: Type.Integer({ minimum: 0 }),
  p50: Us,
  p99: Us,
  /** With fewer than 1,000 samples this is close to the maximum: read it with `samples`. */
  p999: Us,
  mean: Us,
  min: Us,
  max: Us,
});
export type LatencySummary = Static<typeof LatencySummary>;

/** What the receiving peer counted of a stream. */
export const SinkSummary = Struct({
  received: Type.Integer({ minimum: 0 }),
  /** seq jumped ahead: that many never arrived (by the time a later one did). */
  gaps: Type.Integer({ minimum: 0 }),
  /** seq at or below one already seen: a duplicate or an overtaken message. */
  outOfOrder: Type.Integer({ minimum: 0 }),
  /** header and trailer seq differ, or the length is wrong. */
  torn: Type.Integer({ minimum: 0 }),
  /** FNV-1a over every whole frame in arrival order (only when asked to verify). */
  checksum: Type.Union([Type.Integer(), Type.Null()]),
});
export type SinkSummary = Static<typeof SinkSummary>;

export const StreamResult = Struct({
  messages: Type.Integer({ minimum: 0 }),
  bytes: Type.Number({ minimum: 0 }),
  seconds: Type.Number({ minimum: 0 }),
  megabytesPerSecond: Type.Number({ minimum: 0 }),
  messagesPerSecond: Type.Number({ minimum: 0 }),
  /** What the peer counted. */
  peer: SinkSummary,
  /** FNV-1a over every frame sent, in order (when verifying). */
  sentChecksum: Type.Union([Type.Integer(), Type.Null()]),
  /** Every frame arrived once, in order, intact (and with the same checksum, when verifying). */
  ok: Type.Boolean(),
});
export type StreamResult = Static<typeof StreamResult>;

export const SizeResult = Struct({
  bytes: Type.Integer({ minimum: 1 }),
  latencyUs: LatencySummary,
  /**
   * Absent where only round trips can be timed: the tab's own GPU channel (measured page-side, its
   * only method answers a frame, so a one-way stream cannot be sent on it).
   */
  throughput: Type.Optional(StreamResult),
});
export type SizeResult = Static<typeof SizeResult>;

export const ChannelResult = Struct({
  ...ChannelSpec.properties,
  peerPid: Type.Optional(Type.Integer()),
  sizes: Type.Array(SizeResult, { maxItems: 16 }),
  error: Type.Optional(Text(2048)),
});
export type ChannelResult = Static<typeof ChannelResult>;

export const RatioCheck = Struct({
  name: Text(),
  /** null: it could not be told (a side not measured). */
  holds: Type.Union([Type.Boolean(), Type.Null()]),
  detail: Text(),
});
export type RatioCheck = Static<typeof RatioCheck>;

/** The machine a run measured, recorded with every result (absolute numbers vary several-fold by machine). */
export const RunEnvironment = Struct({
  cpu: Text(),
  cores: Type.Integer({ minimum: 0 }),
  kernel: Text(),
  platform: Text(64),
  arch: Text(64),
  node: Text(64),
  v8: Text(64),
  /** 'electron <version>' under Electron's utility process, else 'node'. */
  runtime: Text(64),
  loadAverage: Type.Array(Type.Number(), { maxItems: 3 }),
  totalMemoryMiB: Type.Number({ minimum: 0 }),
});
export type RunEnvironment = Static<typeof RunEnvironment>;

/** `perf bench sched pipe` (C, no event loop): what Node's pipe figures sit on top of. */
export const KernelFloor = Type.Union([
  Struct({
    available: Type.Literal(true),
    tool: Text(64),
    loops: Type.Integer({ minimum: 1 }),
    usPerRoundTrip: Us,
    roundTripsPerSecond: Type.Number({ minimum: 0 }),
  }),
  Struct({ available: Type.Literal(false), tool: Text(64), reason: Text(1024) }),
]);
export type KernelFloor = Static<typeof KernelFloor>;

/** One run of the unsynchronized (or synchronized, for contrast) shared-memory writer and reader. */
export const TearRun = Struct({
  /** Reads made (every copy out of the ring, good or bad). */
  reads: Type.Integer({ minimum: 0 }),
  intact: Type.Integer({ minimum: 0 }),
  torn: Type.Integer({ minimum: 0 }),
  /** Intact reads of a message already read. */
  duplicates: Type.Integer({ minimum: 0 }),
  /** Distinct messages read intact. */
  distinct: Type.Integer({ minimum: 0 }),
  sent: Type.Integer({ minimum: 0 }),
  /** Messages never read intact. */
  lost: Type.Integer({ minimum: 0 }),
});
export type TearRun = Static<typeof TearRun>;

export const UnsynchronizedRuns = Struct({
  between: Type.Union([Type.Literal('processes'), Type.Literal('threads')]),
  synchronized: Type.Boolean(),
  runs: Type.Array(TearRun, { maxItems: 1000 }),
  error: Type.Optional(Text(2048)),
});
export type UnsynchronizedRuns = Static<typeof UnsynchronizedRuns>;

/** Published figures shown beside ours (shared/knowledge/labs.md); they vary several-fold by machine. */
export const REFERENCES = {
  source: 'goldsborough/ipc-bench, i7-6700K, 128 B, mean round trip (us)',
  roundTripUs: { pipe: 27.3, fifo: 38.0, unixSocket: 24.5, tcpLoopback: 44.4, messageQueue: 14.7, sharedMemory: 0.24 },
  ratios: 'TCP loopback about 1.8x a Unix socket; shared memory more than 100x below any kernel path (C, pinned cores)',
} as const;

export const References = Struct({
  source: Text(),
  // The published kinds by name (not an open record): the result travels over RPC, which bounds every field.
  roundTripUs: Struct({
    pipe: Type.Number(),
    fifo: Type.Number(),
    unixSocket: Type.Number(),
    tcpLoopback: Type.Number(),
    messageQueue: Type.Number(),
    sharedMemory: Type.Number(),
  }),
  ratios: Text(),
});

export const IpcLabResult = Struct({
  schema: Type.Literal(IPC_LAB_SCHEMA),
  startedAt: Text(64),
  finishedAt: Text(64),
  environment: RunEnvironment,
  addon: Struct({ loaded: Type.Boolean(), detail: Text(1024) }),
  kernelFloor: Type.Union([KernelFloor, Type.Null()]),
  channels: Type.Array(ChannelResult, { maxItems: 32 }),
  checks: Type.Array(RatioCheck, { maxItems: 64 }),
  unsynchronized: Type.Array(UnsynchronizedRuns, { maxItems: 8 }),
  references: References,
});
export type IpcLabResult = Static<typeof IpcLabResult>;

/**
 * What a run reports while it goes, in order: a line of text for the log, and each channel's
 * figures for one size as soon as they are measured (so a page can chart them live).
 */
export const IpcLabProgress = Struct({
  line: Text(1024),
  measured: Type.Optional(Struct({ channel: ChannelSpec, size: SizeResult })),
});
export type IpcLabProgress = Static<typeof IpcLabProgress>;
