// Tour: what the GPU process does and what happens when it dies. Tabs record, the GPU process
// rasterizes; a crash is followed by a restart and the frames resume; three crashes within 60 s
// and Chrome falls back to software compositing.
import type { BrowserView } from '../connection/browser-state.ts';
import {
  anyTab,
  ensureTab,
  gpuProcess,
  isRunning,
  MAP_VIEW,
  renderers,
  type Tour,
  type TourActionContext,
  type TourNotes,
} from './model.ts';

const software = (view: BrowserView) => view.gpuMode === 'software';

/** The GPU process was started again since the step noted its restarts. */
function restartedSince(view: BrowserView, notes: TourNotes): boolean {
  const gpu = gpuProcess(view);
  return isRunning(gpu) && notes.gpuRestarts !== undefined && gpu.restarts > Number(notes.gpuRestarts);
}

const noteRestarts = (view: BrowserView) => ({ gpuRestarts: gpuProcess(view)?.restarts.toString() });

/** chrome://gpucrash once, then waits for the restart (or the switch to software). */
async function crashGpuOnce(context: TourActionContext): Promise<void> {
  const before = await context.waitFor(
    (view) => software(view) || isRunning(gpuProcess(view)),
    'the GPU process to run',
  );
  if (software(before)) return;
  const restarts = gpuProcess(before)!.restarts;
  await context.call('omnibox', { tabId: await anyTab(context), text: 'chrome://gpucrash' });
  await context.waitFor(
    (view) => software(view) || (isRunning(gpuProcess(view)) && gpuProcess(view)!.restarts > restarts),
    'the GPU process to start again',
  );
}

const inSoftware = (view: BrowserView) =>
  software(view)
    ? ' Compositing is already in software in this session (the GPU process crashed too often), so the GPU steps only show what is left.'
    : '';

export const gpuProcessTour: Tour = {
  id: 'gpu-process',
  title: 'What the GPU process does and what happens when it dies',
  summary: 'Tabs record, the GPU process rasterizes; crash it, then crash it until Chrome gives up on it.',
  steps: [
    {
      title: 'One GPU process draws for every tab',
      text: (view) =>
        'A live page does not paint its animation itself: each frame is recorded as a display list (the canvas calls, as paint operations) and sent over a direct channel the browser process brokered to the GPU process, which rasterizes it with Skia and sends the pixels back. ' +
        'Chrome’s renderers likewise hand their frames to the GPU process to composite; a tab never touches the GPU itself.' +
        inSoftware(view),
      look: 'The GPU process and the tabs it draws for; the status bar names its pid.',
      panel: MAP_VIEW,
      action: {
        label: 'Shows a live page',
        run: async (context) => ({ liveTab: await ensureTab(context, 'lab://live', context.notes.liveTab) }),
      },
      highlight: (view) => [gpuProcess(view)?.id, ...renderers(view).map((process) => process.id)],
    },
    {
      title: 'Crash the GPU process',
      text: (view) =>
        'Do it types chrome://gpucrash, which makes the GPU process abort (SIGABRT). No tab crashes: the browser process starts a new GPU process at once, as Chrome does, and tells every tab to ask for a new channel; their frames resume without a reload.' +
        inSoftware(view),
      look: 'The GPU process’s new pid and its Restarts count; the live page keeps animating.',
      panel: 'tasks',
      onEnter: noteRestarts,
      action: { label: 'Types chrome://gpucrash', run: crashGpuOnce },
      done: (view, notes) => software(view) || restartedSince(view, notes),
      waitingFor: 'the GPU process to crash and start again',
      highlight: (view) => [gpuProcess(view)?.id],
    },
    {
      title: 'Three crashes: software compositing',
      text: 'A GPU process that keeps crashing is given up on: after three crashes within 60 seconds (Chrome’s kGpuFallbackCrashCount) the browser stops restarting it and falls back to software compositing, where each renderer rasterizes its own display lists. Do it crashes the GPU process until that happens. As in Chrome, it stays that way until the browser restarts.',
      look: 'The status bar: “Software compositing”; the GPU process stays ended; the pages keep drawing, now in their own renderers.',
      panel: MAP_VIEW,
      action: {
        label: 'Crashes the GPU process until it falls back',
        async run(context) {
          for (let attempt = 0; attempt < 4 && !software(context.view()); attempt++) await crashGpuOnce(context);
          await context.waitFor(software, 'software compositing');
        },
      },
      done: software,
      waitingFor: 'software compositing',
      highlight: (view) => [gpuProcess(view)?.id, ...renderers(view).map((process) => process.id)],
    },
  ],
};
