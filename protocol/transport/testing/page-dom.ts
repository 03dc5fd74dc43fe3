// The few DOM types the pages of browser-transports.test.ts use. Each page declares `window` and
// `document` with them, module-scoped. Not `/// <reference lib="dom" />`: a lib reference applies to
// the whole root program (tsconfig.json), so every Node-side file would get DOM globals and types.
import type { DomMessagePortLike } from '../dom-port.ts';

export interface PageMessageEvent {
  readonly data: unknown;
  readonly origin: string;
  readonly source: unknown;
  readonly ports: readonly DomMessagePortLike[];
}

export interface PageWindow {
  readonly parent: PageWindow;
  readonly frames: ArrayLike<PageWindow>;
  readonly location: { readonly search: string; readonly origin: string };
  postMessage(message: unknown, targetOrigin: string, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (event: PageMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: PageMessageEvent) => void): void;
}

export interface PageIFrame {
  src: string;
  readonly contentWindow: PageWindow | null;
}

export interface CspViolationEvent {
  readonly violatedDirective: string;
  readonly blockedURI: string;
}

export interface PageDocument {
  readonly body: { append(node: PageIFrame): void };
  createElement(tag: 'iframe'): PageIFrame;
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (event: CspViolationEvent) => void,
    options?: { once?: boolean },
  ): void;
}

/** A DOM MessageChannel (Node's global one is typed with worker_threads ports). */
export interface PageMessageChannel {
  readonly port1: DomMessagePortLike;
  readonly port2: DomMessagePortLike;
}
