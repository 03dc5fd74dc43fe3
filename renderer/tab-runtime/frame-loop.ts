/**
 * A frame loop paced by the display (requestAnimationFrame), thinned to a target rate. Paced by the
 * display on purpose: a tab that is not shown (a hidden iframe) gets no animation frames and draws
 * nothing, as Chrome stops producing frames for hidden tabs. What `frame` throws is logged once and
 * the loop goes on: one bad frame must not stop the page.
 */
export interface FrameLoopOptions {
  /** Frames per second to aim for (default 30). */
  readonly fps?: number;
}

/** Calls `frame(now)` about `fps` times a second until the returned stop is called. */
export function startFrameLoop(frame: (now: number) => void, { fps = 30 }: FrameLoopOptions = {}): () => void {
  const interval = 1000 / fps;
  let next = 0;
  let handle = 0;
  let stopped = false;
  let logged = false;
  const tick = (now: number) => {
    if (stopped) return;
    handle = requestAnimationFrame(tick);
    // A little early is on time: a 60 Hz display's ticks fall either side of 33.3 ms.
    if (now < next - interval * 0.25) return;
    // On schedule: the next target one interval on. Fell behind (hidden, busy): start again from now.
    next = now - next > interval ? now + interval : next + interval;
    try {
      frame(now);
    } catch (error) {
      if (!logged) console.error('[tab-runtime] a frame threw; the loop goes on:', error);
      logged = true;
    }
  };
  handle = requestAnimationFrame(tick);
  return () => {
    stopped = true;
    cancelAnimationFrame(handle);
  };
}
