/**
 * Where the IPC lab page gets its measurements: the view takes a source, so it does not depend on
 * the channel to the lab host (TEAM-16 contract). `renderer/pages/ipc.ts` makes the product's
 * source; the test harness (testing/) replays a real recorded result through the same interface.
 */
import type { IpcLabProgress, IpcLabResult } from '../../../../protocol/labs/ipc-result.ts';

export interface IpcLabSource {
  /**
   * Runs the lab once: `onProgress` gets each log line and each channel's figures for a size as they
   * are measured; resolves with the whole result, rejects when the run fails or is stopped.
   */
  run(options: IpcLabRunOptions, onProgress: (progress: IpcLabProgress) => void): Promise<IpcLabResult>;
  /** Stops the run in progress (its `run` then rejects); nothing when none runs. */
  stop(): Promise<void>;
  /** A finished result as one self-contained HTML report, in `language` (made by the lab host). */
  reportHtml(result: IpcLabResult, language: string): Promise<string>;
}

export interface IpcLabRunOptions {
  /** A few hundred round trips per size instead of thousands (as `npm run lab:ipc -- --quick`). */
  readonly quick: boolean;
  /** Channel ids to measure (default: all). */
  readonly only?: readonly string[];
  /** Runs of the unsynchronized shared-memory writer and reader. */
  readonly tearRuns?: number;
}

/** The lab host is not connected to this page: nothing can be measured (the view says so). */
export class LabHostNotConnectedError extends Error {
  constructor() {
    super('The lab host is not connected to this page');
    this.name = 'LabHostNotConnectedError';
  }
}

/** A source for a page the lab host is not connected to: every run fails with LabHostNotConnectedError. */
export class NotConnectedIpcLabSource implements IpcLabSource {
  run(): Promise<IpcLabResult> {
    return Promise.reject(new LabHostNotConnectedError());
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  reportHtml(): Promise<string> {
    return Promise.reject(new LabHostNotConnectedError());
  }
}
