/**
 * Which renderer process each frame of a page runs in. CDP has no direct answer (Target.getTargets
 * has no pid; SystemInfo.getProcessInfo lists processes but not their frames); a trace does: the
 * `TracingStartedInBrowser` event lists every frame of the traced page, OOPIFs included, with its
 * `processId` (shared/knowledge/chromium-cdp.md). A trace takes ~35 ms (the very first ~400 ms, so
 * the host warms it up), and works while a tab hangs: the frame list comes from the browser process.
 */
import type { CdpSession } from './cdp-connection.ts';

const TIMELINE = 'disabled-by-default-devtools.timeline';

interface TracedFrame {
  readonly frame: string;
  readonly processId?: number;
}

export class FramePids {
  private running: Promise<Map<string, number>> | undefined;
  private queued: Promise<Map<string, number>> | undefined;

  /** `page`: a session of the page whose frames (its OOPIFs included) are asked about. */
  constructor(
    private readonly page: CdpSession,
    private readonly timeoutMs = 3000,
  ) {}

  /** The pid of every frame of the page, frame id to pid, from a trace started after this call. */
  snapshot(): Promise<Map<string, number>> {
    if (!this.running) {
      this.running = this.trace().finally(() => (this.running = undefined));
      return this.running;
    }
    // The trace under way may have started before the caller's frame committed: one more follows it,
    // shared by everyone who asks meanwhile (Chromium runs one trace at a time).
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.snapshot();
      });
    return this.queued;
  }

  private async trace(): Promise<Map<string, number>> {
    const pids = new Map<string, number>();
    const unsubscribe: Array<() => void> = [];
    const complete = new Promise<void>((resolve, reject) => {
      unsubscribe.push(
        this.page.on('Tracing.dataCollected', ({ value }) => {
          for (const event of value as Array<{ name?: string; args?: { data?: { frames?: TracedFrame[] } } }>) {
            if (event.name !== 'TracingStartedInBrowser') continue;
            for (const { frame, processId } of event.args?.data?.frames ?? [])
              if (processId) pids.set(frame, processId);
          }
        }),
        this.page.on('Tracing.tracingComplete', () => resolve()),
        this.page.onDidDetach((reason) => reject(new Error(`the page went away while tracing: ${reason}`))),
      );
      const timer = setTimeout(() => reject(new Error(`no trace within ${this.timeoutMs} ms`)), this.timeoutMs);
      unsubscribe.push(() => clearTimeout(timer));
    });
    complete.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
    try {
      await this.page.send('Tracing.start', {
        traceConfig: { includedCategories: [TIMELINE] },
        transferMode: 'ReportEvents',
      });
      await this.page.send('Tracing.end');
      await complete;
      return pids;
    } catch (error) {
      // Leave no trace running: the next Tracing.start would fail with "already started".
      this.page.fire('Tracing.end', undefined, { timeoutMs: 1000 });
      throw error;
    } finally {
      for (const stop of unsubscribe) stop();
    }
  }
}
