/**
 * Which process a trace record's peer stands for, decided once for the whole app: the browser's
 * metrics sampler counts each peer's messages for it (the task manager's IPC column) and the
 * architecture map puts each record on its edge, and the two must agree. A renderer peer names its
 * tab (a tab's renderer may serve several tabs: process per site); other children are known by pid,
 * or by role where there is one of each (the GPU process, the plugin host). The browser process
 * itself and the UI page ('ui') stand for no other process.
 */
import type { ProcessInfo, ProcessKind } from './browser-state.ts';

/** A peer as traces name it (PeerIdentity, or a trace page's peer). */
export interface TracedPeer {
  readonly process: string;
  readonly id?: string | number;
  readonly pid?: number;
}

/** The processes a peer can stand for, indexed once for many peers. */
export interface PeerProcessIndex {
  /** The renderer (process id) a tab's page runs in. */
  readonly rendererOfTab: (tabId: string) => string | undefined;
  /** Process ids by pid, the browser's own left out; the first process listed with a pid has it. */
  readonly byPid: ReadonlyMap<number, string>;
  /** The first process of each kind, for the roles there is one of. */
  readonly byKind: ReadonlyMap<ProcessKind, string>;
}

export function peerProcessIndex(
  processes: readonly Pick<ProcessInfo, 'id' | 'kind' | 'pid'>[],
  rendererOfTab: (tabId: string) => string | undefined,
): PeerProcessIndex {
  const byPid = new Map<number, string>();
  const byKind = new Map<ProcessKind, string>();
  for (const process of processes) {
    if (process.kind === 'browser') continue;
    if (process.pid !== undefined && !byPid.has(process.pid)) byPid.set(process.pid, process.id);
    if (!byKind.has(process.kind)) byKind.set(process.kind, process.id);
  }
  return { rendererOfTab, byPid, byKind };
}

/** The process id `peer` stands for, or undefined when it is no process of `index`. */
export function processOfPeer(peer: TracedPeer, index: PeerProcessIndex): string | undefined {
  if (peer.process === 'renderer' && peer.id !== undefined) {
    const rendererId = index.rendererOfTab(String(peer.id));
    if (rendererId !== undefined) return rendererId;
  }
  if (peer.pid !== undefined) {
    const byPid = index.byPid.get(peer.pid);
    if (byPid !== undefined) return byPid;
  }
  // Utility children are one per role: their peer names the role ('gpu', 'plugin-host', 'lab-host').
  if (peer.process === 'gpu' || peer.process === 'plugin-host' || peer.process === 'lab-host')
    return index.byKind.get(peer.process);
  return undefined;
}
