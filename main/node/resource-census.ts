/**
 * What a leak soak counts in the browser process besides its heap (main/node/host-probe.ts measures
 * that): Node's active handles and requests by type, event listeners on the process object and on
 * every emitter reachable from the objects the caller names, and the process's descendants. Shared
 * by both shells and tests; knows the core's `Emitter` only by its shape (main/node/ may not import
 * main/core/).
 */
import fs from 'node:fs';

/** How many of each: `{ TCPSocketWrap: 3, Timeout: 5 }`. */
export type Counts = Record<string, number>;

/** Node's active handles and requests (sockets, pipes, child processes, timers, fs requests) by type. */
export function activeResourceCounts(): Counts {
  return tally(process.getActiveResourcesInfo());
}

/**
 * The JavaScript objects behind Node's active handles (sockets, servers, child processes, timers):
 * `process._getActiveHandles()`, undocumented but in every Node since 0.x; none where it is gone.
 */
export function activeHandleOwners(): object[] {
  const owners = (process as unknown as { _getActiveHandles?: () => object[] })._getActiveHandles?.();
  return owners ?? [];
}

/** Listeners on the process object, by event name (`exit`, `SIGINT`, `warning`…). */
export function processListenerCounts(): Counts {
  const counts: Counts = {};
  for (const name of process.eventNames()) {
    const count = process.listenerCount(name);
    if (count > 0) counts[`process:${String(name)}`] = count;
  }
  return counts;
}

/** A Node EventEmitter or NodeEventTarget (worker MessagePort): what `eventNames()` lists, each counted. */
interface CountsListeners {
  eventNames(): (string | symbol)[];
  listenerCount(name: string | symbol): number;
}

/** The core's `Emitter` (main/core/emitter.ts), recognized by its shape. */
interface CoreEmitterShape {
  fire(value: unknown): void;
  readonly listenerCount: number;
  readonly event: unknown;
}

function isNodeEmitter(value: object): value is CountsListeners {
  const candidate = value as Partial<CountsListeners>;
  return typeof candidate.eventNames === 'function' && typeof candidate.listenerCount === 'function';
}

function isCoreEmitter(value: object): value is CoreEmitterShape {
  const candidate = value as Partial<CoreEmitterShape>;
  return (
    typeof candidate.fire === 'function' &&
    typeof candidate.event === 'function' &&
    typeof candidate.listenerCount === 'number'
  );
}

/** A walk stops here: nothing in these holds an emitter, and some are huge. */
function isOpaque(value: object): boolean {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer;
}

export interface ListenerCensus {
  /** Every listener on every emitter reached. */
  readonly total: number;
  /** By where the emitter was first reached and the event: `TabManager.heartbeatEmitter`, `Socket:data`. */
  readonly byEmitter: Counts;
  readonly emitters: number;
  readonly objectsWalked: number;
}

/**
 * Walks the object graph from `roots` (own data properties, Map and Set entries, array items;
 * never getters, functions or buffers, never `process` or the global object) and counts the
 * listeners of every core `Emitter` and Node emitter on the way. What only closures hold is out of
 * reach; what the browser's objects hold (tabs, hosts, channels, sockets, child processes) is in it.
 */
export function countListeners(roots: Record<string, unknown>, maxObjects = 2_000_000): ListenerCensus {
  const seen = new Set<object>([process, globalThis]);
  const byEmitter: Counts = {};
  let total = 0;
  let emitters = 0;
  let walked = 0;
  const stack: { value: unknown; label: string }[] = Object.entries(roots).map(([label, value]) => ({
    value,
    label,
  }));
  while (stack.length > 0 && walked < maxObjects) {
    const { value, label } = stack.pop()!;
    if (value === null || typeof value !== 'object' || seen.has(value) || isOpaque(value)) continue;
    seen.add(value);
    walked++;
    if (isCoreEmitter(value)) {
      emitters++;
      if (value.listenerCount > 0) {
        byEmitter[label] = (byEmitter[label] ?? 0) + value.listenerCount;
        total += value.listenerCount;
      }
    } else if (isNodeEmitter(value)) {
      emitters++;
      const kind = value.constructor?.name ?? 'EventEmitter';
      for (const name of value.eventNames()) {
        const count = value.listenerCount(name);
        if (count <= 0) continue;
        const key = `${kind}:${String(name)}`;
        byEmitter[key] = (byEmitter[key] ?? 0) + count;
        total += count;
      }
    }
    // Named after its class (`TabManager.heartbeatEmitter`); a collection's items after where it hangs.
    const collection = value instanceof Map || value instanceof Set || Array.isArray(value);
    const owner =
      !collection && value.constructor?.name && value.constructor.name !== 'Object' ? value.constructor.name : label;
    if (value instanceof Map) {
      for (const [key, item] of value) {
        stack.push({ value: key, label: owner });
        stack.push({ value: item, label: owner });
      }
    } else if (value instanceof Set || Array.isArray(value)) {
      for (const item of value as Iterable<unknown>) stack.push({ value: item, label: owner });
      if (Array.isArray(value)) continue;
    }
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (!descriptor || !('value' in descriptor)) continue;
      const item: unknown = descriptor.value;
      if (item !== null && typeof item === 'object') stack.push({ value: item, label: `${owner}.${String(key)}` });
    }
  }
  return { total, byEmitter, emitters, objectsWalked: walked };
}

/** The pids of `pid`'s descendants now (Linux: /proc's children lists; elsewhere none). */
export function descendantPids(pid = process.pid): number[] {
  if (process.platform !== 'linux') return [];
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const parent = Number(fields[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // Ended while listed.
    }
  }
  const found: number[] = [];
  const queue = [...(parents.get(pid) ?? [])];
  while (queue.length > 0) {
    const child = queue.shift()!;
    found.push(child);
    queue.push(...(parents.get(child) ?? []));
  }
  return found;
}

/** Where `after` has more than `before`, by key: `{ Timeout: 2 }` (fewer is not counted). */
export function countsAbove(before: Counts, after: Counts): Counts {
  const above: Counts = {};
  for (const [key, count] of Object.entries(after)) {
    const extra = count - (before[key] ?? 0);
    if (extra > 0) above[key] = extra;
  }
  return above;
}

function tally(names: readonly string[]): Counts {
  const counts: Counts = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
