/**
 * A direct channel the browser process brokers as a MessagePort pair (the Electron shell): it makes a
 * MessageChannelMain and hands one end to each side, in two hops that are not RPC messages.
 *
 * - To the utility process (GPU process, plugin host): `utilityProcess.postMessage(connectClient(id),
 *   [port1])`; the child finds it on `process.parentPort` with the port in `event.ports`
 *   (`parentPortClientPorts` in electron.ts). RPC messages are arrays, so the two never mix.
 * - To the tab: `webContents.postMessage(channel, portDelivery(portId), [port2])` reaches the tab
 *   preload, which forwards it into the page's world with `window.postMessage(deliveredPort(portId),
 *   location.origin, [port])` (contextBridge cannot carry a port). The page takes it from
 *   `DeliveredPorts` by the id the answer to its channel request named.
 *
 * DOM types are structural here, as in window.ts, so `protocol/` compiles without them.
 */

/** A client id as the utility processes' interfaces bound it (browser-gpu.ts, browser-plugin-host.ts). */
const MAX_ID = 64;

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;

// ---- browser process -> utility process -------------------------------------------------------

export const CONNECT_CLIENT = 'connect-client';

/** Sent with one port: serve `clientId`'s direct channel over it. */
export interface ConnectClientMessage {
  readonly type: typeof CONNECT_CLIENT;
  readonly clientId: string;
}

export function connectClient(clientId: string): ConnectClientMessage {
  return { type: CONNECT_CLIENT, clientId };
}

export function isConnectClient(value: unknown): value is ConnectClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { type, clientId, ...rest } = value as Record<string, unknown>;
  return type === CONNECT_CLIENT && isId(clientId) && Object.keys(rest).length === 0;
}

// ---- browser process -> tab preload -> page ----------------------------------------------------

/**
 * What the browser process sends the tab preload with a port (on its own IPC channel): the port's
 * id and the token of the document it is for (the tab preload makes one per document and sends it
 * with the page's messages).
 */
export interface PortDelivery {
  readonly portId: string;
  readonly document: string;
}

export function portDelivery(portId: string, document: string): PortDelivery {
  return { portId, document };
}

export function isPortDelivery(value: unknown): value is PortDelivery {
  if (typeof value !== 'object' || value === null) return false;
  const { portId, document, ...rest } = value as Record<string, unknown>;
  return isId(portId) && isId(document) && Object.keys(rest).length === 0;
}

/** A fresh document token: 128 random bits as hex (the tab preload makes one per document it runs in). */
export function newDocumentToken(): string {
  return [...globalThis.crypto.getRandomValues(new Uint8Array(16))]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

/** True for a well-formed delivery meant for the document whose token is `document`. */
export function isPortDeliveryFor(value: unknown, document: string): value is PortDelivery {
  return isPortDelivery(value) && value.document === document;
}

export const DELIVERED_PORT = 'lab:delivered-port';

/** What the preload posts to the page's window with the port. */
export interface DeliveredPortMessage {
  readonly type: typeof DELIVERED_PORT;
  readonly portId: string;
}

export function deliveredPort(portId: string): DeliveredPortMessage {
  return { type: DELIVERED_PORT, portId };
}

export function isDeliveredPort(value: unknown): value is DeliveredPortMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { type, portId, ...rest } = value as Record<string, unknown>;
  return type === DELIVERED_PORT && isId(portId) && Object.keys(rest).length === 0;
}

export interface PortMessageEventLike<Port> {
  readonly data: unknown;
  readonly source: unknown;
  readonly ports: readonly Port[];
}

/** The page's window, as far as DeliveredPorts uses it. */
export interface PortReceiverLike<Port> {
  addEventListener(type: 'message', listener: (event: PortMessageEventLike<Port>) => void): void;
  removeEventListener(type: 'message', listener: (event: PortMessageEventLike<Port>) => void): void;
}

export interface ClosablePort {
  close(): void;
}

export interface DeliveredPortsOptions {
  /** A port nobody asked for (yet) is kept this long, then closed. */
  readonly holdMs?: number;
  /** At most this many unclaimed ports are kept; the oldest is closed for a new one. */
  readonly maxHeld?: number;
}

export interface TakeOptions {
  readonly signal?: AbortSignal;
  /** How long to wait for the port; rejects after it. */
  readonly timeoutMs?: number;
}

/**
 * The page's inbox for delivered ports: one per document, listening from before the page's first
 * channel request, since the port may arrive before or after the answer that names it (they travel
 * on different IPC messages). Only a message the window posted to itself counts (`event.source ===
 * window`: the preload shares the page's window, a frame or another window does not), with the
 * shape above and exactly one port; anything else is ignored (its ports closed).
 */
export class DeliveredPorts<Port extends ClosablePort> {
  private readonly held = new Map<string, { port: Port; timer: ReturnType<typeof setTimeout> }>();
  private readonly waiting = new Map<string, (port: Port) => void>();
  private readonly listener = (event: PortMessageEventLike<Port>) => this.onMessage(event);
  private readonly holdMs: number;
  private readonly maxHeld: number;

  constructor(
    private readonly window: PortReceiverLike<Port>,
    options: DeliveredPortsOptions = {},
  ) {
    this.holdMs = options.holdMs ?? 10_000;
    this.maxHeld = options.maxHeld ?? 8;
    window.addEventListener('message', this.listener);
  }

  /** Unclaimed ports, for tests. */
  get heldCount(): number {
    return this.held.size;
  }

  /** The port delivered with `portId`: at once if it came already, else when it comes. */
  take(portId: string, options: TakeOptions = {}): Promise<Port> {
    const { signal, timeoutMs = 5000 } = options;
    const ready = this.held.get(portId);
    if (ready) {
      this.held.delete(portId);
      clearTimeout(ready.timer);
      return Promise.resolve(ready.port);
    }
    if (this.waiting.has(portId)) return Promise.reject(new Error(`Port ${portId} is already awaited`));
    return new Promise<Port>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(portId);
      };
      const onAbort = () => {
        done();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`The channel's port did not arrive within ${timeoutMs} ms`));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(portId, (port) => {
        done();
        resolve(port);
      });
    });
  }

  /** Stops listening and closes every unclaimed port. */
  dispose(): void {
    this.window.removeEventListener('message', this.listener);
    for (const { port, timer } of this.held.values()) {
      clearTimeout(timer);
      port.close();
    }
    this.held.clear();
  }

  private onMessage(event: PortMessageEventLike<Port>): void {
    if (event.source !== this.window || !isDeliveredPort(event.data)) return;
    const ports = event.ports ?? [];
    const [port] = ports;
    if (ports.length !== 1 || !port) {
      for (const extra of ports) extra.close();
      return;
    }
    const { portId } = event.data;
    const waiter = this.waiting.get(portId);
    if (waiter) return waiter(port);
    // Came before the answer that names it (or for a request already given up on): keep it a while.
    this.drop(portId); // a duplicate id: the newer port wins
    if (this.held.size >= this.maxHeld) {
      const [oldest] = this.held.keys();
      if (oldest !== undefined) this.drop(oldest);
    }
    const timer = setTimeout(() => this.drop(portId), this.holdMs);
    this.held.set(portId, { port, timer });
  }

  private drop(portId: string): void {
    const entry = this.held.get(portId);
    if (!entry) return;
    this.held.delete(portId);
    clearTimeout(entry.timer);
    entry.port.close();
  }
}
