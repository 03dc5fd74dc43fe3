/**
 * The GPU process host and the plugin host's host as the tabs see them (TabsGpuHost,
 * TabsPluginHost in ../tabs.ts), for tests of the tabs alone: each channel request waits until the
 * test answers it by hand (`grants`), so a test can settle grants in any order, late, or never; the
 * test fires the hosts' events (`ready`, `modeChanged`, `crashed`).
 */
import type { GpuMode } from '../../../protocol/interfaces/browser-state.ts';
import { Emitter } from '../emitter.ts';
import type { GpuChannelGrant } from '../gpu-process-host.ts';
import type { ChannelEndpoint } from '../ports.ts';
import type { TabsGpuHost, TabsPluginHost } from '../tabs.ts';

/** A request the test settles by hand. */
export interface PendingGrant<T> {
  readonly clientId: string;
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function pending<T>(clientId: string): PendingGrant<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { clientId, promise, resolve, reject };
}

export class FakeGpuProcessHost implements TabsGpuHost {
  readonly ready = new Emitter<{ pid: number }>();
  readonly modeChanged = new Emitter<GpuMode>();
  readonly onDidBecomeReady = this.ready.event;
  readonly onDidChangeMode = this.modeChanged.event;
  /** Every channel request, in order, for the test to answer. */
  readonly grants: Array<PendingGrant<GpuChannelGrant>> = [];
  /** Client ids whose channel the tabs closed. */
  readonly closed: string[] = [];

  establishChannel(clientId: string): Promise<GpuChannelGrant> {
    const grant = pending<GpuChannelGrant>(clientId);
    this.grants.push(grant);
    return grant.promise;
  }

  closeChannel(clientId: string): void {
    this.closed.push(clientId);
  }
}

export type PluginChannelGrant = { readonly channel: ChannelEndpoint; readonly hostPid: number };

export class FakePluginProcessHost implements TabsPluginHost {
  readonly crashed = new Emitter<{ recentCrashes: number }>();
  readonly ready = new Emitter<{ pid: number }>();
  readonly onDidCrash = this.crashed.event;
  readonly onDidBecomeReady = this.ready.event;
  /** Every channel request, in order, for the test to answer (reject: the plugin host is down). */
  readonly grants: Array<PendingGrant<PluginChannelGrant>> = [];
  /** Client ids whose channel the tabs closed. */
  readonly closed: string[] = [];

  establishChannel(clientId: string): Promise<PluginChannelGrant> {
    const grant = pending<PluginChannelGrant>(clientId);
    this.grants.push(grant);
    return grant.promise;
  }

  closeChannel(clientId: string): void {
    this.closed.push(clientId);
  }
}
