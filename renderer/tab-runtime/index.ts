// The tab runtime: what runs inside every tab's renderer process. Pages import this module before
// anything else. It imports eval-free.ts first of all: pages run under a strict CSP without
// 'unsafe-eval', so schemas must be checked by TypeBox's interpreter, and nothing may even probe for
// `new Function` (the probe alone is a CSP violation).
import '../../protocol/rpc/eval-free.ts';

export { startTabRuntime, type TabRuntime } from './tab-runtime.ts';
export { GpuCompositor, NoGpuChannelError, type CompositingMode, type GpuRoundTrips } from './gpu-compositor.ts';
export { PluginEmbeds, type EmbedState, type PluginHostState } from './plugin-embeds.ts';
export {
  RecordingContext,
  RecordedGradient,
  recordDisplayList,
  type PaintContext,
  type RecordableImage,
} from './recording-context.ts';
export { startFrameLoop } from './frame-loop.ts';
export {
  connectLabChannel,
  onLabHostChanged,
  type DeadlockLabCalls,
  type LabChannelClient,
  type IpcRunOptions,
} from './lab-channel.ts';
export type { BrowserConnection } from './browser-channel.ts';
