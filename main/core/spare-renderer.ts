/**
 * The spare renderer, as Chrome keeps one (content/browser/renderer_host/
 * spare_render_process_host_manager.h): one renderer process started ahead, bound to no site, so
 * the next tab needing a new process (a new tab; under process per site, a tab whose site has no
 * process yet; a crashed tab's reload) opens into a process that already runs instead of waiting
 * for one to start. The tab takes it; the next one is started once the browser is idle again.
 *
 * It shows in the process list as what it is (`standby`, "Spare renderer"), and leaves it with a
 * `spare-renderer-ended` event: taken by a tab, gone (its process died: replaced, never a tab's
 * crash), or discarded. The shell does the starting (TabHost.startSpare); this decides when.
 */
import type { Clock, TimerId } from './clock.ts';
import type { EventLog } from './event-log.ts';
import type { ProcessRegistry } from './process-registry.ts';
import type { RendererGone, TabHost } from './tab-host.ts';

/**
 * When the next spare starts after a tab took one: once that tab is live (its first heartbeat), so
 * the new process does not compete with the tab's load for the CPU; or at once (measured against
 * it in bench/recovery/spare-renderer.ts).
 */
export type SpareRefill = 'after-live' | 'at-once';

export const SPARE_LABEL = 'Spare renderer';
/** A spare that dies within this long of the previous one's death is replaced only after `SPARE_RETRY_MS`. */
export const SPARE_DEATH_WINDOW_MS = 10_000;
export const SPARE_RETRY_MS = 5_000;

export interface SpareRendererOptions {
  readonly host: TabHost;
  readonly registry: ProcessRegistry;
  readonly log: EventLog;
  readonly clock: Clock;
  readonly refill?: SpareRefill;
}

interface Spare {
  readonly id: string;
  /** Its registry id. */
  readonly processId: string;
  pid: number | undefined;
  ready: boolean;
}

export class SpareRenderer {
  readonly refill: SpareRefill;
  private spare: Spare | undefined;
  private nextNumber = 1;
  private retryTimer: TimerId | undefined;
  private lastDeathAt: number | undefined;
  private disposed = false;

  constructor(private readonly options: SpareRendererOptions) {
    this.refill = options.refill ?? 'after-live';
  }

  /** Whether the shell can keep one at all. */
  get supported(): boolean {
    return typeof this.options.host.startSpare === 'function';
  }

  /** The spare's registry id and state, for tests and the benchmark. */
  get current(): { readonly processId: string; readonly pid?: number; readonly ready: boolean } | undefined {
    const spare = this.spare;
    return spare && { processId: spare.processId, ready: spare.ready, ...(spare.pid ? { pid: spare.pid } : {}) };
  }

  /** Starts a spare unless one is ready or starting (or a retry after a quick death is pending). */
  ensure(): void {
    const { host, registry } = this.options;
    if (this.disposed || this.spare || this.retryTimer !== undefined || !host.startSpare) return;
    const id = `spare-${this.nextNumber++}`;
    const spare: Spare = { id, processId: `renderer-${id}`, pid: undefined, ready: false };
    this.spare = spare;
    registry.launched(spare.processId, 'renderer', SPARE_LABEL, undefined, { standby: true });
    host.startSpare(id).then(
      ({ pid }) => {
        if (this.spare !== spare) return; // discarded or gone meanwhile
        spare.pid = pid;
        spare.ready = true;
        registry.update(spare.processId, { pid });
        registry.setState(spare.processId, 'running');
      },
      () => {
        // Could not start (no container yet, Chromium busy): counts as a death, retried later.
        if (this.spare === spare) this.ended(spare, 'gone', { reason: 'launch-failed' });
      },
    );
  }

  /**
   * The ready spare, handed to tab `tabId`: it leaves the process list (the tab's renderer is
   * registered when it commits, with the spare's pid). Undefined when none is ready: the tab starts
   * its process cold.
   */
  take(tabId: string): string | undefined {
    const spare = this.spare;
    if (!spare?.ready) return undefined;
    this.leave(spare, 'taken', { tabId });
    return spare.id;
  }

  /** The shell says spare `spareId` ended before any tab took it: replaced, quietly. */
  onGone(spareId: string, gone: RendererGone): void {
    const spare = this.spare;
    if (spare?.id !== spareId) return;
    this.ended(spare, 'gone', { reason: gone.reason });
  }

  /** Whether `processId` is the spare (for End process in the task manager). */
  owns(processId: string): boolean {
    return this.spare?.processId === processId;
  }

  /** Ends the spare no tab took; `replace`: start another (End process), else none until `ensure`. */
  discard(replace = false): void {
    const spare = this.spare;
    if (!spare) return;
    this.leave(spare, 'discarded', {});
    this.options.host.discardSpare?.(spare.id);
    if (replace) this.ensure();
  }

  dispose(): void {
    if (this.retryTimer !== undefined) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.discard();
    this.disposed = true;
  }

  private ended(spare: Spare, outcome: 'gone', detail: { reason: RendererGone['reason'] }): void {
    this.leave(spare, outcome, detail);
    this.options.host.discardSpare?.(spare.id);
    const { clock } = this.options;
    const now = clock.now();
    const quick = this.lastDeathAt !== undefined && now - this.lastDeathAt < SPARE_DEATH_WINDOW_MS;
    this.lastDeathAt = now;
    // One death is replaced at once; spares dying one after another are not restarted in a loop.
    if (!quick) return this.ensure();
    this.retryTimer = clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.ensure();
    }, SPARE_RETRY_MS);
  }

  private leave(
    spare: Spare,
    outcome: 'taken' | 'gone' | 'discarded',
    detail: { tabId?: string; reason?: RendererGone['reason'] },
  ): void {
    this.spare = undefined;
    this.options.registry.remove(spare.processId);
    this.options.log.record({
      type: 'spare-renderer-ended',
      processId: spare.processId,
      outcome,
      ...(spare.pid === undefined ? {} : { pid: spare.pid }),
      ...detail,
    });
  }
}
