// GPU replay fidelity: frames rasterized by the real GPU process, reached the way a tab reaches it,
// match the same display lists replayed here with the same replayDisplayList. Frames are written to
// test-results/gpu/ for a person to look at.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { DisplayList } from '../protocol/interfaces/display-list.ts';
import { FIDELITY_LISTS } from './testing/display-lists.ts';
import { openTabChannel, startGpuProcess, type GpuProcess, type TabChannel } from './testing/gpu-process.ts';
import { inkOf, mismatch, replayHere, writePng, type Pixels } from './testing/pixels.ts';

/** At most this share of pixels may differ by more than 8 in a channel. */
const TOLERANCE = 0.005;

let gpu: GpuProcess;
let tab: TabChannel;
const frames = new Map<string, Pixels>();

beforeAll(async () => {
  gpu = startGpuProcess(inject('childEntries').gpu);
  const { url } = await gpu.connection.remote.establishChannel({ clientId: 'tab-fidelity' });
  tab = await openTabChannel(url, 'tab-fidelity');
});

afterAll(() => {
  tab?.socket.close();
  gpu?.child.kill('SIGKILL');
});

it.each(Object.keys(FIDELITY_LISTS))('%s: the GPU frame matches a local replay, and really draws', async (name) => {
  const list = FIDELITY_LISTS[name]!;
  const frame = await tab.connection.remote.rasterize(list);
  frames.set(name, frame);
  await writePng(name, frame);

  expect(frame).toMatchObject({ width: list.width, height: list.height, gpuPid: gpu.child.pid });
  expect(frame.pixels.byteLength).toBe(list.width * list.height * 4);
  expect(frame.rasterMs).toBeGreaterThan(0);
  const ink = inkOf(frame);
  expect(ink.covered, 'share of pixels drawn').toBeGreaterThan(0.04);
  expect(ink.colors, 'distinct colors').toBeGreaterThan(3);
  expect(mismatch(frame, replayHere(list))).toBeLessThanOrEqual(TOLERANCE);
});

it('the comparison tells different frames apart', () => {
  const names = Object.keys(FIDELITY_LISTS);
  for (const [index, name] of names.entries()) {
    const other = FIDELITY_LISTS[names[(index + 1) % names.length]!]!;
    expect(mismatch(frames.get(name)!, replayHere(other)), `${name} against the next list`).toBeGreaterThan(0.02);
  }
});

it('starts each frame clean: a list that leaves a clip, a transform, alpha and saved state behind changes nothing after it', async () => {
  const dirty: DisplayList = {
    width: 320,
    height: 240,
    ops: [
      { op: 'fillStyle', color: 'magenta' },
      { op: 'fillRect', x: 0, y: 0, w: 320, h: 240 },
      { op: 'save' },
      { op: 'save' },
      { op: 'translate', x: 100, y: 50 },
      { op: 'rotate', angle: 0.5 },
      { op: 'globalAlpha', alpha: 0.2 },
      { op: 'font', font: '5px serif' },
      { op: 'textAlign', align: 'right' },
      { op: 'lineWidth', width: 40 },
      { op: 'beginPath' },
      { op: 'rect', x: 0, y: 0, w: 10, h: 10 },
      { op: 'clip' },
    ],
  };
  await tab.connection.remote.rasterize(dirty);
  // Uses the defaults: black fill, 10px sans-serif, left aligned, 1px lines, no clip.
  const plain: DisplayList = {
    width: 320,
    height: 240,
    ops: [
      { op: 'fillRect', x: 10, y: 10, w: 100, h: 60 },
      { op: 'fillText', text: 'defaults', x: 150, y: 40 },
      { op: 'beginPath' },
      { op: 'arc', x: 200, y: 150, r: 60, start: 0, end: 6.3 },
      { op: 'stroke' },
    ],
  };
  const frame = await tab.connection.remote.rasterize(plain);
  expect(inkOf(frame).covered).toBeGreaterThan(0.05);
  expect(mismatch(frame, replayHere(plain), 0)).toBe(0);
});
