/**
 * A lab page's channel to the lab host (protocol/interfaces/tab-lab.ts): asked of the browser
 * (`requestLabChannel`, which starts the lab host when none runs and refuses any page that is no lab
 * page), then opened straight to the lab host like the plugin host's (a WebSocket in the Chromium
 * shell, a delivered MessagePort in Electron's). When the lab host ends (a crash, or the watchdog
 * ending a lab that hung) the channel closes and a running call fails with RPC_CLOSED; the browser's
 * `labHostChanged` (`onLabHostChanged`) says when a new one is ready to connect to again.
 */
import { LabChannel, LabChannelClient as LabChannelClientInterface } from '../../protocol/interfaces/tab-lab.ts';
import type { IpcLabRunOptions } from '../../protocol/interfaces/tab-lab.ts';
import type { IpcLabProgress, IpcLabResult } from '../../protocol/labs/ipc-result.ts';
import type {
  ProcessVsThread,
  ProcessVsThreadOptions,
  ReplayResult,
  ThreadsLabProgress,
  ThreadsReplayOptions,
  ThreadsRunOptions,
  ThreadsRunResult,
} from '../../protocol/labs/threads-result.ts';
import type {
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
} from '../../protocol/labs/deadlock-result.ts';
import type { Static } from '../../protocol/rpc/schema.ts';
import { openDirectChannel } from './direct-channel.ts';
import { startTabRuntime } from './tab-runtime.ts';

/** Asking the browser includes starting the lab host (up to its 10 s start timeout) when none runs. */
const REQUEST_TIMEOUT_MS = 20_000;
/** A full IPC lab run takes minutes on a loaded machine; the quick one well under one. */
const DEFAULT_RUN_TIMEOUT_MS = 30 * 60_000;
/** A threads run is up to 16 free runs of at most 60 s each (the lab host's own deadline per run). */
const THREADS_TIMEOUT_MS = 20 * 60_000;

export type IpcRunOptions = Static<typeof IpcLabRunOptions>;

/** The page's side of its lab channel. */
export interface LabChannelClient {
  /** The lab host's pid, as the browser granted the channel. */
  readonly hostPid: number;
  /** True once the channel closed (the lab host ended, the page or browser closed it). */
  readonly closed: boolean;
  /**
   * Runs the IPC lab in the lab host; `onProgress` gets each line and each channel's figures as they
   * are measured, all before the result. Rejects with the lab's codes (LabChannelErrorCode:
   * LAB_RUN_IN_PROGRESS, LAB_RUN_STOPPED, LAB_BAD_OPTIONS, LAB_RUN_FAILED), or RPC_CLOSED when the
   * lab host ended meanwhile. Aborting `signal` stops the run.
   */
  runIpc(
    options: IpcRunOptions,
    onProgress?: (progress: IpcLabProgress) => void,
    call?: { readonly signal?: AbortSignal; readonly timeoutMs?: number },
  ): Promise<IpcLabResult>;
  /** Stops this page's run (its runIpc then rejects with LAB_RUN_STOPPED); whether one was going. */
  stopIpc(): Promise<boolean>;
  /** The result as one self-contained HTML report (LabChannel.ipcReport), in `language`. */
  ipcReport(result: IpcLabResult, language?: string): Promise<string>;
  /** Free runs of a threads-lab program on real worker threads; `onProgress` gets each run as it ends. Codes as runIpc. */
  runThreads(
    options: ThreadsRunOptions,
    onProgress?: (progress: ThreadsLabProgress) => void,
  ): Promise<ThreadsRunResult>;
  /** A model schedule replayed on real workers, compared event for event. */
  replayThreads(options: ThreadsReplayOptions): Promise<ReplayResult>;
  /** The same counter in child processes and in worker threads, memory measured. */
  measureProcessVsThread(options: ProcessVsThreadOptions): Promise<ProcessVsThread>;
  /** Stops this page's threads run (LAB_RUN_STOPPED); whether one was going. */
  stopThreads(): Promise<boolean>;
  /** The deadlock lab's calls (lab://deadlock). */
  readonly deadlock: DeadlockLabCalls;
  /** The channel closed, and why; returns the unsubscribe. */
  onDidClose(listener: (reason: string) => void): () => void;
  close(): void;
}

/** The deadlock lab's side of LabChannel (its `deadlock…` methods and events). */
export interface DeadlockLabCalls {
  /** A scene on real threads; snapshots and log lines arrive through the listeners before the answer. */
  run(
    options: DeadlockRunOptions,
    listeners: {
      readonly onSnapshot?: (event: DeadlockSnapshotEvent) => void;
      readonly onProgress?: (event: DeadlockRunProgress) => void;
    },
  ): Promise<DeadlockRunResult>;
  recover(): Promise<boolean>;
  stop(): Promise<boolean>;
  banker(request: BankerCheckRequest): Promise<BankerCheckResult>;
  syncCall(options: SyncCallOptions, onProgress?: (event: DeadlockRunProgress) => void): Promise<SyncCallReport>;
  starvation(options: StarvationOptions): Promise<StarvationComparison>;
  /** The host's main thread joins a lock cycle and blocks; the snapshot of the cycle comes before the answer. */
  stall(onSnapshot?: (event: DeadlockSnapshotEvent) => void): Promise<DeadlockStallStarted>;
}

/** A deadlock-lab run's longest: 100 runs of 16 philosophers on a loaded machine, or a wait for Recover. */
const DEADLOCK_RUN_TIMEOUT_MS = 30 * 60_000;

/**
 * Asks the browser for this page's lab channel and opens it. Rejects when the page has no channel to
 * the browser (not served by a shell), when the browser refuses (TabHostErrorCode.LAB_NOT_ALLOWED for
 * a page that is no lab page, LAB_HOST_DOWN when the lab host cannot start), or when it cannot open.
 */
export async function connectLabChannel(options: { readonly signal?: AbortSignal } = {}): Promise<LabChannelClient> {
  const browser = startTabRuntime().browser;
  if (!browser) throw new Error('This page has no channel to the browser process, so no lab channel');
  const { signal } = options;
  const grant = await browser.remote.requestLabChannel(
    {},
    { timeoutMs: REQUEST_TIMEOUT_MS, ...(signal ? { signal } : {}) },
  );
  const connection = await openDirectChannel({
    channel: grant.channel,
    local: LabChannelClientInterface,
    remote: LabChannel,
    peer: { process: 'lab-host', pid: grant.hostPid },
    ...(signal ? { signal } : {}),
  });
  return {
    hostPid: grant.hostPid,
    get closed() {
      return connection.closed;
    },
    async runIpc(runOptions, onProgress, call = {}) {
      const stop = onProgress ? connection.on('ipcProgress', onProgress) : () => {};
      try {
        return await connection.remote.runIpc(runOptions, {
          timeoutMs: call.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
          ...(call.signal ? { signal: call.signal } : {}),
        });
      } finally {
        stop();
      }
    },
    async stopIpc() {
      return (await connection.remote.stopIpc({})).stopped;
    },
    async ipcReport(result, language) {
      return (await connection.remote.ipcReport({ result, ...(language ? { language } : {}) })).html;
    },
    async runThreads(runOptions, onProgress) {
      const stop = onProgress ? connection.on('threadsProgress', onProgress) : () => {};
      try {
        return await connection.remote.runThreads(runOptions, { timeoutMs: THREADS_TIMEOUT_MS });
      } finally {
        stop();
      }
    },
    replayThreads: (replayOptions) => connection.remote.replayThreads(replayOptions, { timeoutMs: THREADS_TIMEOUT_MS }),
    measureProcessVsThread: (pvtOptions) =>
      connection.remote.measureProcessVsThread(pvtOptions, { timeoutMs: THREADS_TIMEOUT_MS }),
    async stopThreads() {
      return (await connection.remote.stopThreads({})).stopped;
    },
    deadlock: {
      async run(options, listeners) {
        const unsubscribe = [
          listeners.onSnapshot ? connection.on('deadlockSnapshot', listeners.onSnapshot) : () => {},
          listeners.onProgress ? connection.on('deadlockProgress', listeners.onProgress) : () => {},
        ];
        try {
          return await connection.remote.deadlockRun(options, { timeoutMs: DEADLOCK_RUN_TIMEOUT_MS });
        } finally {
          for (const stop of unsubscribe) stop();
        }
      },
      recover: async () => (await connection.remote.deadlockRecover({})).recovering,
      stop: async () => (await connection.remote.deadlockStop({})).stopped,
      banker: (request) => connection.remote.deadlockBanker(request),
      async syncCall(options, onProgress) {
        const stop = onProgress ? connection.on('deadlockProgress', onProgress) : () => {};
        try {
          return await connection.remote.deadlockSyncCall(options, { timeoutMs: 120_000 });
        } finally {
          stop();
        }
      },
      starvation: (options) => connection.remote.deadlockStarvation(options),
      async stall(onSnapshot) {
        const stop = onSnapshot ? connection.on('deadlockSnapshot', onSnapshot) : () => {};
        try {
          return await connection.remote.deadlockStall({}, { timeoutMs: 90_000 });
        } finally {
          stop();
        }
      },
    },
    onDidClose: (listener) => connection.onDidClose(listener),
    close: () => connection.close('closed by the page'),
  };
}

/**
 * The browser's word on the lab host: `false` when it ended (a run in progress is lost), `true` when
 * a new one is ready (connect again). Returns the unsubscribe; nothing comes without a browser channel.
 */
export function onLabHostChanged(listener: (running: boolean) => void): () => void {
  const browser = startTabRuntime().browser;
  if (!browser) return () => {};
  return browser.on('labHostChanged', ({ running }) => listener(running));
}
