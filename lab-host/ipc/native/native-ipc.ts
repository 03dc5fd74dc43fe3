/**
 * The optional addon (ipc_native.cc): real pipe(2), POSIX message queues and POSIX shared memory.
 * Built from source with the machine's C++ compiler against Node's own headers (build.ts); where it
 * is not built, `loadNativeIpc` says why and the lab runs its labelled stand-ins instead.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface NativeIpc {
  pipe(): [readFd: number, writeFd: number];
  closeFd(fd: number): void;
  mqOpen(name: string, create: boolean, maxMessages: number, messageSize: number): number;
  /** false: the queue stayed full until the deadline */
  mqSend(mq: number, buffer: Buffer, length: number, timeoutMs: number): boolean;
  /** bytes received, or -1 at the deadline */
  mqReceive(mq: number, buffer: Buffer, timeoutMs: number): number;
  mqClose(mq: number): void;
  mqUnlink(name: string): void;
  shmCreate(name: string, slotCount: number, slotSize: number): number;
  shmOpen(name: string): number;
  shmClose(handle: number): void;
  shmUnlink(name: string): void;
  /** false: the ring stayed full until the deadline */
  ringSend(
    handle: number,
    ring: 0 | 1,
    buffer: Buffer,
    length: number,
    timeoutMs: number,
    synchronized: boolean,
  ): boolean;
  /** bytes copied into `buffer`, or -1 at the deadline */
  ringReceive(handle: number, ring: 0 | 1, buffer: Buffer, timeoutMs: number, synchronized: boolean): number;
  ringReset(handle: number): void;
}

export type NativeIpcLoad =
  | { readonly ok: true; readonly addon: NativeIpc; readonly path: string }
  | { readonly ok: false; readonly reason: string };

/** Where build.ts puts the addon; `LAB_IPC_NATIVE` overrides it (a packaged app ships it elsewhere). */
export const defaultAddonPath = (): string =>
  process.env.LAB_IPC_NATIVE ?? path.join(import.meta.dirname, 'build', 'ipc_native.node');

/** Loads the addon if it was built; never throws. `LAB_IPC_NATIVE=off` forces the stand-ins. */
export function loadNativeIpc(addonPath = defaultAddonPath()): NativeIpcLoad {
  if (addonPath === 'off') return { ok: false, reason: 'turned off (LAB_IPC_NATIVE=off)' };
  if (process.platform !== 'linux')
    return { ok: false, reason: `the addon targets Linux (this is ${process.platform})` };
  if (!existsSync(addonPath)) return { ok: false, reason: `not built (${addonPath} missing; npm run lab:ipc:build)` };
  try {
    const addon = createRequire(import.meta.url)(addonPath) as NativeIpc;
    return { ok: true, addon, path: addonPath };
  } catch (error) {
    return { ok: false, reason: `failed to load: ${(error as Error).message}` };
  }
}
