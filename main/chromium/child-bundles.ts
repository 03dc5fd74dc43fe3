// Bundles the child-process entries (GPU process, plugin host, lab host with the IPC lab's peer
// process and ring thread beside it, under the names lab-host/built-entries.ts expects) with esbuild into a fresh folder
// inside node_modules/.cache (so their bare imports resolve from the project): used by the test run
// (vitest.global-setup.ts) and the process benchmark, which start many real children and should not
// compile TypeScript on every spawn.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export interface BundledChildren {
  readonly entries: { gpu: string; 'plugin-host': string; 'lab-host': string };
  /** Deletes the bundles. */
  readonly remove: () => void;
}

export async function bundleChildren(root: string): Promise<BundledChildren> {
  const { outdir, remove } = await bundleNodeEntries(root, 'lab-children-', {
    'gpu-worker': path.join(root, 'gpu-worker/main.ts'),
    'plugin-host': path.join(root, 'plugin-host/main.ts'),
    'lab-host': path.join(root, 'lab-host/main.ts'),
    // Beside the lab host, named as lab-host/built-entries.ts (LAB_HOST_BUILT_ENTRIES) finds them.
    'lab-ipc-peer': path.join(root, 'lab-host/ipc/peer.ts'),
    'lab-ipc-ring-worker': path.join(root, 'lab-host/ipc/shm-threads-worker.ts'),
    'lab-ipc-port-worker': path.join(root, 'lab-host/ipc/app-port-worker.ts'),
    'lab-threads-worker': path.join(root, 'lab-host/threads/thread-worker.ts'),
    'lab-deadlock-lock-worker': path.join(root, 'lab-host/deadlock/lock-worker.ts'),
    'lab-deadlock-sync-peer': path.join(root, 'lab-host/deadlock/sync-call-peer.ts'),
  });
  return {
    entries: {
      gpu: path.join(outdir, 'gpu-worker.mjs'),
      'plugin-host': path.join(outdir, 'plugin-host.mjs'),
      'lab-host': path.join(outdir, 'lab-host.mjs'),
    },
    remove,
  };
}

/**
 * Bundles Node entry files (name -> source path) as ESM into a fresh `<prefix>…` folder under
 * node_modules/.cache, npm packages left external: `<outdir>/<name>.mjs` each. Benchmarks that fork
 * their own children use it too.
 */
export async function bundleNodeEntries(
  root: string,
  prefix: string,
  entryPoints: Record<string, string>,
): Promise<{ outdir: string; remove: () => void }> {
  const cache = path.join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(path.join(cache, prefix));
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    packages: 'external',
    logLevel: 'warning',
  });
  return { outdir, remove: () => rmSync(outdir, { recursive: true, force: true }) };
}
