// Builds the child-process entries (GPU process, plugin host) once per test run, as the app's build
// does, so the many tests that start real children spawn a plain Node bundle in a few hundred
// milliseconds instead of compiling TypeScript on every spawn.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Entry files of the bundled children: { gpu, 'plugin-host' }. */
    childEntries: { gpu: string; 'plugin-host': string };
  }
}

export default async function setup(project: TestProject) {
  const root = import.meta.dirname;
  // Inside the project, so the bundles' bare imports resolve from its node_modules.
  const cache = path.join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(path.join(cache, 'lab-children-'));
  await build({
    entryPoints: { 'gpu-worker': path.join(root, 'gpu-worker/main.ts'), 'plugin-host': path.join(root, 'plugin-host/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    // Resolved from the project's node_modules at run time, as in the app's build.
    packages: 'external',
    logLevel: 'warning',
  });
  project.provide('childEntries', {
    gpu: path.join(outdir, 'gpu-worker.mjs'),
    'plugin-host': path.join(outdir, 'plugin-host.mjs'),
  });
  return () => rmSync(outdir, { recursive: true, force: true });
}
