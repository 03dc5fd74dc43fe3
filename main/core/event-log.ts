/**
 * Every change of state in the browser process, as typed events: the UI subscribes to them (task
 * manager, IPC inspector, architecture map) and the core keeps the last few hundred, so a panel
 * opened late still sees what happened.
 */
import type { BrowserEvent, BrowserEventInput } from '../../protocol/interfaces/browser-state.ts';
import type { BadMessageReason } from '../../protocol/rpc/bad-message.ts';
import type { BadMessageReport } from '../../protocol/rpc/endpoint.ts';
import { Emitter } from './emitter.ts';

export const DEFAULT_HISTORY = 500;

export class EventLog {
  private readonly entries: BrowserEvent[] = [];
  private readonly counts = new Map<BrowserEvent['type'], number>();
  private nextSeq = 0;
  private readonly emitter = new Emitter<BrowserEvent>();
  readonly onDidRecord = this.emitter.event;

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly capacity = DEFAULT_HISTORY,
  ) {}

  record(input: BrowserEventInput): BrowserEvent {
    const event = { ...input, seq: this.nextSeq++, at: this.now() } as BrowserEvent;
    this.entries.push(event);
    this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.emitter.fire(event);
    return event;
  }

  /** Process `processId` sent a message the RPC layer refused (its owner decides whether to end it). */
  recordBadMessage(processId: string, report: BadMessageReport, code: BadMessageReason): void {
    this.record({ type: 'bad-message', processId, interface: report.interface, code, reason: report.reason });
  }

  /** How many events of `type` were ever recorded (not only the kept ones): e.g. bad messages. */
  count(type: BrowserEvent['type']): number {
    return this.counts.get(type) ?? 0;
  }

  /** The kept history, oldest first. */
  history(): readonly BrowserEvent[] {
    return [...this.entries];
  }
}
