/**
 * Where the threads lab page gets what only real threads and processes can give: free runs on worker
 * threads, a model schedule replayed on them, process vs thread. The model itself runs in the page.
 * The view takes a source, so it does not depend on the channel to the lab host (the labs' contract);
 * `renderer/pages/threads.ts` makes the product's (lab-host-source.ts).
 */
import type {
  ProcessVsThread,
  ProcessVsThreadOptions,
  ReplayResult,
  ThreadsLabProgress,
  ThreadsReplayOptions,
  ThreadsRunOptions,
  ThreadsRunResult,
} from '../../../../protocol/labs/threads-result.ts';
import { LabHostNotConnectedError } from '../ipc/ipc-lab-source.ts';

export { LabHostNotConnectedError };

export interface ThreadsLabSource {
  /** Free runs; `onProgress` gets each run as it ends; rejects when stopped or failed. */
  run(options: ThreadsRunOptions, onProgress: (progress: ThreadsLabProgress) => void): Promise<ThreadsRunResult>;
  replay(options: ThreadsReplayOptions): Promise<ReplayResult>;
  processVsThread(options: ProcessVsThreadOptions): Promise<ProcessVsThread>;
  /** Stops the run in progress (its `run` then rejects); nothing when none runs. */
  stop(): Promise<void>;
}

/** A page the lab host is not connected to: every call fails with LabHostNotConnectedError (the model still works). */
export class NotConnectedThreadsLabSource implements ThreadsLabSource {
  run(): Promise<ThreadsRunResult> {
    return Promise.reject(new LabHostNotConnectedError());
  }
  replay(): Promise<ReplayResult> {
    return Promise.reject(new LabHostNotConnectedError());
  }
  processVsThread(): Promise<ProcessVsThread> {
    return Promise.reject(new LabHostNotConnectedError());
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}
