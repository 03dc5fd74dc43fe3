// Shared by the pages of browser-transports.test.ts and the test itself: what the pages report.
// No side effects and no DOM here, so the test (in Node) can import it.

/** Marks every forged payload the rogue frames and the top page post, so a leak is recognisable. */
export const FORGED = 666;

/** True for a message carrying a forged marker. */
export function isForged(message: unknown): boolean {
  const m = message as { forged?: unknown; p?: { waited?: unknown; n?: unknown } } | null;
  return typeof m === 'object' && m !== null && (m.forged === FORGED || m.p?.waited === FORGED || m.p?.n === FORGED);
}

export interface ErrorSummary {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

/** What the service frame saw, read by the test with Playwright's `frame.evaluate`. */
export interface FrameState {
  /** CSP violations reported in this document. */
  readonly violations: string[];
  /** Handler calls, per transport: `echo:<text>`, `draw`, … */
  readonly windowCalls: string[];
  readonly portCalls: string[];
  readonly bad: Array<{ peer: string; interface: string; reason: string }>;
  /** What `sendRaw` got over the port, described. */
  readonly rawOverPort: string[];
  /** Whether the buffer `bytes` answered with left this frame (was detached) once sent. */
  sentBytesDetached: boolean | null;
  /** How many rogue frames said they are done posting forged messages here. */
  rogueDone: number;
}

/** What the top page found, `window.results` (a promise). */
export interface TopResults {
  readonly echo: unknown;
  readonly draw: { readonly sent: unknown; readonly got: unknown };
  /** The rejection of a request that breaks its schema. */
  readonly invalid: ErrorSummary | null;
  /** The service frame's `sawBadMessage` event for that request. */
  readonly sawBadMessage: { reason: string; peer: string };
  readonly ticked: number[];
  readonly forged: {
    /** The `wait` call was still pending when every forged answer to it had been delivered. */
    readonly pendingWhenForgedArrived: boolean;
    readonly wait: unknown;
    /** Forged messages that got through the top page's windowTransport. */
    readonly accepted: number;
    /** Messages the top page's windowTransport let through, in all. */
    readonly acceptedTotal: number;
  };
  /** Bad messages the top page's endpoints reported (window and port). */
  readonly clientBad: string[];
  /** What windowTransport threw for targetOrigin '*'. */
  readonly starError: string;
  readonly port: {
    readonly echo: unknown;
    readonly received: { isUint8Array: boolean; length: number; allSevens: boolean };
    /** The request's Uint8Array left the top page (was detached) when sent with a transfer list. */
    readonly sentDetached: boolean;
  };
  readonly violations: string[];
}
