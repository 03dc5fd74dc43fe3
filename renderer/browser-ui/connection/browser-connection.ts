/**
 * The browser UI page's connection to the browser process: BrowserUiService over the page's string
 * channel (`__labUiSend` out, `__labUiReceive` in). The Chromium shell installs them as a CDP
 * binding and a function it calls; the Electron preload exposes the same two names, so this code is
 * the same for both shells.
 *
 * It is a small store: `getState()` once, then every `changed` event applied in order (events that
 * arrive while the state loads are held and applied after it; an event after a gap, or a message
 * that failed validation, loads the state again). React reads it with useSyncExternalStore
 * (use-browser.ts). No DOM and no React here: unit-tested in Node.
 *
 * The page entry must import `protocol/rpc/eval-free.ts` before this module (see main.tsx).
 */
import type { BrowserEvent } from '../../../protocol/interfaces/browser-state.ts';
import { BrowserUi, BrowserUiService, type PaintedOverlay } from '../../../protocol/interfaces/ui-browser.ts';
import { connect, type Connection } from '../../../protocol/rpc/endpoint.ts';
import type { Static } from '../../../protocol/rpc/schema.ts';
import type { MethodName, RequestOf, ResponseOf } from '../../../protocol/rpc/interface.ts';
import {
  bindingStringChannel,
  stringChannelTransport,
  UI_CHANNEL_NAMES,
} from '../../../protocol/transport/string-channel.ts';
import { applyEvent, fromSnapshot, isAfterGap, type BrowserView } from './browser-state.ts';

export type ConnectionStatus =
  /** The page was opened without a shell: there is no `__labUiSend`. */
  | 'no-shell'
  /** Waiting for the first `getState()`. */
  | 'connecting'
  | 'ready'
  /** The first `getState()` failed; `retry()` tries again. */
  | 'failed';

export type UiMethod = MethodName<typeof BrowserUiService>;
export type PaintedOverlayKind = Static<typeof PaintedOverlay>;

/** An action the browser refused or that never got an answer. */
export interface ActionError {
  /** Counts up, so the same message twice is still news. */
  readonly id: number;
  readonly method: UiMethod;
  readonly message: string;
  /** The browser's error code (URL_NOT_ALLOWED, NO_SUCH_TAB, RPC_TIMEOUT…), where it gave one. */
  readonly code: string | undefined;
}

export interface UiSnapshot {
  readonly status: ConnectionStatus;
  /** The browser's state; set from the first successful `getState()` on. */
  readonly browser: BrowserView | undefined;
  /** Why the status is 'no-shell' or 'failed'. */
  readonly problem: string | undefined;
  /** The last failed action started with `perform()`. */
  readonly actionError: ActionError | undefined;
}

export interface BrowserClient {
  getSnapshot(): UiSnapshot;
  subscribe(listener: () => void): () => void;
  /** Calls the browser; rejects with its error (an RpcError whose `code` is the browser's). */
  call<M extends UiMethod>(
    method: M,
    request: RequestOf<typeof BrowserUiService, M>,
  ): Promise<ResponseOf<typeof BrowserUiService, M>>;
  /**
   * Calls the browser for a user action: a failure becomes `actionError` (shown in the UI) and the
   * promise resolves to undefined; it never rejects.
   */
  perform<M extends UiMethod>(
    method: M,
    request: RequestOf<typeof BrowserUiService, M>,
  ): Promise<ResponseOf<typeof BrowserUiService, M> | undefined>;
  dismissActionError(): void;
  /** Tells the browser a frame showing `what` over the tab was painted (experiments time it). */
  notifyPainted(tabId: string, what: PaintedOverlayKind): void;
  /** Loads the whole state again (after a failure). */
  retry(): void;
  /** Stops listening; pending calls fail. */
  close(): void;
}

export interface BrowserClientOptions {
  /** How long `getState()` may take. */
  readonly stateTimeoutMs?: number;
  /** Default timeout of the other calls. */
  readonly timeoutMs?: number;
  /** Where problems are logged (the page's console by default). */
  readonly log?: (message: string) => void;
}

/** The most events held while the state loads; past it the state is loaded again afterwards. */
const MAX_HELD_EVENTS = 2000;

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class NoShellClient implements BrowserClient {
  private readonly snapshot: UiSnapshot;
  constructor(problem: string) {
    this.snapshot = { status: 'no-shell', browser: undefined, problem, actionError: undefined };
  }
  getSnapshot = () => this.snapshot;
  subscribe = () => () => {};
  call(): Promise<never> {
    return Promise.reject(new Error(this.snapshot.problem));
  }
  perform(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  dismissActionError() {}
  notifyPainted() {}
  retry() {}
  close() {}
}

class ShellClient implements BrowserClient {
  private snapshot: UiSnapshot = {
    status: 'connecting',
    browser: undefined,
    problem: undefined,
    actionError: undefined,
  };
  private readonly listeners = new Set<() => void>();
  private readonly connection: Connection<typeof BrowserUi, typeof BrowserUiService>;
  /** Events received while a `getState()` is on its way; undefined when none is. */
  private held: BrowserEvent[] | undefined;
  private overflowed = false;
  private loads = 0;
  private reloadQueued = false;
  private nextErrorId = 1;
  private readonly log: (message: string) => void;

  constructor(
    scope: Record<string, unknown>,
    private readonly options: BrowserClientOptions,
  ) {
    this.log = options.log ?? ((message) => console.warn(`[browser-ui] ${message}`));
    const transport = stringChannelTransport(bindingStringChannel(scope, UI_CHANNEL_NAMES), { process: 'browser' });
    this.connection = connect({
      transport,
      self: { process: 'ui' },
      local: BrowserUi,
      remote: BrowserUiService,
      handlers: {},
      onBadMessage: (report) => {
        // The browser is trusted; a bad message from it is a bug, or a lost event: log, and resync.
        this.log(`bad message from the browser (${report.interface}): ${report.reason}`);
        this.queueReload();
      },
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    this.connection.on('changed', (event) => this.onChanged(event));
    void this.load();
  }

  getSnapshot = (): UiSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  call<M extends UiMethod>(
    method: M,
    request: RequestOf<typeof BrowserUiService, M>,
  ): Promise<ResponseOf<typeof BrowserUiService, M>> {
    const remote = this.connection.remote[method] as (
      request: unknown,
    ) => Promise<ResponseOf<typeof BrowserUiService, M>>;
    return remote(request);
  }

  perform<M extends UiMethod>(
    method: M,
    request: RequestOf<typeof BrowserUiService, M>,
  ): Promise<ResponseOf<typeof BrowserUiService, M> | undefined> {
    return this.call(method, request).catch((error: unknown) => {
      this.set({
        actionError: { id: this.nextErrorId++, method, message: errorMessage(error), code: errorCode(error) },
      });
      return undefined;
    });
  }

  dismissActionError(): void {
    if (this.snapshot.actionError) this.set({ actionError: undefined });
  }

  notifyPainted(tabId: string, what: PaintedOverlayKind): void {
    if (!this.connection.closed) this.connection.emit('painted', { tabId, what });
  }

  retry(): void {
    void this.load();
  }

  close(): void {
    this.connection.close('the browser UI closed');
  }

  private set(changes: Partial<UiSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    for (const listener of this.listeners) listener();
  }

  private onChanged(event: BrowserEvent): void {
    if (this.held) {
      if (this.held.length < MAX_HELD_EVENTS) this.held.push(event);
      else this.overflowed = true;
    }
    const view = this.snapshot.browser;
    if (!view) return;
    if (isAfterGap(view, event)) {
      this.log(`missed events ${view.lastSeq! + 1}..${event.seq - 1}; loading the state again`);
      this.queueReload();
    }
    const next = applyEvent(view, event);
    if (next !== view) this.set({ browser: next });
  }

  /** Loads the state again once the current load (if any) is done. */
  private queueReload(): void {
    if (this.held) {
      this.reloadQueued = true;
      return;
    }
    void this.load();
  }

  private async load(): Promise<void> {
    const load = ++this.loads;
    this.held = [];
    this.overflowed = false;
    this.reloadQueued = false;
    if (this.snapshot.status === 'failed') this.set({ status: 'connecting', problem: undefined });
    try {
      const state = await this.connection.remote.getState({}, { timeoutMs: this.options.stateTimeoutMs ?? 10_000 });
      if (load !== this.loads) return;
      let view = fromSnapshot(state);
      for (const event of this.held) view = applyEvent(view, event);
      const again = this.overflowed || this.reloadQueued;
      this.held = undefined;
      this.set({ status: 'ready', browser: view, problem: undefined });
      if (again) void this.load();
    } catch (error) {
      if (load !== this.loads) return;
      this.held = undefined;
      const problem = `The browser process did not send its state: ${errorMessage(error)}`;
      this.log(problem);
      // A failed resync keeps the state it has (events still keep it current); a failed first load fails.
      if (!this.snapshot.browser) this.set({ status: 'failed', problem });
    }
  }
}

/**
 * Connects the page to the browser process through the channel the shell installed in `scope`
 * (the page's global object). Without one (the page opened on its own), a client whose status is
 * 'no-shell'.
 */
export function connectToBrowser(scope: Record<string, unknown>, options: BrowserClientOptions = {}): BrowserClient {
  if (typeof scope[UI_CHANNEL_NAMES.send] !== 'function') {
    return new NoShellClient(`This page has no ${UI_CHANNEL_NAMES.send}: it was opened without the browser's shell.`);
  }
  try {
    return new ShellClient(scope, options);
  } catch (error) {
    return new NoShellClient(`The browser's channel could not be set up: ${errorMessage(error)}`);
  }
}
