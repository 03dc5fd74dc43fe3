/**
 * Builds ipc_native.cc into build/ipc_native.node with the machine's C++ compiler and Node's own
 * headers: one g++ call, no node-gyp (which would fetch headers from the internet when it cannot
 * find them). Optional by design: without a compiler or headers it reports why and the lab runs its
 * labelled stand-ins.
 *
 *   node --import tsx lab-host/ipc/native/build.ts   (npm run lab:ipc:build; always exits 0)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultAddonPath } from './native-ipc.ts';

const SOURCE = path.join(import.meta.dirname, 'ipc_native.cc');

export type NativeBuild =
  | { readonly ok: true; readonly path: string; readonly built: boolean; readonly compiler: string }
  | { readonly ok: false; readonly reason: string };

/** Node's headers: next to this node binary (official builds, Debian's nodejs), or where npm points. */
export function nodeIncludeDir(): string | undefined {
  const candidates = [
    process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(path.join(dir, 'node_api.h')));
}

/** Builds unless the addon is newer than its source (or `force`). Never throws. */
export async function buildNativeAddon(options: { force?: boolean; output?: string } = {}): Promise<NativeBuild> {
  const output = options.output ?? defaultAddonPath();
  if (output === 'off') return { ok: false, reason: 'turned off (LAB_IPC_NATIVE=off)' };
  if (process.platform !== 'linux')
    return { ok: false, reason: `the addon targets Linux (this is ${process.platform})` };
  const compiler = process.env.CXX ?? 'g++';
  // A bundled lab host has no source beside it: it uses the addon it is given, or none.
  if (!existsSync(SOURCE))
    return existsSync(output)
      ? { ok: true, path: output, built: false, compiler }
      : { ok: false, reason: `not built (${output} missing) and no source here to build it from` };
  if (!options.force && existsSync(output) && statSync(output).mtimeMs >= statSync(SOURCE).mtimeMs) {
    return { ok: true, path: output, built: false, compiler };
  }
  const include = nodeIncludeDir();
  if (!include) return { ok: false, reason: "Node's headers (node_api.h) not found" };
  mkdirSync(path.dirname(output), { recursive: true });
  const temporary = `${output}.${process.pid}.tmp`;
  try {
    await promisify(execFile)(
      compiler,
      [
        '-std=c++17',
        '-O2',
        '-Wall',
        '-shared',
        '-fPIC',
        '-DNODE_GYP_MODULE_NAME=ipc_native',
        `-I${include}`,
        SOURCE,
        '-o',
        temporary,
        '-lrt',
      ],
      { timeout: 120_000 },
    );
    renameSync(temporary, output); // atomic: a concurrent loader sees the old file or the new one
    return { ok: true, path: output, built: true, compiler };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      failure.code === 'ENOENT'
        ? `no C++ compiler (${compiler} not found)`
        : `${compiler} failed: ${(failure.stderr ?? failure.message).trim().split('\n').slice(0, 3).join(' ')}`;
    return { ok: false, reason };
  }
}

// Run as a script, not when bundled into the lab host (whose bundle file is then argv[1] too).
const ranAsScript = process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename;
if (ranAsScript && path.basename(import.meta.filename) === 'build.ts') {
  const result = await buildNativeAddon({ force: process.argv.includes('--force') });
  console.log(
    result.ok
      ? `lab-host ipc addon: ${result.built ? 'built' : 'up to date'} (${result.path})`
      : `lab-host ipc addon: not built, the IPC lab will run its labelled stand-ins: ${result.reason}`,
  );
}
