/**
 * Tab renderer <-> lab host: the direct channel the browser process brokered to a lab page
 * (`lab://ipc`, later `lab://threads`, `lab://deadlock`; the browser refuses any other site).
 *
 * The page asks for a run and draws what arrives; the measuring happens in the lab host, between
 * real processes and threads. When the lab host dies (a crash, or the watchdog ending a lab that
 * hung) the channel closes and a running call fails with RPC_CLOSED; the page asks the browser for a
 * new channel (TabHostService.requestLabChannel) once `labHostChanged` says the host is back.
 * Implemented by the lab host: LabChannel. By the tab: LabChannelClient.
 */
import { errorCodes, type ErrorCodeOf } from '../rpc/errors.ts';
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct, Type } from '../rpc/schema.ts';
import { IpcLabProgress, IpcLabResult } from '../labs/ipc-result.ts';
import {
  ProcessVsThread,
  ProcessVsThreadOptions,
  ReplayResult,
  ThreadsLabProgress,
  ThreadsReplayOptions,
  ThreadsRunOptions,
  ThreadsRunResult,
} from '../labs/threads-result.ts';
import {
  BankerCheckRequest,
  BankerCheckResult,
  DeadlockRunOptions,
  DeadlockRunProgress,
  DeadlockRunResult,
  DeadlockSnapshotEvent,
  DeadlockStallStarted,
  StarvationComparison,
  StarvationOptions,
  SyncCallOptions,
  SyncCallReport,
} from '../labs/deadlock-result.ts';

/**
 * LabChannel's error codes (a CodedError's `code`). LAB_RUN_IN_PROGRESS: runIpc while this host is
 * already running a lab (one at a time: two runs would measure each other). LAB_RUN_STOPPED: the
 * run ended because stopIpc asked, or the channel closed. LAB_BAD_OPTIONS: options the lab refuses
 * (an unknown channel id in `only`; the message lists those there are). LAB_RUN_FAILED: the run
 * itself failed (its message says why).
 */
export const LabChannelErrorCode = errorCodes(
  'LAB_RUN_IN_PROGRESS',
  'LAB_RUN_STOPPED',
  'LAB_BAD_OPTIONS',
  'LAB_RUN_FAILED',
);
export type LabChannelErrorCode = ErrorCodeOf<typeof LabChannelErrorCode>;

/** The largest HTML report the lab host answers (the viewer is about 0.4 MiB, a result at most a few hundred KiB). */
export const MAX_IPC_REPORT_HTML = 8 * 1024 * 1024;

/** The largest message size the lab measures (lab-host/ipc: 64 B to 1 MiB). */
export const MAX_IPC_LAB_SIZE = 1024 * 1024;

/** What a page may ask of the IPC lab; every field optional, the lab's defaults otherwise. */
export const IpcLabRunOptions = Struct({
  /** Message sizes in bytes (default 64 B, 1 KiB, 64 KiB, 1 MiB). */
  sizes: Type.Optional(
    Type.Array(Type.Integer({ minimum: 16, maximum: MAX_IPC_LAB_SIZE }), { minItems: 1, maxItems: 8 }),
  ),
  /** Round trips per size (default: 2,000 up to 1 KiB, fewer for larger frames). */
  roundTrips: Type.Optional(Type.Integer({ minimum: 5, maximum: 100_000 })),
  /** Channel ids to measure (lab-host/ipc/kinds.ts; default: all). */
  only: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 16 })),
  /** Runs of the shared-memory tear demonstration per arm (default 10; 0: none). */
  tearRuns: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  /** A short run (as `npm run lab:ipc -- --quick`): fewer round trips, frames and tear runs, no kernel floor. */
  quick: Type.Optional(Type.Boolean()),
});

export const LabChannel = defineInterface({
  name: 'LabChannel',
  methods: {
    /**
     * Runs the IPC lab: the six kinds between real processes, side by side, and answers its result;
     * `ipcProgress` events come while it runs (each log line, each channel's figures for a size as
     * soon as measured), all before the answer. One run at a time per host: LAB_RUN_IN_PROGRESS
     * otherwise. Takes minutes at full size: the caller gives it a timeout to match.
     */
    runIpc: method(IpcLabRunOptions, IpcLabResult),
    /**
     * Stops this tab's run between two round-trip blocks; the run's call then fails with
     * LAB_RUN_STOPPED. Answers whether a run was going.
     */
    stopIpc: method(Struct({}), Struct({ stopped: Type.Boolean() })),
    /**
     * An IPC lab result (any: the page may have added its own GPU channel's figures) as one HTML
     * file that opens offline, drawn by the experiments' report viewer (renderer/experiment-report),
     * in `language` ('en' default). Made here because the built viewer is a file the lab host reads;
     * the page's CSP lets it fetch nothing. LAB_RUN_FAILED when the viewer is not built.
     */
    ipcReport: method(
      Struct({ result: IpcLabResult, language: Type.Optional(Type.String({ maxLength: 16 })) }),
      Struct({ html: Type.String({ maxLength: MAX_IPC_REPORT_HTML }) }),
    ),

    // ---- the threads lab (lab://threads); the model runs in the page, only real runs come here ----
    /**
     * Free runs of one program on real worker threads (seeds 1..runs): each run as a `threadsProgress`
     * event as soon as it ends, then all of them. The same one-run-at-a-time rule as runIpc.
     */
    runThreads: method(ThreadsRunOptions, ThreadsRunResult),
    /** A model schedule replayed on real workers through Atomics gates, compared event for event. */
    replayThreads: method(ThreadsReplayOptions, ReplayResult),
    /** The same counter in child processes (each its own copy) and in worker threads (one shared); memory measured. */
    measureProcessVsThread: method(ProcessVsThreadOptions, ProcessVsThread),
    /** Stops this tab's threads run (its call then fails with LAB_RUN_STOPPED); whether one was going. */
    stopThreads: method(Struct({}), Struct({ stopped: Type.Boolean() })),

    // ---- The deadlock lab (lab://deadlock, lab-host/deadlock/deadlock-channel.ts) ----
    /**
     * Runs a scene on real worker threads taking real locks, N seeded runs under one strategy;
     * `deadlockSnapshot` events (live) and `deadlockProgress` lines come before the answer. With
     * `recovery`, a confirmed deadlock waits for deadlockRecover. Takes the host's one run slot
     * (LAB_RUN_IN_PROGRESS); LAB_BAD_OPTIONS for recovery with a strategy other than `none`.
     */
    deadlockRun: method(DeadlockRunOptions, DeadlockRunResult),
    /** Recovers the confirmed deadlock this tab's run waits on; whether one was waiting. */
    deadlockRecover: method(Struct({}), Struct({ recovering: Type.Boolean() })),
    /** Stops this tab's deadlock-lab call (run or sync call): it fails with LAB_RUN_STOPPED. */
    deadlockStop: method(Struct({}), Struct({ stopped: Type.Boolean() })),
    /** The banker's safety check (every step) on an editable state, and "what if this process asks for this?". LAB_BAD_OPTIONS for a malformed state. */
    deadlockBanker: method(BankerCheckRequest, BankerCheckResult),
    /** Two processes calling each other synchronously (both-sync) or Chrome's one-way rule; the heartbeat watchdog ends a deadlock. */
    deadlockSyncCall: method(SyncCallOptions, SyncCallReport),
    /** The priority scheduler with aging off and on, the same seeded arrivals. */
    deadlockStarvation: method(StarvationOptions, StarvationComparison),
    /**
     * Ignoring it: the lab host's own main thread joins a lock cycle with a worker thread and blocks
     * for good, right after answering (and a `deadlockSnapshot` of the cycle). Nothing inside the host
     * handles it: the browser's lab-host watchdog ends the host and starts a new one (labHostChanged).
     */
    deadlockStall: method(Struct({}), DeadlockStallStarted),
  },
  events: {
    /** A line of the running IPC lab's log, with a channel's figures for one size when it has them. */
    ipcProgress: IpcLabProgress,
    /** A line of the running threads lab's log, with each real run as it ends. */
    threadsProgress: ThreadsLabProgress,
    /** The deadlock lab's live lock table, wait-for graph and detector findings. */
    deadlockSnapshot: DeadlockSnapshotEvent,
    /** A line of the deadlock lab's log (a run's outcome, a recovery with its cost). */
    deadlockProgress: DeadlockRunProgress,
  },
});

export const LabChannelClient = defineInterface({
  name: 'LabChannelClient',
  methods: {},
  events: {},
});
