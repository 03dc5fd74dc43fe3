/**
 * The browser tie-in: Chrome moves GPU commands and raster tiles through shared memory and sends its
 * GPU process only small "look" messages. This page is a tab with its own GPU channel (brokered by
 * the browser like every tab's: a loopback WebSocket in the Chromium shell, a MessagePort under
 * Electron), so the lab times round trips of the smallest message on it, page-side, and puts them on
 * the chart as kind `app-channel` beside the lab host's rings.
 */
import type { ChannelResult } from '../../../../protocol/labs/ipc-result.ts';
import { summarize } from '../../../../protocol/labs/latency-summary.ts';
import type { GpuRoundTrips } from '../../../tab-runtime/index.ts';
import { GPU_CHANNEL } from './ipc-view-model.ts';

/** Round trips per measurement: enough for a p99, short beside the lab host's run. */
export const GPU_ROUND_TRIPS = 300;

const SPEC = {
  kind: 'app-channel',
  id: GPU_CHANNEL,
  mechanism:
    "this tab's own GPU channel (brokered by the browser: a loopback WebSocket in the Chromium shell, a MessagePort under Electron), timed in the page: rasterize of an empty 1×1 display list, answered with one pixel",
  standIn: false,
  crossProcess: true,
  // A WebSocket (or Electron's Mojo pipe) goes through the kernel, as every channel but the rings.
  kernelPath: true,
} as const;

/** The spec the page shows while (or when) no figure came. */
export const GPU_CHANNEL_SPEC: ChannelResult = { ...SPEC, sizes: [] };

/** What the page measured, as one channel of the result (round trips only: the channel has no one-way stream). */
export function gpuChannelResult(trips: GpuRoundTrips): ChannelResult {
  const rasterShare = summarize(trips.rasterMs.map((ms) => ms * 1000));
  return {
    ...SPEC,
    note: `measured by the page, not the lab host: round trips only (its one method answers a frame, so no stream), on the page's clock (performance.now, which Chromium coarsens to 100 µs in a page that is not cross-origin isolated); GPU process pid ${trips.gpuPid}; of each round trip the GPU process spent p50 ${rasterShare.p50.toFixed(1)} µs replaying the list and reading the pixel back`,
    sizes: [
      {
        bytes: trips.payloadBytes,
        latencyUs: summarize(trips.roundTripsMs.map((ms) => ms * 1000)),
      },
    ],
  };
}

/** The same channel when it could not be timed (software compositing, the GPU process down). */
export function gpuChannelFailed(error: unknown): ChannelResult {
  return { ...GPU_CHANNEL_SPEC, error: String((error as Error)?.message ?? error).slice(0, 2048) };
}
