// What the top page of brokered-ports.test.ts reports (no DOM, no side effects: the test imports it).
export interface DeliveredPortsResults {
  /** Unclaimed ports held just after the early one arrived. */
  readonly heldEarly: number;
  readonly earlyEcho: unknown;
  readonly lateEcho: unknown;
  /** How taking a refused delivery ended (two ports, an extra field, no port). */
  readonly refused: string[];
  readonly refusedPortsClosed: boolean;
  /** How taking the port a cross-origin frame posted ended. */
  readonly forged: string;
  readonly unclaimedWasClosed: boolean;
  readonly heldAtEnd: number;
  readonly aborted: string;
  readonly frameEcho: unknown;
}
