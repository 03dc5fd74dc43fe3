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
import type { Static } from '../../protocol/rpc/schema.ts';
import { openDirectChannel } from './direct-channel.ts';
import { startTabRuntime } from './tab-runtime.ts';

/** Asking the browser includes starting the lab host (up to its 10 s start timeout) when none runs. */
const REQUEST_TIMEOUT_MS = 20_000;
/** A full IPC lab run takes minutes on a loaded machine; the quick one well under one. */
const DEFAULT_RUN_TIMEOUT_MS = 30 * 60_000;

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
  /** The channel closed, and why; returns the unsubscribe. */
  onDidClose(listener: (reason: string) => void): () => void;
  close(): void;
}

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
