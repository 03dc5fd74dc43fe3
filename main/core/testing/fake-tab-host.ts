/**
 * FakeTabHost: the TabHost port (../tab-host.ts) without a browser, for tests of what the core does
 * with tabs. Each "page" is a real TabPage endpoint over a worker_threads MessageChannel, so the
 * core's side of the browser<->tab interface runs for real; the test plays the renderer's side:
 * `commit()` loads a page, `events.onDidRendererGone()` ends its process. What the core asks the
 * host to do to a tab (crash, kill, hang, stop its script) is recorded in `requests`, not done.
 * With `{ spares: true }` it keeps spare renderers as a shell would (TabHost.startSpare): the test
 * says when one is running (`spareStarted`) or failed (`spareFailed`), and ends one with
 * `events.onDidSpareGone`.
 */
import { TabHostService, TabPage } from '../../../protocol/interfaces/browser-tab.ts';
import { connect, type Connection } from '../../../protocol/rpc/endpoint.ts';
import { nodeMessagePortTransport } from '../../../protocol/transport/node-port.ts';
import type { Transport } from '../../../protocol/transport/transport.ts';
import type { SpareReady, TabHost, TabHostEvents, TabLoadOptions } from '../tab-host.ts';

/** The page's end of a tab's channel: it calls TabHostService, the browser calls it as TabPage. */
export type FakePage = Connection<typeof TabPage, typeof TabHostService>;

/** worker_threads' MessagePort, through Node's global MessageChannel: main/core imports no Node built-ins. */
type MessagePort = InstanceType<typeof MessageChannel>['port1'];

export class FakeTabHost implements TabHost {
  /** What the core asked of the host, in order: `create tab-1 lab://live tab-1`, `crash tab-1`, ... */
  readonly requests: string[] = [];
  private attached: TabHostEvents | undefined;
  private readonly transports = new Map<string, Transport>();
  private readonly ports: MessagePort[] = [];
  private readonly startingSpares = new Map<string, { resolve(ready: SpareReady): void; reject(error: Error): void }>();
  /** Present only for `{ spares: true }`: a shell without it keeps no spare. */
  readonly startSpare?: (spareId: string) => Promise<SpareReady>;

  constructor(options: { spares?: boolean } = {}) {
    if (options.spares) {
      this.startSpare = (spareId) => {
        this.requests.push(`startSpare ${spareId}`);
        return new Promise((resolve, reject) => this.startingSpares.set(spareId, { resolve, reject }));
      };
    }
  }

  /** Spare `spareId`'s process runs, as `pid`. */
  spareStarted(spareId: string, pid: number): void {
    this.startingSpares.get(spareId)?.resolve({ pid });
    this.startingSpares.delete(spareId);
  }

  /** Spare `spareId` could not start. */
  spareFailed(spareId: string): void {
    this.startingSpares.get(spareId)?.reject(new Error(`spare ${spareId} did not start`));
    this.startingSpares.delete(spareId);
  }

  discardSpare(spareId: string): void {
    this.requests.push(`discardSpare ${spareId}`);
    this.startingSpares.delete(spareId);
  }

  /** The core's listeners, for the test to report what a shell would (a renderer gone, a hang). */
  get events(): TabHostEvents {
    if (!this.attached) throw new Error('No core has attached to this TabHost yet');
    return this.attached;
  }

  attach(events: TabHostEvents): void {
    this.attached = events;
  }

  create(tabId: string, url: string, site: string, options?: TabLoadOptions): Promise<void> {
    this.requests.push(`create ${tabId} ${url} ${site}${options?.spare ? ` spare=${options.spare}` : ''}`);
    return Promise.resolve();
  }

  navigate(tabId: string, url: string, site: string): Promise<void> {
    this.requests.push(`navigate ${tabId} ${url} ${site}`);
    return Promise.resolve();
  }

  reload(tabId: string, options?: TabLoadOptions): Promise<void> {
    this.requests.push(`reload ${tabId}${options?.spare ? ` spare=${options.spare}` : ''}`);
    return Promise.resolve();
  }

  close(tabId: string): Promise<void> {
    this.requests.push(`close ${tabId}`);
    this.transports.delete(tabId);
    return Promise.resolve();
  }

  crash(tabId: string): void {
    this.requests.push(`crash ${tabId}`);
  }

  kill(tabId: string): void {
    this.requests.push(`kill ${tabId}`);
  }

  hang(tabId: string): void {
    this.requests.push(`hang ${tabId}`);
  }

  /** Answers false, as a shell that cannot stop a script does: the core then ends the renderer. */
  stopScript(tabId: string): Promise<boolean> {
    this.requests.push(`stopScript ${tabId}`);
    return Promise.resolve(false);
  }

  transport(tabId: string): Transport | undefined {
    return this.transports.get(tabId);
  }

  /**
   * A document committed in the tab, in renderer `pid`: the core is told and connects to it.
   * Returns the page's end; a message the page finds malformed fails the test (it throws).
   */
  commit(tabId: string, pid = 4242, url = 'lab://live'): FakePage {
    const { port1: browserEnd, port2: pageEnd } = new MessageChannel();
    this.ports.push(browserEnd, pageEnd);
    this.transports.set(tabId, nodeMessagePortTransport(browserEnd, { process: 'renderer', id: tabId, pid }));
    const page = connect({
      transport: nodeMessagePortTransport(pageEnd, { process: 'browser' }),
      self: { process: 'renderer', id: tabId, pid },
      local: TabPage,
      remote: TabHostService,
      handlers: {},
      onBadMessage: (report) => {
        throw new Error(`The page got a bad message from the browser: ${report.reason}`);
      },
    });
    this.events.onDidCommit(tabId, { pid, url });
    return page;
  }

  /** Closes every page channel it opened. */
  dispose(): void {
    for (const port of this.ports.splice(0)) port.close();
  }
}
