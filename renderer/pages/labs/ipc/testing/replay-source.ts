/**
 * An IpcLabSource that replays a recorded result (a real run of `npm run lab:ipc`): each channel's
 * figures for each size arrive as `measured` progress, a moment apart, as the lab host sends them,
 * then the run resolves with the whole result. For the view's tests and the e2e harness only: the
 * product page never shows a recording as if it were measured now.
 */
import type { IpcLabProgress, IpcLabResult } from '../../../../../protocol/labs/ipc-result.ts';
import type { IpcLabRunOptions, IpcLabSource } from '../ipc-lab-source.ts';

export class ReplayIpcLabSource implements IpcLabSource {
  private abort: (() => void) | undefined;
  /** The options of each run asked for, oldest first. */
  readonly runs: IpcLabRunOptions[] = [];

  constructor(
    private readonly result: IpcLabResult,
    private readonly stepMs = 0,
  ) {}

  async run(options: IpcLabRunOptions, onProgress: (progress: IpcLabProgress) => void): Promise<IpcLabResult> {
    if (this.abort) throw new Error('A run is in progress');
    this.runs.push(options);
    let stopped = false;
    this.abort = () => (stopped = true);
    try {
      onProgress({ line: `replaying a run recorded ${this.result.startedAt}` });
      for (const channel of this.result.channels) {
        const { sizes, peerPid: _peerPid, error: _error, ...spec } = channel;
        for (const size of sizes) {
          await new Promise((resolve) => setTimeout(resolve, this.stepMs));
          if (stopped) throw new Error('stopped');
          onProgress({
            line: `${channel.id.padEnd(22)} ${String(size.bytes).padStart(8)} B  p50 ${size.latencyUs.p50.toFixed(1)} us`,
            measured: { channel: spec, size },
          });
        }
      }
      return this.result;
    } finally {
      this.abort = undefined;
    }
  }

  stop(): Promise<void> {
    this.abort?.();
    return Promise.resolve();
  }

  /** The report is the lab host's to make (lab-host/ipc/report-file.ts): a replay has none. */
  reportHtml(): Promise<string> {
    return Promise.reject(new Error('a replayed run has no lab host to make its HTML report'));
  }
}
