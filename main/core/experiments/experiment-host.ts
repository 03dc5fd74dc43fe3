/**
 * What the runner needs from the shell it runs in, beside the core itself: the host's own probes
 * (main/node/host-probe.ts in both shells), one frame drawn through the GPU process
 * (main/node/gpu-frame-probe.ts), whether the UI page answers, and what the report's environment
 * says about the shell. Ports, so the core stays runtime-neutral and tests can give made-up ones.
 */
import type { ChannelEndpoint } from '../ports.ts';
import type { Environment } from '../../../protocol/experiments/report.ts';
import type { Browser } from '../browser.ts';
import type { TrialJournal } from './trial-log.ts';

/** The machine's part of the report's environment (the rest comes from the shell and the core). */
export type MachineFacts = Pick<Environment, 'platform' | 'arch' | 'cpuModel' | 'cores' | 'kernel' | 'node'> & {
  readonly loadAverage?: number[];
};

/** The browser process's own health and the machine's facts (main/node/host-probe.ts implements it). */
export interface HostProbe {
  /** p99 of the event loop's delay since the previous call, in ms; resets. */
  eventLoopDelayP99(): number;
  /** Heap used right after a full GC, in bytes. */
  heapUsedAfterGc(): Promise<number>;
  /** Of the heap, the bytes V8's compiled code takes (its code spaces), now. */
  compiledCodeBytes?(): number;
  machine(): MachineFacts;
  /** Whether `pid` is a live process. */
  isAlive(pid: number): boolean;
}

/**
 * The client id the runner's frame probe asks the GPU process's channel for (never a tab's id). A
 * shell whose broker hands each end to a page (Electron's ports) keeps this one in the browser
 * process, where `drawFrame` opens it.
 */
export const FRAME_PROBE_CLIENT = 'experiment-frame-probe';

export interface ExperimentHost {
  readonly browser: Browser;
  readonly probe: HostProbe;
  readonly shell: Environment['shell'];
  /** "Chromium 156.0…" or "Electron 45.5.0 (Chromium …)". */
  readonly browserVersion: string;
  /** Has the GPU process rasterize one frame over `channel` (a tab's kind of direct channel). */
  drawFrame(channel: ChannelEndpoint): Promise<void>;
  /** How long the UI page takes to answer (a round trip through one of its frames), in ms. */
  uiRoundTrip(): Promise<number>;
  /** Where the run `id` journals its trials (default: in memory, which the soak's heap then counts). */
  openTrialJournal?(id: string): TrialJournal;
  /** Pids of the app's processes the core does not register (the shell's browser, its zygotes…): never orphans. */
  appPids?(): Promise<readonly number[]>;
}
