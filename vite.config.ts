// `vite build` builds every process's code:
//   renderer/index.html      -> dist/renderer/            (browser UI page; React)
//   main/electron/main.ts    -> dist-electron/main.js        (browser process, Electron shell; ESM)
//   preload/ui-preload.ts    -> dist-electron/ui-preload.cjs (sandboxed preload; must be CommonJS)
//   preload/tab-preload.ts   -> dist-electron/tab-preload.cjs
//   gpu-worker/main.ts       -> dist-electron/gpu-worker.js  (utility process; ESM)
//   plugin-host/main.ts      -> dist-electron/plugin-host.js (utility process; ESM)
//   lab-host/main.ts         -> dist-electron/lab-host.js    (utility process; ESM), with the IPC lab's
//     peer process (lab-ipc-peer.js), ring thread (lab-ipc-ring-worker.js) MessagePort thread (lab-ipc-port-worker.js) and the threads lab's
//     worker (lab-threads-worker.js) beside it, under the
//     names lab-host/built-entries.ts expects
// vite-plugin-electron (array API) runs the Node-side builds after the renderer's; it makes
// `electron` and Node built-ins external. `vite build` never starts Electron; `vite` (dev) would,
// and cannot here (no Electron binary). Tests use vitest.config.ts, not this file.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import electron, { type ElectronOptions } from 'vite-plugin-electron';

const root = import.meta.dirname;
const outDir = path.join(root, 'dist-electron');

/** Loaded from node_modules at runtime: a native addon (cannot be bundled), ws (optional native parts) and libraries every child shares. */
const NODE_EXTERNALS = [
  /^@napi-rs\/canvas(?:\/.*)?$/,
  /^typebox(?:\/.*)?$/,
  /^ws(?:\/.*)?$/,
  /^@msgpack\/msgpack(?:\/.*)?$/,
];

/**
 * One Node-side entry. The `lib` block is ours alone (no top-level `entry`), because the plugin's
 * default `formats` would be concatenated with ours by mergeConfig.
 */
function nodeEntry(
  entry: string,
  fileName: string,
  format: 'es' | 'cjs',
  { external = [] as RegExp[], emptyOutDir = false } = {},
): ElectronOptions {
  return {
    vite: {
      root,
      build: {
        outDir,
        emptyOutDir,
        sourcemap: true,
        minify: false,
        lib: { entry: path.join(root, entry), formats: [format], fileName: () => fileName },
        rolldownOptions: { external },
      },
    },
  };
}

export default defineConfig({
  root: path.join(root, 'renderer'),
  base: './', // loaded from file:// (later a custom protocol): relative asset URLs
  plugins: [
    react(),
    electron([
      // The first build empties dist-electron/; the builds run one after another.
      nodeEntry('main/electron/main.ts', 'main.js', 'es', { external: NODE_EXTERNALS, emptyOutDir: true }),
      // Sandboxed preloads can require only electron, events, timers and url: bundle everything else.
      nodeEntry('preload/ui-preload.ts', 'ui-preload.cjs', 'cjs'),
      nodeEntry('preload/tab-preload.ts', 'tab-preload.cjs', 'cjs'),
      nodeEntry('gpu-worker/main.ts', 'gpu-worker.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('plugin-host/main.ts', 'plugin-host.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('lab-host/main.ts', 'lab-host.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('lab-host/ipc/peer.ts', 'lab-ipc-peer.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('lab-host/ipc/shm-threads-worker.ts', 'lab-ipc-ring-worker.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('lab-host/ipc/app-port-worker.ts', 'lab-ipc-port-worker.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('lab-host/threads/thread-worker.ts', 'lab-threads-worker.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('lab-host/deadlock/lock-worker.ts', 'lab-deadlock-lock-worker.js', 'es', { external: NODE_EXTERNALS }),
      nodeEntry('lab-host/deadlock/sync-call-peer.ts', 'lab-deadlock-sync-peer.js', 'es', { external: NODE_EXTERNALS }),
    ]),
  ],
  build: {
    outDir: path.join(root, 'dist/renderer'),
    emptyOutDir: true,
  },
});
